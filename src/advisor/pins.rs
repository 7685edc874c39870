//! `recommend -D key=value`: values the user fixes. The rules take a pinned value as given and plan everything else
//! around it (slots, process size and managed fraction in [`layout`](super::layout), parallelism in
//! [`parallelism`](super::parallelism), the state backend and checkpoint interval through the profile fields those
//! rules already read); any other pinned key is written as given, over the rule's value or on its own. Whatever the
//! plan, the coherence judge ([`coherence`](super::coherence)) then holds the result to the same invariants as
//! every recommendation, and names the pin when one breaks.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::flink::catalogue::Catalogue;
use crate::flink::duration::parse_duration;
use crate::flink::job_options::{checkpointing, cluster, state};
use crate::flink::options::taskmanager as tm;
use crate::flink::{FlinkVersion, MemorySize};
use crate::profile::{BackendChoice, JobProfile};

use super::error::AdviceError;
use super::setting::{Group, Setting, SettingValue};

/// The reason every pinned setting carries, in the table, the JSON and the file.
pub(crate) const PINNED_WHY: &str = "pinned with -D";

/// The pinned keys, each spelled as the target release reads it, with the value as given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pins {
    values: BTreeMap<Cow<'static, str>, String>,
}

impl Pins {
    /// The `-D` pairs for `version`: a deprecated spelling becomes the key that reads it now (as `migrate` renames
    /// it); a key the release does not read is an error with the nearest key it does. The values of the keys the
    /// rules consult must parse as what the rules need.
    pub(crate) fn resolve(
        pairs: &[(String, String)],
        version: FlinkVersion,
        catalogue: &'static Catalogue,
    ) -> Result<Pins, AdviceError> {
        let mut values = BTreeMap::new();
        for (key, value) in pairs {
            values.insert(
                resolve_key(key, version, catalogue)?,
                value.trim().to_string(),
            );
        }
        let pins = Pins { values };
        pins.check_consulted(version)?;
        Ok(pins)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The pinned keys in byte order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Cow<'static, str>> {
        self.values.keys()
    }

    /// The value pinned for `key`, as given.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// `taskmanager.numberOfTaskSlots`, when pinned.
    pub(crate) fn slots(&self) -> Option<u32> {
        self.get(tm::NUM_TASK_SLOTS.key).and_then(positive)
    }

    /// `taskmanager.memory.process.size`, when pinned.
    pub(crate) fn taskmanager_process(&self) -> Option<MemorySize> {
        self.get(tm::TOTAL_PROCESS_MEMORY.key)
            .and_then(|text| MemorySize::parse(text).ok())
    }

    /// `taskmanager.memory.managed.fraction`, when pinned.
    pub(crate) fn managed_fraction(&self) -> Option<f64> {
        self.get(tm::MANAGED_MEMORY_FRACTION.key).and_then(fraction)
    }

    /// `parallelism.default`, when pinned.
    pub(crate) fn parallelism(&self, version: FlinkVersion) -> Option<u32> {
        self.get(cluster::PARALLELISM_DEFAULT.for_version(version))
            .and_then(positive)
    }

    /// Whether a pin shapes the TaskManager (its slots or memory): the layout then keeps it and leaves a plan that
    /// does not fit to the judge, which names the pin, instead of planning fewer slots.
    pub(crate) fn shape_the_taskmanager(&self) -> bool {
        self.slots().is_some()
            || self.taskmanager_process().is_some()
            || self.managed_fraction().is_some()
    }

    /// The profile as the pins leave it: a pinned backend or checkpoint interval is what the state and checkpoint
    /// rules then plan with (managed memory for RocksDB, a timeout for that interval, ...).
    pub(crate) fn over_profile(&self, profile: &JobProfile, version: FlinkVersion) -> JobProfile {
        let mut profile = profile.clone();
        if let Some(choice) = self
            .get(state::BACKEND.for_version(version))
            .and_then(|text| BackendChoice::parse(&text.to_ascii_lowercase()))
        {
            profile.state_backend = choice;
        }
        if let Some(interval) = self
            .get(checkpointing::INTERVAL.for_version(version))
            .and_then(|text| parse_duration(text).ok())
        {
            profile.checkpoint_interval = Some(interval);
        }
        profile
    }

