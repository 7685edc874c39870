//! Flink's own configuration loader as the judge of an emitted conf directory: tests/oracle/FlinkConfigOracle.java
//! loads each directory with `GlobalConfiguration.loadConfiguration`, finds the `ConfigOption` that owns every key
//! (main key, fallback or deprecated key) among Flink's option classes, and forces Flink's typed parsing of its value.
//! One JVM for all directories.

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
    /// A fallback key that Flink does not mark deprecated; the typed value.
    Fallback(String),
    /// Only a deprecated fallback key of an option (Flink logs a deprecation warning); the typed value.
    Deprecated(String),
    /// No option of the searched classes owns the key: Flink stores it and never reads it (a typo, for example).
    Unknown,
    /// An option owns the key but Flink's typed parsing threw: the message chain joined with " / ".
    Invalid(String),
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
                !id.contains(['\t', '\n']),
                "oracle ids are tab-separated: {id:?}"
            );
            format!("{id}\t{}", dir.display())
        })
        .collect();
    parse_output(&run_oracle(home, work, "FlinkConfigOracle", &lines))
}

fn parse_output(text: &str) -> BTreeMap<String, ConfigVerdict> {
    let mut verdicts = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let [id, key, status, value] = fields[..] else {
            panic!("unexpected oracle line {line:?}");
        };
        let chain = || {
            value
                .split('\u{1f}')
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let key_verdict = match status {
            "LOADED" => {
                verdicts.insert(id.to_string(), ConfigVerdict::Loaded(BTreeMap::new()));
                continue;
            }
            "LOAD_FAILED" => {
                verdicts.insert(id.to_string(), ConfigVerdict::LoadFailed(chain()));
                continue;
            }
            "PRIMARY" => KeyVerdict::Primary(value.to_string()),
            "FALLBACK" => KeyVerdict::Fallback(value.to_string()),
            "DEPRECATED" => KeyVerdict::Deprecated(value.to_string()),
            "UNKNOWN" => KeyVerdict::Unknown,
            "INVALID" => KeyVerdict::Invalid(chain().join(" / ")),
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
