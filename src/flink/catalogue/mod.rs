//! Every configuration option of every Flink release line flinktune knows (1.15 to 2.3): key, value type, default,
//! fallback keys, deprecation, per line. It is read from the real Flink jars by `scripts/catalogue/generate.sh` into
//! the committed `options.tsv` (format in its header, provenance in README.md) and parsed here once, on first use.
//! It answers what `flinktune check` asks: is this key known in that version, since/until when, which option now reads
//! a deprecated key, what type its value must have.

mod near_keys;
mod option_info;
mod parse;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

pub(crate) use near_keys::{Suggester, edit_limit};
pub(crate) use option_info::{KeyHistory, OptionInfo, ValueType};

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

/// One release's keys that match more than themselves (map options and `<placeholder>` patterns) and a "did you
/// mean" index of its keys.
#[derive(Debug)]
struct LineIndex {
    /// Keys of map options: `KEY.<name>` is an entry of `KEY`. Looked up per dot of a key, not scanned.
    map_prefixes: HashSet<String>,
    /// `<placeholder>` keys split at their dots, to be matched segment by segment.
    patterns: Vec<Vec<String>>,
    suggester: Suggester,
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

    fn line(&self, version: FlinkVersion) -> Arc<LineIndex> {
        let mut lines = self
            .lines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        lines
            .entry(version)
            .or_insert_with(|| {
                let infos = || self.keys.values().filter_map(|history| history.at(version));
                Arc::new(LineIndex {
                    map_prefixes: infos()
                        .filter(|info| info.map_prefix)
                        .map(|info| info.key.clone())
                        .collect(),
                    patterns: infos()
                        .filter(|info| info.pattern)
                        .map(|info| info.key.split('.').map(str::to_string).collect())
                        .collect(),
                    suggester: Suggester::new(self.keys(version)),
                })
            })
            .clone()
    }

    /// The key of `version` closest to a misspelt `key` (text/suggest.rs), if one is near enough.
    pub(crate) fn closest_key(&self, key: &str, version: FlinkVersion) -> Option<String> {
        self.line(version)
            .suggester
            .closest(key)
            .map(str::to_string)
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
            || self.reads_as_family(key, version)
    }

    /// The part of [`Self::reads`] beyond the key's own option and fallback owner: whether `version` reads `key` as an
    /// entry of a map option, an instance of a `<placeholder>` key or a setting passed through to a plugin. For a
    /// caller that looked those two up already (`check` does, for each of up to 300,000 keys; issue 12).
    pub(crate) fn reads_as_family(&self, key: &str, version: FlinkVersion) -> bool {
        PASSTHROUGH_PREFIXES
            .iter()
            .any(|prefix| key.starts_with(prefix))
            || {
                let line = self.line(version);
                key.match_indices('.')
                    .any(|(dot, _)| line.map_prefixes.contains(&key[..dot]))
                    || line
                        .patterns
                        .iter()
                        .any(|pattern| matches_pattern(pattern, key))
            }
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

/// `a.<name>.b` (split at its dots) matches `a.x.b`: each `<...>` segment stands for one dot-free segment.
fn matches_pattern(pattern: &[String], key: &str) -> bool {
    // Segment by segment without collecting: `check` asks this for every unknown key of a file against every pattern.
    let mut want = pattern.iter();
    let mut have = key.split('.');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(want), Some(have))
                if (want.starts_with('<') && want.ends_with('>') && !have.is_empty())
                    || want == have => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests;