    /// Writes every pin into `settings`: over the rule's setting for the key, or as a setting of its own.
    pub(crate) fn apply(&self, settings: &mut Vec<Setting>) {
        for (key, value) in &self.values {
            let pinned = SettingValue::Text(value.clone());
            match settings.iter_mut().find(|setting| setting.key == *key) {
                Some(setting) => {
                    setting.value = pinned;
                    setting.why = PINNED_WHY.to_string();
                    setting.inputs.clear();
                }
                None => settings.push(Setting::new(Group::Pinned, key.clone(), pinned, PINNED_WHY)),
            }
        }
    }

    /// `-D key=value` for each pin, as the user would type it (for the regenerate line and messages).
    pub(crate) fn flags(&self) -> Vec<String> {
        self.values
            .keys()
            .filter_map(|key| self.flag(key))
            .collect()
    }

    /// `-D key=value` for `key`, when pinned.
    pub(crate) fn flag(&self, key: &str) -> Option<String> {
        self.get(key).map(|value| format!("-D {key}={value}"))
    }

    fn check_consulted(&self, version: FlinkVersion) -> Result<(), AdviceError> {
        let bad = |key: &'static str, expected: &str| AdviceError::BadPin {
            key: key.to_string(),
            value: self.get(key).unwrap_or_default().to_string(),
            problem: format!("expected {expected}"),
        };
        let parallelism_key = cluster::PARALLELISM_DEFAULT.for_version(version);
        let checks: [(&'static str, bool, &str); 5] = [
            (
                tm::NUM_TASK_SLOTS.key,
                self.slots().is_some(),
                "a whole number of slots, 1 or more",
            ),
            (
                tm::TOTAL_PROCESS_MEMORY.key,
                self.taskmanager_process().is_some(),
                "a memory size with a unit, e.g. 8g or 4096m",
            ),
            (
                tm::MANAGED_MEMORY_FRACTION.key,
                self.managed_fraction().is_some(),
                "a fraction from 0 to below 1, e.g. 0.4",
            ),
            (
                parallelism_key,
                self.parallelism(version).is_some(),
                "a whole number, 1 or more",
            ),
            (
                checkpointing::INTERVAL.for_version(version),
                self.get(checkpointing::INTERVAL.for_version(version))
                    .is_some_and(|text| parse_duration(text).is_ok_and(|d| !d.is_zero())),
                "a duration with a unit, e.g. 30 s or 5 min",
            ),
        ];
        for (key, parses, expected) in checks {
            if self.get(key).is_some() && !parses {
                return Err(bad(key, expected));
            }
        }
        Ok(())
    }
}

/// The key `version` reads `key` as: borrowed from the catalogue, which interns every option's key; a key only a
/// plugin reads (`metrics.reporter.<name>.port`, `s3.endpoint`, ...) is not listed by name, so it is kept as given.
fn resolve_key(
    key: &str,
    version: FlinkVersion,
    catalogue: &'static Catalogue,
) -> Result<Cow<'static, str>, AdviceError> {
    if let Some(info) = catalogue.option(key, version) {
        return Ok(Cow::Borrowed(info.key.as_str()));
    }
    if let Some(owner) = catalogue.owner_of_fallback(key, version) {
        return Ok(Cow::Borrowed(owner.key.as_str()));
    }
    if catalogue.reads(key, version) {
        return Ok(Cow::Owned(key.to_string()));
    }
    Err(AdviceError::UnknownPin {
        key: key.to_string(),
        version: version.to_string(),
        suggestion: catalogue
            .closest_key(key, version)
            .map(|near| format!("; did you mean '{near}'?"))
            .unwrap_or_default(),
    })
}

fn positive(text: &str) -> Option<u32> {
    text.trim().parse().ok().filter(|value| *value > 0)
}

