//! What one release's keys match beyond themselves, built once per release: map options (`KEY.<name>` is an entry of
//! `KEY`) and `<placeholder>` patterns, grouped by their first segment, and the "did you mean" index of its keys. A
//! key of a file is checked against the few entries of its own first segment with one lookup, not against every map
//! option and pattern of the release: `check` asks this for each unknown key of a file that may hold 300,000 (issue
//! 12).

use std::collections::HashMap;

use super::near_keys::Suggester;
use super::option_info::OptionInfo;

/// One release's keys that stand for more than themselves, and its "did you mean" index.
#[derive(Debug)]
pub(super) struct LineIndex {
    /// By first segment (the text before the first dot): the map options and patterns that start with it.
    families: HashMap<String, Family>,
    /// Patterns whose first segment is itself a placeholder (none in Flink 1.15 to 2.3): matched against every key.
    wild_patterns: Vec<Vec<String>>,
    pub(super) suggester: Suggester,
}

/// The map options and patterns that share a first segment.
#[derive(Debug, Default)]
struct Family {
    /// Keys of map options.
    map_prefixes: Vec<String>,
    /// `<placeholder>` keys split at their dots.
    patterns: Vec<Vec<String>>,
}

impl LineIndex {
    /// `options` are the release's options, `keys` its keys in byte order (the suggester's tie order).
    pub(super) fn new<'c>(
        options: impl Iterator<Item = &'c OptionInfo>,
        keys: impl Iterator<Item = &'c str>,
    ) -> Self {
        let mut families: HashMap<String, Family> = HashMap::new();
        let mut wild_patterns = Vec::new();
        for info in options {
            if info.map_prefix {
                families
                    .entry(first_segment(&info.key).to_string())
                    .or_default()
                    .map_prefixes
                    .push(info.key.clone());
            }
            if info.pattern {
                let pattern: Vec<String> = info.key.split('.').map(str::to_string).collect();
                match pattern.first() {
                    Some(first) if !is_placeholder(first) => families
                        .entry(first.clone())
                        .or_default()
                        .patterns
                        .push(pattern),
                    _ => wild_patterns.push(pattern),
                }
            }
        }
        LineIndex {
            families,
            wild_patterns,
            suggester: Suggester::new(keys),
        }
    }

    /// Whether `key` is an entry of a map option (`KEY.<name>`) or an instance of a `<placeholder>` key.
    pub(super) fn matches_family(&self, key: &str) -> bool {
        let family = self.families.get(first_segment(key));
        family.is_some_and(|family| {
            family.map_prefixes.iter().any(|prefix| {
                key.starts_with(prefix.as_str()) && key.as_bytes().get(prefix.len()) == Some(&b'.')
            }) || family
                .patterns
                .iter()
                .any(|pattern| matches_pattern(pattern, key))
        }) || self
            .wild_patterns
            .iter()
            .any(|pattern| matches_pattern(pattern, key))
    }
}

/// The text before the first dot (all of it when there is none).
fn first_segment(key: &str) -> &str {
    key.split_once('.').map_or(key, |(first, _)| first)
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('<') && segment.ends_with('>')
}

/// `a.<name>.b` (split at its dots) matches `a.x.b`: each `<...>` segment stands for one dot-free segment.
fn matches_pattern(pattern: &[String], key: &str) -> bool {
    // Segment by segment without collecting.
    let mut want = pattern.iter();
    let mut have = key.split('.');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(want), Some(have))
                if (is_placeholder(want) && !have.is_empty()) || want == have => {}
            _ => return false,
        }
    }
}
