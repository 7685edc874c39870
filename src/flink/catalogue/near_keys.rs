//! "Did you mean" over a release's option keys, fast: an index of the keys' character trigrams. `check` asks it once
//! per unknown key, and a file may hold 300,000 of them; measuring the edit distance to each of ~1,500 keys every time
//! took minutes. The answer is the one `text::suggest::closest` gives (a property test there holds them together).

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::{Mutex, PoisonError};

/// The most edits a candidate may be from a word of `chars` characters to be suggested for it: close enough to be a
/// typo rather than a different word.
pub(crate) fn edit_limit(chars: usize) -> usize {
    (chars / 5).max(2)
}

/// A character trigram, packed.
type Trigram = u64;

/// A candidate that holds a trigram: its length in characters, its index, how many times it holds the trigram.
type Holder = (usize, u32, u16);

fn trigrams(word: &[char]) -> impl Iterator<Item = Trigram> + '_ {
    word.windows(3).map(|w| {
        w.iter()
            .fold(0u64, |packed, &c| (packed << 21) | u64::from(u32::from(c)))
    })
}

/// [`closest`] over a fixed list of candidates, with an index of their trigrams. By the q-gram lemma, two strings
/// within `k` edits share at least `max(len) - 2 - 3k` trigrams (counted with multiplicity); candidates sharing fewer
/// are never measured. Words too short for the lemma to exclude anything are measured against the candidates of
/// nearby length only.
#[derive(Debug, Default)]
pub(crate) struct Suggester {
    /// The candidates in their given order (ties go to the first) with their length in characters.
    candidates: Vec<(String, usize)>,
    /// For each trigram, the candidates holding it (their length in characters, id, and how many times), sorted by
    /// length so that only those of nearby length are counted; trigrams sorted for a binary search (no hashing per
    /// lookup: `closest` looks up every trigram of every unknown key).
    postings: Vec<(Trigram, Vec<Holder>)>,
    /// Buffers kept between calls and cleared after each: allocating them (and zeroing a counter per candidate) for
    /// every unknown key cost more than the lookups.
    scratch: Mutex<Scratch>,
}

/// What one [`Suggester::closest`] works in.
#[derive(Debug, Default)]
struct Scratch {
    /// The word's characters.
    chars: Vec<char>,
    /// The shared-trigram count per candidate: zero between calls.
    shared: Vec<u32>,
    /// The candidates whose count is not zero, to read and clear them.
    touched: Vec<u32>,
    /// The word's trigrams, sorted.
    own: Vec<Trigram>,
    /// (the fewest edits a candidate can be away, its index).
    bounded: Vec<(usize, usize)>,
}

