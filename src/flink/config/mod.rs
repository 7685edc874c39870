//! A Flink configuration as Flink holds it after loading: a flat map from key to value, where each value remembers
//! where it was set (file, line and column, or a `-D` flag) so that every later message can point at it.

mod legacy_file;
mod loaded;
mod mapping_keys;
mod read;
mod standard_yaml;
mod yaml_scalar;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub(crate) use legacy_file::legacy_lines;
pub use legacy_file::parse_legacy_file;
pub use loaded::FileFormat;
pub(crate) use loaded::LoadedConfig;
pub(crate) use read::{ReadError, ReadOption};
pub(crate) use standard_yaml::StandardYamlError;
pub use standard_yaml::parse_standard_yaml;
pub(crate) use yaml_scalar::{single_quoted, yaml_scalar};

use crate::flink::java_text::double_to_string;
use crate::flink::options::ConfigOption;

/// The legacy configuration file (read by Flink up to 1.20) and the standard one (1.19 and later); which one a
/// version reads is [`ConfigFilePolicy`](crate::flink::version::ConfigFilePolicy).
pub(crate) const LEGACY_FILE_NAME: &str = "flink-conf.yaml";
pub(crate) const STANDARD_FILE_NAME: &str = "config.yaml";

/// Where Flink's scripts look for the conf directory (`config.sh`): `$FLINK_CONF_DIR`, else `$FLINK_HOME/conf`.
pub(crate) const CONF_DIR_ENV: &str = "FLINK_CONF_DIR";
pub(crate) const HOME_ENV: &str = "FLINK_HOME";
pub(crate) const HOME_CONF_SUBDIR: &str = "conf";

/// Pairs of keys where one is a prefix of the other at a dot (`state.backend` and `state.backend.incremental`).
/// Flink loads both, but its nested-YAML writer (`YamlParserUtils.convertAndDumpYamlFromFlatMap`, used by the
/// migration script and `config-parser-utils.sh`) crashes on them (docs/flink-config-files.md, "Keys that are
/// prefixes of other keys"). Sorted, each pair once.
pub(crate) fn prefix_pairs<'k>(keys: impl IntoIterator<Item = &'k str>) -> Vec<(&'k str, &'k str)> {
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut pairs = Vec::new();
    for (index, shorter) in keys.iter().enumerate() {
        // Keys starting with `shorter.` sort after it, though not always right after (`a.b-x` sorts between).
        for longer in &keys[index + 1..] {
            if !longer.starts_with(shorter) {
                break;
            }
            if longer.as_bytes().get(shorter.len()) == Some(&b'.') {
                pairs.push((*shorter, *longer));
            }
        }
    }
    pairs
}

/// A configuration value in the form Flink keeps it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A raw string: every value of a legacy `flink-conf.yaml`, every `-D`, and YAML strings.
    Text(String),
    /// A YAML integer, as its Java `toString()` (decimal; may exceed 64 bits, like snakeyaml's `BigInteger`).
    Integer(String),
    /// A YAML float, a Java `Double`.
    Float(f64),
    /// A YAML boolean.
    Bool(bool),
}

impl Value {
    /// Java's `Object.toString()` of the stored value: the text Flink parses typed options from and quotes in
    /// "Could not parse value '...'" messages.
    pub fn java_string(&self) -> String {
        match self {
            Value::Text(text) | Value::Integer(text) => text.clone(),
            Value::Float(value) => double_to_string(*value),
            Value::Bool(value) => value.to_string(),
        }
    }

    /// [`Self::java_string`] of a value no longer needed: a text is moved, not copied.
    pub(crate) fn into_java_string(self) -> String {
        match self {
            Value::Text(text) | Value::Integer(text) => text,
            other => other.java_string(),
        }
    }
}

/// Where a value was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A configuration file, with 1-based line and column.
    File {
        /// Shared by every value of one file: a file of 300,000 keys holds its name once, not 300,000 times.
        path: Arc<str>,
        line: usize,
        column: usize,
    },
    /// A `-D key=value` on the command line.
    DynamicProperty,
}

impl Origin {
    /// `(line, column)` in its file; `-D` properties before every line.
    pub(crate) fn position(&self) -> (usize, usize) {
        match self {
            Origin::File { line, column, .. } => (*line, *column),
            Origin::DynamicProperty => (0, 0),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line, column } => write!(f, "{path}:{line}:{column}"),
            Origin::DynamicProperty => f.write_str("-D"),
        }
    }
}

/// One key's value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub value: Value,
    pub origin: Origin,
}

/// A loaded configuration. Keys are unique; setting a key again replaces it, as Flink's `setString` does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Configuration {
    entries: BTreeMap<String, Entry>,
}

