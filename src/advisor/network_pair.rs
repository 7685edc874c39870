//! `taskmanager.memory.network.min` and `.max` as a pair. A rule or a measurement that raises one alone leaves the
//! other at whatever was planned, and Flink refuses a min above the max ("min value must be less or equal to max
//! value"; issue 11, case 12: the `--from-cluster` network finding raised the min past the emitted 1 GiB max).
//! Invariant FT-NET-002 asks for both; this keeps any set of settings that way.

use crate::flink::MemorySize;
use crate::flink::options::taskmanager as tm;

use super::setting::{Group, Setting, SettingValue};
use crate::text::units::show;

/// Makes the pair whole and ordered: a max below the min is raised to it, and a missing half is written (the max
/// as the min, the min as Flink's default floor or the max, whichever is smaller).
pub(crate) fn align(settings: &mut Vec<Setting>) {
    let size = |settings: &[Setting], key: &str| {
        settings
            .iter()
            .find(|s| s.key == key)
            .and_then(|s| match s.value {
                SettingValue::Size(size) => Some(size),
                SettingValue::Text(ref text) => MemorySize::parse(text).ok(),
                _ => None,
            })
    };
    let min = size(settings, tm::NETWORK_MEMORY_MIN.key);
    let max = size(settings, tm::NETWORK_MEMORY_MAX.key);
    match (min, max) {
        (Some(min), Some(max)) if min > max => set(
            settings,
            tm::NETWORK_MEMORY_MAX.key,
            min,
            format!(
                "raised with the minimum ({}), which must not exceed it: Flink refuses the pair otherwise",
                show(min)
            ),
        ),
        (Some(min), None) => set(
            settings,
            tm::NETWORK_MEMORY_MAX.key,
            min,
            format!(
                "set with the minimum ({}) so the pair states one size and no default bound contradicts it",
                show(min)
            ),
        ),
        (None, Some(max)) => {
            let floor = DEFAULT_MIN.min(max);
            set(
                settings,
                tm::NETWORK_MEMORY_MIN.key,
                floor,
                format!(
                    "set with the maximum ({}): Flink's {} floor, so the pair states the planned range",
                    show(max),
                    show(floor)
                ),
            );
        }
        _ => {}
    }
}

/// Flink's default `taskmanager.memory.network.min` (64 MiB, every release).
const DEFAULT_MIN: MemorySize = MemorySize::mebibytes(64);

fn set(settings: &mut Vec<Setting>, key: &'static str, size: MemorySize, why: String) {
    let setting = Setting::new(Group::Memory, key, SettingValue::Size(size), why);
    match settings.iter_mut().find(|s| s.key == key) {
        Some(existing) => *existing = setting,
        None => settings.push(setting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair after [`align`], as written, max then min (sorted by key).
    fn values(min: Option<&str>, max: Option<&str>) -> Vec<String> {
        let mut settings = Vec::new();
        for (key, value) in [
            (tm::NETWORK_MEMORY_MIN.key, min),
            (tm::NETWORK_MEMORY_MAX.key, max),
        ] {
            if let Some(value) = value {
                settings.push(Setting::new(
                    Group::Memory,
                    key,
                    SettingValue::Text(value.into()),
                    "",
                ));
            }
        }
        align(&mut settings);
        settings.sort_by(|a, b| a.key.cmp(&b.key));
        settings.iter().map(|s| s.value.to_string()).collect()
    }

    #[test]
    fn a_min_above_the_max_raises_the_max() {
        assert_eq!(values(Some("1536m"), Some("1g")), ["1536m", "1536m"]);
    }

    #[test]
    fn a_missing_half_is_written() {
        assert_eq!(values(Some("2g"), None), ["2g", "2g"]);
        assert_eq!(values(None, Some("1g")), ["1g", "64m"]);
        assert_eq!(values(None, Some("32m")), ["32m", "32m"]);
        assert!(values(None, None).is_empty());
        assert_eq!(values(Some("64m"), Some("1g")), ["1g", "64m"]);
    }

    #[test]
    fn sizes_count_as_written_and_an_equal_pair_is_left_alone() {
        // The rules write sizes, not text: 1536m over a 1g maximum raises it.
        let mut settings = vec![
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MIN.key,
                SettingValue::Size(MemorySize::mebibytes(1536)),
                "",
            ),
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MAX.key,
                SettingValue::Size(MemorySize::gibibytes(1)),
                "",
            ),
        ];
        align(&mut settings);
        assert_eq!(settings[1].value.to_string(), "1536m");
        // A minimum equal to the maximum is a valid pair: neither value nor reason changes.
        let mut equal = vec![
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MIN.key,
                SettingValue::Text("1g".into()),
                "planned",
            ),
            Setting::new(
                Group::Memory,
                tm::NETWORK_MEMORY_MAX.key,
                SettingValue::Text("1g".into()),
                "planned",
            ),
        ];
        align(&mut equal);
        assert_eq!(
            equal
                .iter()
                .map(|s| (s.value.to_string(), s.why.as_str()))
                .collect::<Vec<_>>(),
            [("1g".to_string(), "planned"), ("1g".to_string(), "planned")]
        );
    }
}