fn fraction(text: &str) -> Option<f64> {
    text.trim()
        .parse()
        .ok()
        .filter(|value: &f64| (0.0..1.0).contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pins(pairs: &[(&str, &str)], version: &str) -> Result<Pins, AdviceError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Pins::resolve(&pairs, version.parse().unwrap(), Catalogue::get())
    }

    #[test]
    fn deprecated_spellings_become_the_key_the_release_reads() {
        let pinned = pins(&[("state.backend", "rocksdb")], "1.20").unwrap();
        assert_eq!(pinned.keys().collect::<Vec<_>>(), ["state.backend.type"]);
        let plugin = pins(&[("metrics.reporter.jmx.port", "9250")], "2.3").unwrap();
        assert_eq!(plugin.get("metrics.reporter.jmx.port"), Some("9250"));
    }

    #[test]
    fn unknown_keys_get_the_nearest_known_one() {
        let error = pins(&[("taskmanager.numberOfTaskSlot", "4")], "2.3").unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("did you mean 'taskmanager.numberOfTaskSlots'"),
            "{message}"
        );
    }

    #[test]
    fn consulted_values_must_parse() {
        for (key, value) in [
            ("taskmanager.numberOfTaskSlots", "0"),
            ("taskmanager.numberOfTaskSlots", "four"),
            ("taskmanager.memory.process.size", "lots"),
            ("taskmanager.memory.managed.fraction", "1.5"),
            ("parallelism.default", "-1"),
            ("execution.checkpointing.interval", "0"),
        ] {
            let message = pins(&[(key, value)], "2.3").unwrap_err().to_string();
            assert!(
                message.contains(key) && message.contains(value),
                "{message}"
            );
        }
        let fine = pins(&[("taskmanager.numberOfTaskSlots", "4")], "2.3").unwrap();
        assert_eq!(fine.slots(), Some(4));
    }

    #[test]
    fn the_rules_read_each_consulted_pin_back_as_its_type() {
        let none = pins(&[], "2.3").unwrap();
        assert!(none.is_empty());
        assert!(!none.shape_the_taskmanager());
        assert!(none.flags().is_empty());
        let pinned = pins(
            &[
                ("taskmanager.memory.process.size", "4096m"),
                ("parallelism.default", "12"),
            ],
            "2.3",
        )
        .unwrap();
        assert!(!pinned.is_empty());
        assert_eq!(
            pinned.taskmanager_process(),
            Some(MemorySize::parse("4g").unwrap())
        );
        assert_eq!(pinned.parallelism("2.3".parse().unwrap()), Some(12));
        assert_eq!(
            pinned.flags(),
            [
                "-D parallelism.default=12",
                "-D taskmanager.memory.process.size=4096m"
            ]
        );
        assert_eq!(
            pinned.flag("parallelism.default").as_deref(),
            Some("-D parallelism.default=12")
        );
        assert_eq!(pinned.flag("rest.port"), None);
    }

    #[test]
    fn slots_memory_or_the_managed_fraction_each_shape_the_taskmanager_alone() {
        for (key, value) in [
            ("taskmanager.numberOfTaskSlots", "4"),
            ("taskmanager.memory.process.size", "8g"),
            ("taskmanager.memory.managed.fraction", "0.4"),
        ] {
            let pinned = pins(&[(key, value)], "2.3").unwrap();
            assert!(pinned.shape_the_taskmanager(), "{key}");
        }
        let parallelism = pins(&[("parallelism.default", "8")], "2.3").unwrap();
        assert!(!parallelism.shape_the_taskmanager());
    }

    #[test]
    fn apply_overrides_the_rule_and_adds_what_no_rule_writes() {
        let pinned = pins(
            &[
                ("taskmanager.numberOfTaskSlots", "4"),
                ("rest.port", "18081"),
            ],
            "2.3",
        )
        .unwrap();
        let mut settings = vec![Setting::new(
            Group::Cluster,
            "taskmanager.numberOfTaskSlots",
            SettingValue::Integer(2),
            "one slot per core",
        )];
        pinned.apply(&mut settings);
        assert_eq!(settings[0].value.to_string(), "4");
        assert_eq!(settings[0].why, PINNED_WHY);
        assert_eq!(settings[1].key, "rest.port");
        assert_eq!(settings[1].group, Group::Pinned);
    }
}