impl Configuration {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key`; the entry it replaces, if any, is handed back.
    pub fn set(&mut self, key: impl Into<String>, value: Value, origin: Origin) -> Option<Entry> {
        self.entries.insert(key.into(), Entry { value, origin })
    }

    /// The configuration a loader reads from a file's `(key, value, origin)` entries in file order: a later entry
    /// replaces an earlier one with the same key, as Flink's `setString` does. Each replacement is handed back, in file
    /// order, as (key, where it is set now, the entry it replaced).
    ///
    /// Built from the entries sorted by key in one pass, not by an insert per entry, each a search from the root: a
    /// file may hold 300,000 keys, and the searches were a tenth of `check`'s time (issue 12).
    pub(crate) fn from_entries_in_order(
        entries: Vec<(String, Value, Origin)>,
    ) -> (Configuration, Vec<(String, Origin, Entry)>) {
        let mut entries: Vec<(String, Entry)> = entries
            .into_iter()
            .map(|(key, value, origin)| (key, Entry { value, origin }))
            .collect();
        // Stable: the entries of one key stay in file order, so the last one is the one Flink keeps.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut replaced = Vec::new();
        entries.dedup_by(|later, kept| {
            if later.0 != kept.0 {
                return false;
            }
            std::mem::swap(&mut later.1, &mut kept.1);
            replaced.push((kept.0.clone(), kept.1.origin.clone(), later.1.clone()));
            true
        });
        replaced.sort_by_key(|(_, origin, _)| origin.position());
        (
            Configuration {
                entries: entries.into_iter().collect(),
            },
            replaced,
        )
    }

    /// Layers `other` over `self`: Flink applies `-D` dynamic properties over the file this way.
    pub fn overlay(&mut self, other: Configuration) {
        self.entries.extend(other.entries);
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The key (main or deprecated fallback, in Flink's lookup order) that holds a value for `option`.
    pub fn find<T: Copy>(&self, option: &ConfigOption<T>) -> Option<(&'static str, &Entry)> {
        option
            .keys()
            .find_map(|key| self.entries.get(key).map(|entry| (key, entry)))
    }

    /// Flink's `Configuration.contains(option)`, which counts deprecated fallback keys too.
    pub fn contains<T: Copy>(&self, option: &ConfigOption<T>) -> bool {
        self.find(option).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries
            .iter()
            .map(|(key, entry)| (key.as_str(), entry))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Something a loader noticed and Flink would only log (or silently do): a skipped line, a duplicate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadWarning {
    pub kind: LoadWarningKind,
    /// The key the warning is about, when there is one.
    pub key: Option<String>,
    pub origin: Origin,
    pub message: String,
}

/// What a [`LoadWarning`] is about, so that `check` can weigh it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadWarningKind {
    /// A legacy line that is not `key: value` (or has an empty side): Flink skips it.
    SkippedLine,
    /// An indented legacy line: Flink reads its key as if it were not nested.
    Indented,
    /// A key set twice: the last one wins.
    Duplicate,
    /// flink-conf.yaml shadows a config.yaml beside it (1.19/1.20).
    ShadowedFile,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// A configuration file's parsed content plus what the parser noticed along the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedFile {
    pub configuration: Configuration,
    pub warnings: Vec<LoadWarning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize) -> Origin {
        Origin::File {
            path: "f".into(),
            line,
            column: 1,
        }
    }

    #[test]
    fn the_last_entry_of_a_key_is_kept_and_each_replacement_handed_back_in_file_order() {
        let text = |text: &str| Value::Text(text.into());
        let (configuration, replaced) = Configuration::from_entries_in_order(vec![
            ("b".into(), text("1"), at(1)),
            ("a".into(), text("2"), at(2)),
            ("b".into(), text("3"), at(3)),
            ("c".into(), text("4"), at(4)),
            ("b".into(), text("5"), at(5)),
            ("a".into(), text("6"), at(6)),
        ]);
        let kept: Vec<(&str, String, usize)> = configuration
            .iter()
            .map(|(key, entry)| (key, entry.value.java_string(), entry.origin.position().0))
            .collect();
        assert_eq!(
            kept,
            [
                ("a", "6".into(), 6),
                ("b", "5".into(), 5),
                ("c", "4".into(), 4)
            ]
        );
        let replacements: Vec<(&str, usize, usize, String)> = replaced
            .iter()
            .map(|(key, now, previous)| {
                (
                    key.as_str(),
                    now.position().0,
                    previous.origin.position().0,
                    previous.value.java_string(),
                )
            })
            .collect();
        assert_eq!(
            replacements,
            [
                ("b", 3, 1, "1".into()),
                ("b", 5, 3, "3".into()),
                ("a", 6, 2, "2".into())
            ]
        );
    }
}
