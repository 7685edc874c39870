//! How flinktune's JSON writes sizes and durations: sizes as bytes, durations as milliseconds, so that scripts never
//! parse units.

use std::time::Duration;

use serde::Serializer;

use crate::flink::MemorySize;

pub(crate) fn memory_size_bytes<S: Serializer>(
    size: &MemorySize,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(size.bytes())
}

pub(crate) fn optional_memory_size_bytes<S: Serializer>(
    size: &Option<MemorySize>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match size {
        Some(value) => memory_size_bytes(value, serializer),
        None => serializer.serialize_none(),
    }
}

pub(crate) fn duration<S: Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

pub(crate) fn optional_duration<S: Serializer>(
    duration: &Option<Duration>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match duration {
        Some(value) => self::duration(value, serializer),
        None => serializer.serialize_none(),
    }
}
