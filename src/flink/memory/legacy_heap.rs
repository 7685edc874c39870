//! Flink 1.x still honours the heap settings from before the 1.10/1.11 memory model (`MemoryBackwardsCompatibilityUtils`):
//! when the new option is not set, `FLINK_TM_HEAP`/`FLINK_JM_HEAP`, then `*.heap.size`, then `*.heap.mb` stand in
//! for it (Total Flink Memory for the TaskManager, JVM heap for the JobManager). 2.0 removed all of them.

use std::borrow::Cow;

use super::derivation::Derivation;
use super::error::MemoryError;
use crate::flink::config::{Configuration, Origin, Value};
use crate::flink::memory_size::MemorySize;
use crate::flink::options::ConfigOption;
use crate::flink::version::FlinkVersion;

/// The legacy settings of one process kind and the option they stand in for.
pub(super) struct LegacyHeap<'a> {
    pub target: ConfigOption<MemorySize>,
    pub heap: ConfigOption<MemorySize>,
    pub heap_mb: ConfigOption<i32>,
    /// The value of the environment variable, when set (read at the edge, passed in).
    pub env_value: Option<&'a str>,
}

/// The configuration with the legacy heap mapped onto the new option, or unchanged.
pub(super) fn map_legacy_heap<'c>(
    config: &'c Configuration,
    version: FlinkVersion,
    legacy: &LegacyHeap,
    notes: &mut Vec<String>,
) -> Result<Cow<'c, Configuration>, MemoryError> {
    if !version.has_legacy_memory_options() || config.contains(&legacy.target) {
        return Ok(Cow::Borrowed(config));
    }
    let mut d = Derivation::new(config, version);
    let (size, origin) = if let Some(text) = legacy.env_value {
        let size = MemorySize::parse(text).map_err(|cause| MemoryError::LegacyHeapEnvironment {
            value: text.to_string(),
            cause,
        })?;
        (size, Origin::DynamicProperty)
    } else if let Some((_, entry)) = config.find(&legacy.heap) {
        (d.memory(&legacy.heap)?, entry.origin.clone())
    } else if let Some((_, entry)) = config.find(&legacy.heap_mb) {
        let megabytes = d.value(&legacy.heap_mb)?.unwrap_or_default();
        let megabytes = u64::try_from(megabytes)
            .map_err(|_| MemoryError::LegacyHeapMegabytesNegative(megabytes))?;
        (
            MemorySize::from_bytes(megabytes << 20),
            entry.origin.clone(),
        )
    } else {
        return Ok(Cow::Borrowed(config));
    };
    notes.push(format!(
        "'{}' is not specified, use the configured deprecated task manager heap value ({}) for it.",
        legacy.target.key,
        size.human_readable()
    ));
    let mut mapped = config.clone();
    mapped.set(
        legacy.target.key,
        Value::Text(format!("{}b", size.bytes())),
        origin,
    );
    Ok(Cow::Owned(mapped))
}
