//! Every configuration option of every Flink release line flinktune knows (1.15 to 2.3): key, value type, default,
//! fallback keys, deprecation, per line. It is read from the real Flink jars by `scripts/catalogue/generate.sh` into
//! the committed `options.tsv` (format in its header, provenance in README.md) and parsed here once, on first use.
//! It answers what `flinktune check` asks: is this key known in that version, since/until when, which option now reads
//! a deprecated key, what type its value must have.

mod line_index;
mod near_keys;
mod option_info;
mod parse;
mod release;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use line_index::LineIndex;
#[cfg(test)]
pub(crate) use near_keys::Suggester;
pub(crate) use near_keys::edit_limit;
pub(crate) use option_info::{KeyHistory, OptionInfo, ValueType};
pub(crate) use release::Release;

use crate::flink::version::FlinkVersion;

/// Key families Flink hands to plugins rather than declaring as options, so no catalogue can list them: file systems
/// read `s3.*`, `fs.<scheme>.*` and `flink.hadoop.*` (Flink docs, "File Systems"), metric reporters their own
/// `metrics.reporter.<name>.*` settings, and the Hadoop/YARN integration `flink.yarn.*`.
pub(crate) const PASSTHROUGH_PREFIXES: [&str; 8] = [
    "s3.",
    "s3a.",
    "s3p.",
    "fs.",
    "flink.hadoop.",
    "flink.yarn.",
    "metrics.reporter.",
    "traces.reporter.",
];

/// The generated catalogue, compiled into the binary.
const OPTIONS_TSV: &str = include_str!("options.tsv");

/// All keys of all release lines, with their histories.
#[derive(Debug)]
pub struct Catalogue {
    keys: BTreeMap<String, KeyHistory>,
    /// For each key that some option lists as a fallback key: the keys of those options (in key order).
    fallback_owners: BTreeMap<String, Vec<String>>,
    /// Rows of the file that did not parse (0 for the committed file; a test holds it there).
    skipped_rows: usize,
    /// Per release asked about, built on first use: what `check` needs for each of hundreds of thousands of keys
    /// without walking the whole catalogue per key.
    lines: Mutex<BTreeMap<FlinkVersion, Arc<LineIndex>>>,
}

impl Catalogue {
    /// The catalogue of the committed `options.tsv`, parsed on first use.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::parse(OPTIONS_TSV))
    }

    /// Parses text in the format of `options.tsv`; rows that do not parse are skipped and counted.
    pub(crate) fn parse(text: &str) -> Catalogue {
        let parsed = parse::parse(text);
        let mut keys = BTreeMap::new();
        let mut fallback_owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for history in parsed.histories {
            for (_, info) in history.changes() {
                for (fallback, _) in info.map(|info| &info.fallback_keys).into_iter().flatten() {
                    let owners = fallback_owners.entry(fallback.clone()).or_default();
                    if !owners.contains(&history.key) {
                        owners.push(history.key.clone());
                    }
                }
            }
            keys.insert(history.key.clone(), history);
        }
        for owners in fallback_owners.values_mut() {
            owners.sort();
        }
        Catalogue {
            keys,
            fallback_owners,
            skipped_rows: parsed.skipped,
            lines: Mutex::new(BTreeMap::new()),
        }
    }

    /// The catalogue as `version` reads it, its index built on first use and resolved once here: for a caller with
    /// many keys to ask about (`check`), rather than a lookup of the release's index per key (issue 12).
    pub(crate) fn release(&self, version: FlinkVersion) -> Release<'_> {
        let index = self
            .lines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(version)
            .or_insert_with(|| {
                Arc::new(LineIndex::new(
                    self.keys.values().filter_map(|history| history.at(version)),
                    self.keys(version),
                ))
            })
            .clone();
        Release::new(self, version, index)
    }

    /// The key of `version` closest to a misspelt `key` (text/suggest.rs), if one is near enough.
    pub(crate) fn closest_key(&self, key: &str, version: FlinkVersion) -> Option<String> {
        self.release(version).closest_key(key).map(str::to_string)
    }

    /// The option whose key is exactly `key` in `version` (a line such as 1.20, or a patch release such as 1.20.3).
    pub fn option(&self, key: &str, version: FlinkVersion) -> Option<&OptionInfo> {
        self.keys.get(key).and_then(|history| history.at(version))
    }

    /// The key's history if any release line flinktune knows has it.
    pub fn any_version(&self, key: &str) -> Option<&KeyHistory> {
        self.keys.get(key)
    }

    /// The option that reads `key` as one of its fallback keys in `version` (so `check` can say "deprecated, use X").
    /// When several do, the one whose fallback is not deprecated wins, then the first by key.
    pub fn owner_of_fallback(&self, key: &str, version: FlinkVersion) -> Option<&OptionInfo> {
        let owners = self.fallback_owners.get(key)?;
        let candidates = owners
            .iter()
            .filter_map(|owner| self.option(owner, version))
            .filter_map(|info| {
                let (_, deprecated) = info.fallback_keys.iter().find(|(k, _)| k == key)?;
                Some((*deprecated, info))
            });
        candidates
            .min_by_key(|(deprecated, _)| *deprecated)
            .map(|(_, info)| info)
    }

    /// Whether `version` reads `key`: as an option's main key, as a fallback key, as an entry of a map option
    /// (`KEY.<name>`), as an instance of a `<placeholder>` key, or as a setting passed through to a plugin.
    pub fn reads(&self, key: &str, version: FlinkVersion) -> bool {
        self.option(key, version).is_some()
            || self.owner_of_fallback(key, version).is_some()
            || self.release(version).reads_as_family(key)
    }

    /// The keys `version` has, in byte order.
    pub fn keys(&self, version: FlinkVersion) -> impl Iterator<Item = &str> {
        self.keys
            .values()
            .filter(move |history| history.at(version).is_some())
            .map(|history| history.key.as_str())
    }

    /// Every key of every release line, in byte order.
    pub fn histories(&self) -> impl Iterator<Item = &KeyHistory> {
        self.keys.values()
    }

    /// Rows of the file that did not parse and were left out (0 for the committed file).
    pub fn skipped_rows(&self) -> usize {
        self.skipped_rows
    }
}

#[cfg(test)]
mod tests;
