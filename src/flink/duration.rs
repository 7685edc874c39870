//! Flink's duration syntax (`TimeUtils.parseDuration`): `<integer>[ ]<unit>`, a bare number meaning milliseconds, and
//! the spelling flinktune writes: the largest of `ms`, `s`, `min`, `h` that divides the value, with a space (`30 s`,
//! `5 min`). ISO-8601 (`PT30S`) is never written: only 2.3 reads it (docs/flink-config-files.md, "Durations").

use std::fmt;
use std::time::Duration;

/// The unit words `TimeUtils` accepts, with their length in milliseconds. Sub-millisecond units are accepted and
/// truncated to whole milliseconds, which is all flinktune's inputs need.
const UNITS: [(&[&str], u64); 7] = [
    (&["d", "day", "days"], 86_400_000),
    (&["h", "hour", "hours"], 3_600_000),
    (&["min", "m", "minute", "minutes"], 60_000),
    (&["s", "sec", "secs", "second", "seconds"], 1_000),
    (&["ms", "milli", "millis", "millisecond", "milliseconds"], 1),
    (&["µs", "micro", "micros", "microsecond", "microseconds"], 0),
    (&["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 0),
];

/// The units flinktune writes, largest first.
const WRITTEN_UNITS: [(u64, &str); 4] =
    [(3_600_000, "h"), (60_000, "min"), (1_000, "s"), (1, "ms")];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a duration: write a whole number and a unit, e.g. 30 s, 5 min, 1 h, 500 ms (units: ms, s, min, h, d)"
)]
pub struct DurationParseError(pub String);

/// Parses Flink's duration syntax into a [`Duration`] of whole milliseconds.
pub fn parse_duration(text: &str) -> Result<Duration, DurationParseError> {
    let refuse = || DurationParseError(text.to_string());
    let trimmed = text.trim();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    if digits_end == 0 {
        return Err(refuse());
    }
    let count: u64 = trimmed[..digits_end].parse().map_err(|_| refuse())?;
    let unit = trimmed[digits_end..].trim_start().to_lowercase();
    let millis_per_unit = if unit.is_empty() {
        1
    } else {
        UNITS
            .iter()
            .find(|(names, _)| names.contains(&unit.as_str()))
            .map(|(_, millis)| *millis)
            .ok_or_else(refuse)?
    };
    count
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(refuse)
}

/// A duration in the form flinktune writes into Flink configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FlinkDuration(pub Duration);

impl fmt::Display for FlinkDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = u64::try_from(self.0.as_millis()).unwrap_or(u64::MAX);
        if millis == 0 {
            return f.write_str("0 ms");
        }
        let (per_unit, unit) = WRITTEN_UNITS
            .iter()
            .copied()
            .find(|(per_unit, _)| millis.is_multiple_of(*per_unit))
            .unwrap_or((1, "ms"));
        write!(f, "{} {unit}", millis / per_unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flink_units_and_bare_milliseconds() {
        let cases = [
            ("30 s", 30_000),
            ("30s", 30_000),
            ("5 min", 300_000),
            ("5 m", 300_000),
            ("1 h", 3_600_000),
            ("2 days", 172_800_000),
            ("60000", 60_000),
            ("500 MS", 500),
        ];
        for (text, millis) in cases {
            assert_eq!(
                parse_duration(text).unwrap(),
                Duration::from_millis(millis),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_what_flink_1x_refuses() {
        for text in ["PT30S", "1.5 s", "s", "", "5 mins", "5 us", "-1 s"] {
            assert!(parse_duration(text).is_err(), "{text}");
        }
    }

    #[test]
    fn writes_the_largest_exact_unit() {
        let show = |ms| FlinkDuration(Duration::from_millis(ms)).to_string();
        assert_eq!(show(30_000), "30 s");
        assert_eq!(show(300_000), "5 min");
        assert_eq!(show(90_000), "90 s");
        assert_eq!(show(3_600_000), "1 h");
        assert_eq!(show(86_400_000), "24 h");
        assert_eq!(show(1_500), "1500 ms");
        assert_eq!(show(0), "0 ms");
    }
}
