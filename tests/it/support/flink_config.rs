//! Flink's own configuration loader as the judge of an emitted conf directory: tests/oracle/FlinkConfigOracle.java
//! loads each directory with `GlobalConfiguration.loadConfiguration`, finds the `ConfigOption` that owns every key
//! (main key, fallback or deprecated key) among Flink's option classes, and forces Flink's typed parsing of its value.
//! One JVM for all directories. The oracle refuses to run where one of its option classes does not load on a release
//! that has it, so that no key reads as unknown because its class was skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::flink::run_oracle;

/// What Flink made of one conf directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigVerdict {
    /// Loaded; every key Flink read, with what owns it and its typed value.
    Loaded(BTreeMap<String, KeyVerdict>),
    /// `loadConfiguration` threw: the exception's message and its causes' messages, outermost first.
    LoadFailed(Vec<String>),
}

impl ConfigVerdict {
    /// The keys, or a panic naming why Flink could not load the directory.
    pub(crate) fn keys(&self) -> &BTreeMap<String, KeyVerdict> {
        match self {
            ConfigVerdict::Loaded(keys) => keys,
            ConfigVerdict::LoadFailed(chain) => {
                panic!("Flink could not load the config: {chain:?}")
            }
        }
    }
}

/// One loaded key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyVerdict {
    /// The main key of an option; the typed value's text (`30 s`, `1728 mb`, enum names, ...).
    Primary(String),
    /// A fallback key that Flink does not mark deprecated, of the option whose main key is `option`; the typed value.
    Fallback { option: String, value: String },
    /// Only a deprecated fallback key of the option whose main key is `option` (Flink logs a deprecation warning);
    /// the typed value.
    Deprecated { option: String, value: String },
    /// No option of the searched classes owns the key: Flink stores it and never reads it (a typo, for example).
    /// `raw` is the text Flink stored.
    Unknown { raw: String },
    /// The option whose main key is `option` owns the key but Flink's typed parsing threw: the message chain joined
    /// with " / ".
    Invalid { option: String, error: String },
}

impl KeyVerdict {
    /// The key this release reads `key` as: itself for a main key, the option's main key for a fallback or
    /// deprecated key (whether its value parses or not); `None` when no option reads it.
    pub(crate) fn read_as<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        match self {
            KeyVerdict::Primary(_) => Some(key),
            KeyVerdict::Fallback { option, .. }
            | KeyVerdict::Deprecated { option, .. }
            | KeyVerdict::Invalid { option, .. } => Some(option),
            KeyVerdict::Unknown { .. } => None,
        }
    }

    /// The typed value's text, where an option read the key and its value parsed.
    pub(crate) fn typed(&self) -> Option<&str> {
        match self {
            KeyVerdict::Primary(value)
            | KeyVerdict::Fallback { value, .. }
            | KeyVerdict::Deprecated { value, .. } => Some(value),
            KeyVerdict::Unknown { .. } | KeyVerdict::Invalid { .. } => None,
        }
    }
}

/// Asks Flink `home` about every `(id, conf dir)` in one JVM; `work` holds the compiled oracle and its files.
pub(crate) fn config_oracle(
    home: &Path,
    work: &Path,
    conf_dirs: &[(String, PathBuf)],
) -> BTreeMap<String, ConfigVerdict> {
    let lines: Vec<String> = conf_dirs
        .iter()
        .map(|(id, dir)| {
            assert!(
                !id.is_empty() && !id.contains(['\t', '\n']),
                "oracle ids are non-empty and tab-separated: {id:?}"
            );
            format!("{id}\t{}", dir.display())
        })
        .collect();
    parse_output(&run_oracle(home, work, "FlinkConfigOracle", &lines))
}

fn parse_output(text: &str) -> BTreeMap<String, ConfigVerdict> {
    let mut verdicts = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.splitn(5, '\t').collect();
        let [id, key, status, option, value] = fields[..] else {
            panic!("unexpected oracle line {line:?}");
        };
        let chain = || {
            value
                .split('\u{1f}')
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let (option, value) = (option.to_string(), value.to_string());
        let key_verdict = match status {
            "LOADED" => {
                verdicts.insert(id.to_string(), ConfigVerdict::Loaded(BTreeMap::new()));
                continue;
            }
            "LOAD_FAILED" => {
                verdicts.insert(id.to_string(), ConfigVerdict::LoadFailed(chain()));
                continue;
            }
            "PRIMARY" => KeyVerdict::Primary(value),
            "FALLBACK" => KeyVerdict::Fallback { option, value },
            "DEPRECATED" => KeyVerdict::Deprecated { option, value },
            "UNKNOWN" => KeyVerdict::Unknown { raw: value },
            "INVALID" => KeyVerdict::Invalid {
                option,
                error: chain().join(" / "),
            },
            other => panic!("unexpected oracle status {other:?} in {line:?}"),
        };
        match verdicts.get_mut(id) {
            Some(ConfigVerdict::Loaded(keys)) => {
                keys.insert(key.to_string(), key_verdict);
            }
            _ => panic!("oracle key line before its LOADED line: {line:?}"),
        }
    }
    verdicts
}
