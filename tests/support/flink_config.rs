//! Flink's own configuration loader as the judge of an emitted conf directory: tests/oracle/FlinkConfigOracle.java
//! loads each directory with `GlobalConfiguration.loadConfiguration`, finds the `ConfigOption` that owns every key
//! (main key, fallback or deprecated key) among Flink's option classes, and forces Flink's typed parsing of its value.
//! One JVM for all directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo_root;

/// What Flink made of one conf directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigVerdict {
    /// Loaded; every key Flink read, with what owns it and its typed value.
    Loaded(BTreeMap<String, KeyVerdict>),
    /// `loadConfiguration` threw: the exception's message and its causes' messages, outermost first.
    LoadFailed(Vec<String>),
}

impl ConfigVerdict {
    /// The keys, or a panic naming why Flink could not load the directory.
    pub fn keys(&self) -> &BTreeMap<String, KeyVerdict> {
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
pub enum KeyVerdict {
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

/// The classpath the oracle compiles and runs with: lib/* holds flink-dist, which carries every option class the
/// oracle searches, RocksDB's included (both versions); opt/ holds only the Python and SQL client jars.
fn classpath(home: &Path, extra: Option<&Path>) -> String {
    let mut parts = vec![];
    if let Some(extra) = extra {
        parts.push(extra.display().to_string());
    }
    parts.push(format!("{}/lib/*", home.display()));
    parts.join(":")
}

/// Asks Flink `home` about every `(id, conf dir)` in one JVM; `work` holds the compiled oracle and its files.
pub fn config_oracle(
    home: &Path,
    work: &Path,
    conf_dirs: &[(String, PathBuf)],
) -> BTreeMap<String, ConfigVerdict> {
    let classes = work.join("config-oracle-classes");
    std::fs::create_dir_all(&classes).unwrap();
    let javac = Command::new("javac")
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(classpath(home, None))
        .arg(repo_root().join("tests/oracle/FlinkConfigOracle.java"))
        .output()
        .expect("javac (Java 17 JDK) is needed for the Flink config oracle");
    assert!(
        javac.status.success(),
        "javac failed: {}",
        String::from_utf8_lossy(&javac.stderr)
    );

    let input = work.join("config-oracle-in.tsv");
    let output = work.join("config-oracle-out.tsv");
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
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let run = Command::new("java")
        .arg("-cp")
        .arg(classpath(home, Some(&classes)))
        .arg("FlinkConfigOracle")
        .arg(&input)
        .arg(&output)
        .env_remove("FLINK_CONF_DIR")
        .output()
        .expect("java");
    assert!(
        run.status.success(),
        "config oracle failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    parse_output(&std::fs::read_to_string(&output).unwrap())
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
