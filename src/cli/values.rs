//! clap value parsers for the values whose syntax is Flink's: release versions, sizes (`64g`, `768 mb`) and
//! durations (`10 s`, `1 min`). Parsing them while clap reads the command line makes a bad value a usage error that
//! names the flag, printed by clap like every other usage error (exit status 2).

use std::time::Duration;

use crate::flink::duration::parse_duration;
use crate::flink::options::taskmanager;
use crate::flink::version::UnsupportedVersion;
use crate::flink::{FlinkVersion, MemorySize};

/// `--flink-version`: `1.20`, `1.20.3`, `2.3.0`.
pub(super) fn version(text: &str) -> Result<FlinkVersion, String> {
    text.parse()
        .map_err(|error: UnsupportedVersion| error.to_string())
}

/// A size in Flink's syntax.
pub(super) fn size(text: &str) -> Result<MemorySize, String> {
    MemorySize::parse(text)
        .map_err(|_| format!("'{text}' is not a size; write e.g. 64g, 768 gb or 16384m"))
}

/// A duration in Flink's syntax.
pub(super) fn duration(text: &str) -> Result<Duration, String> {
    parse_duration(text).map_err(|error| error.to_string())
}

/// A duration that must be longer than zero (a timeout of 0 s would fail every request).
pub(super) fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        zero if zero.is_zero() => Err(format!(
            "'{text}' is zero; give a duration above 0, e.g. 10 s"
        )),
        positive => Ok(positive),
    }
}

/// `-D key=value`, as `flink run -D` takes it.
pub(super) fn dynamic_property(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "'{text}' is not KEY=VALUE (e.g. -D {}=4g)",
            taskmanager::TOTAL_PROCESS_MEMORY.key
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_say_what_is_expected() {
        assert!(version("1.14").is_err());
        assert_eq!(
            version("1.20.3").map(|v| v.to_string()),
            Ok("1.20.3".into())
        );
        assert_eq!(
            size("12 zebras"),
            Err("'12 zebras' is not a size; write e.g. 64g, 768 gb or 16384m".into())
        );
        assert_eq!(duration("10 s"), Ok(Duration::from_secs(10)));
        assert!(dynamic_property("novalue").is_err());
    }
}
