//! "Did you mean": the candidate closest to a misspelled word, by edit distance (Levenshtein), when it is close
//! enough to be a typo rather than a different word. The distance is strsim's; the threshold is ours.
//!
//! [`closest`] measures every candidate; the catalogue's index (flink/catalogue/near_keys.rs) gives the same answer
//! for a release's option keys without measuring most of them (a test below holds the two together).

use crate::flink::catalogue::edit_limit;

/// The closest candidate within `max(2, len / 5)` edits (ties: the first), or `None`.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = edit_limit(word.chars().count());
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::catalogue::Suggester;

    proptest::proptest! {
        #[test]
        fn suggester_agrees_with_closest(word in "[a-z.]{0,30}", edits in proptest::collection::vec((0usize..40, "[a-z.]?"), 0..6)) {
            let keys = [
                "execution.checkpointing.interval",
                "execution.checkpointing.timeout",
                "state.backend.type",
                "taskmanager.memory.process.size",
                "parallelism.default",
                "a.b",
                "io.tmp.dirs",
            ];
            let suggester = Suggester::new(keys);
            proptest::prop_assert_eq!(suggester.closest(&word), closest(&word, keys));
            for key in keys {
                let mut typo: Vec<char> = key.chars().collect();
                for (at, with) in &edits {
                    let at = at % (typo.len() + 1);
                    match with.chars().next() {
                        Some(c) if at < typo.len() => typo[at] = c,
                        Some(c) => typo.push(c),
                        None if at < typo.len() => { typo.remove(at); }
                        None => {}
                    }
                }
                let typo: String = typo.into_iter().collect();
                proptest::prop_assert_eq!(suggester.closest(&typo), closest(&typo, keys));
            }
        }
    }

    /// The exhaustive search `check` made before the index (every key of the release measured in full with strsim),
    /// kept here as the reference the fast path must match.
    fn exhaustive<'k>(word: &str, keys: &[&'k str]) -> Option<&'k str> {
        let limit = edit_limit(word.chars().count());
        let mut best: Option<(usize, &str)> = None;
        for &key in keys {
            let distance = strsim::levenshtein(word, key);
            if distance <= limit && best.is_none_or(|(nearest, _)| distance < nearest) {
                best = Some((distance, key));
            }
        }
        best.map(|(_, key)| key)
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(64))]
        /// Issue 12: typos of the real keys of each release line (a few edits anywhere, of the characters keys use)
        /// get from the catalogue's index the suggestion the exhaustive search gives.
        #[test]
        fn catalogue_suggestions_match_the_exhaustive_search(
            line in 0usize..64,
            pick in 0usize..10_000,
            edits in proptest::collection::vec((0usize..80, "[a-z.\\-]?"), 0..8),
        ) {
            use crate::flink::catalogue::Catalogue;
            use crate::flink::version::{FlinkVersion, SUPPORTED_LINES};
            let lines: Vec<FlinkVersion> = SUPPORTED_LINES
                .iter()
                .map(|&(major, minor)| FlinkVersion::line(major, minor))
                .collect();
            let version = lines[line % lines.len()];
            let catalogue = Catalogue::get();
            let keys: Vec<&str> = catalogue.keys(version).collect();
            let mut typo: Vec<char> = keys[pick % keys.len()].chars().collect();
            for (at, with) in &edits {
                let at = at % (typo.len() + 1);
                match with.chars().next() {
                    Some(c) if at < typo.len() && at.is_multiple_of(2) => typo[at] = c,
                    Some(c) => typo.insert(at, c),
                    None if at < typo.len() => { typo.remove(at); }
                    None => {}
                }
            }
            let typo: String = typo.into_iter().collect();
            let expected = exhaustive(&typo, &keys);
            proptest::prop_assert_eq!(expected, closest(&typo, keys.iter().copied()));
            let indexed = catalogue.closest_key(&typo, version);
            proptest::prop_assert_eq!(indexed.as_deref(), expected);
        }
    }

    #[test]
    fn suggests_only_near_misses() {
        let keys = [
            "execution.checkpointing.interval",
            "execution.checkpointing.timeout",
        ];
        assert_eq!(
            closest("execution.checkpointing.intervall", keys),
            Some(keys[0])
        );
        assert_eq!(
            closest("execution.checkpointing.intreval", keys),
            Some(keys[0])
        );
        assert_eq!(closest("totally.different", keys), None);
    }
}