impl Suggester {
    pub(crate) fn new<'c>(candidates: impl IntoIterator<Item = &'c str>) -> Self {
        let mut suggester = Suggester::default();
        let mut postings: HashMap<Trigram, Vec<Holder>> = HashMap::new();
        for (index, candidate) in candidates.into_iter().enumerate() {
            let chars: Vec<char> = candidate.chars().collect();
            let mut counts: HashMap<Trigram, u16> = HashMap::new();
            for trigram in trigrams(&chars) {
                let count = counts.entry(trigram).or_default();
                *count = count.saturating_add(1);
            }
            let id = u32::try_from(index).unwrap_or(u32::MAX);
            for (trigram, count) in counts {
                postings
                    .entry(trigram)
                    .or_default()
                    .push((chars.len(), id, count));
            }
            suggester
                .candidates
                .push((candidate.to_string(), chars.len()));
        }
        suggester.postings = postings
            .into_iter()
            .map(|(trigram, mut holders)| {
                holders.sort_unstable();
                (trigram, holders)
            })
            .collect();
        suggester
            .postings
            .sort_unstable_by_key(|(trigram, _)| *trigram);
        suggester.scratch = Mutex::new(Scratch {
            shared: vec![0; suggester.candidates.len()],
            ..Scratch::default()
        });
        suggester
    }

    /// The candidates holding `trigram` whose length is in `lengths`.
    fn postings(&self, trigram: Trigram, lengths: RangeInclusive<usize>) -> &[Holder] {
        let holders = self
            .postings
            .binary_search_by_key(&trigram, |(t, _)| *t)
            .ok()
            .and_then(|at| self.postings.get(at))
            .map_or(&[][..], |(_, holders)| holders.as_slice());
        let from = holders.partition_point(|(length, _, _)| length < lengths.start());
        let to = holders.partition_point(|(length, _, _)| length <= lengths.end());
        holders.get(from..to).unwrap_or_default()
    }

    /// What [`closest`] would answer for `word` over these candidates.
    pub(crate) fn closest(&self, word: &str) -> Option<&str> {
        let mut scratch = self.scratch.lock().unwrap_or_else(PoisonError::into_inner);
        let Scratch {
            chars,
            shared,
            touched,
            own,
            bounded,
        } = &mut *scratch;
        chars.clear();
        chars.extend(word.chars());
        let length = chars.len();
        let limit = edit_limit(length);
        // (the fewest edits the candidate can be away, its index): no more than `limit`.
        bounded.clear();
        if length < 3 + 3 * limit {
            // Too short for the lemma: every candidate of nearby length, at least the length difference away.
            bounded.extend(
                self.candidates
                    .iter()
                    .enumerate()
                    .map(|(index, (_, n))| (n.abs_diff(length), index))
                    .filter(|(bound, _)| *bound <= limit),
            );
        } else {
            // Farther in length than `limit` is more than `limit` edits away: not counted at all.
            self.count_shared_trigrams(
                chars,
                length.saturating_sub(limit)..=length + limit,
                shared,
                touched,
                own,
            );
            for index in touched.drain(..) {
                let index = index as usize;
                // Read and cleared for the next call.
                let common = shared.get_mut(index).map_or(0, std::mem::take) as usize;
                let Some((_, n)) = self.candidates.get(index) else {
                    continue;
                };
                // Each edit destroys at most three trigrams of the longer word's `max - 2`.
                let by_trigrams = (length.max(*n) - 2).saturating_sub(common).div_ceil(3);
                let bound = by_trigrams.max(n.abs_diff(length));
                if bound <= limit {
                    bounded.push((bound, index));
                }
            }
        }
        // Measured from the likeliest down, until no candidate left can beat (or tie with) the best so far: a file of
        // typos near the `taskmanager.memory.*` keys measured dozens of candidates per key, each in full (issue 12).
        bounded.sort_unstable();
        let mut best: Option<(usize, usize)> = None;
        for &(bound, index) in bounded.iter() {
            if best.is_some_and(|(distance, _)| bound > distance) {
                break;
            }
            let Some((candidate, _)) = self.candidates.get(index) else {
                continue;
            };
            let distance = distance(word, candidate);
            // Ties go to the first candidate, as in [`closest`].
            if distance <= limit && best.is_none_or(|best| (distance, index) < best) {
                best = Some((distance, index));
            }
        }
        best.and_then(|(_, index)| self.candidates.get(index))
            .map(|(candidate, _)| candidate.as_str())
    }

    /// Counts in `shared` how many trigrams (with multiplicity) each candidate of a length in `lengths` shares with
    /// `word`, listing in `touched` those that share any; `own` is a buffer for the word's trigrams.
    fn count_shared_trigrams(
        &self,
        word: &[char],
        lengths: RangeInclusive<usize>,
        shared: &mut Vec<u32>,
        touched: &mut Vec<u32>,
        own: &mut Vec<Trigram>,
    ) {
        // The word's trigrams with their counts (sorted runs, no hashing), then the shared count per candidate in a
        // flat table: this runs once per unknown key of a file.
        own.clear();
        own.extend(trigrams(word));
        own.sort_unstable();
        if shared.len() != self.candidates.len() {
            *shared = vec![0; self.candidates.len()];
        }
        for run in own.chunk_by(|a, b| a == b) {
            let Some(trigram) = run.first() else { continue };
            let count = u32::try_from(run.len()).unwrap_or(u32::MAX);
            for (_, id, theirs) in self.postings(*trigram, lengths.clone()) {
                let Some(slot) = usize::try_from(*id).ok().and_then(|i| shared.get_mut(i)) else {
                    continue;
                };
                if *slot == 0 {
                    touched.push(*id);
                }
                *slot += count.min(u32::from(*theirs));
            }
        }
    }
}

/// strsim's Levenshtein distance, measured between what lies between the two words' common prefix and suffix: an edit
/// script never needs to touch those, and keys share long ones (`taskmanager.memory.`, `.size`), so a typo of a
/// 35-character key costs a few characters' measuring instead of 35 by 35 (issue 12).
fn distance(word: &str, candidate: &str) -> usize {
    let common = |a: &mut dyn Iterator<Item = char>, b: &mut dyn Iterator<Item = char>| {
        a.zip(b)
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.len_utf8())
            .sum::<usize>()
    };
    let prefix = common(&mut word.chars(), &mut candidate.chars());
    let (word, candidate) = (&word[prefix..], &candidate[prefix..]);
    let suffix = common(&mut word.chars().rev(), &mut candidate.chars().rev());
    strsim::levenshtein(
        &word[..word.len() - suffix],
        &candidate[..candidate.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn distance_without_common_ends_is_levenshteins(
            word in "[ab.\u{e9}\u{4e2d}]{0,12}",
            candidate in "[ab.\u{e9}\u{4e2d}]{0,12}",
        ) {
            proptest::prop_assert_eq!(distance(&word, &candidate), strsim::levenshtein(&word, &candidate));
        }
    }
}
