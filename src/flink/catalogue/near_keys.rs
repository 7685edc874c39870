//! "Did you mean" over a release's option keys, fast: an index of the keys' character trigrams. `check` asks it once
//! per unknown key, and a file may hold 300,000 of them; measuring the edit distance to each of ~1,500 keys every time
//! took minutes. The answer is the one `text::suggest::closest` gives (a property test there holds them together).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The most edits a candidate may be from a word of `chars` characters to be suggested for it: close enough to be a
/// typo rather than a different word.
pub(crate) fn edit_limit(chars: usize) -> usize {
    (chars / 5).max(2)
}

/// A character trigram, packed.
type Trigram = u64;

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
    /// For each trigram, the candidates holding it and how many times; sorted by trigram for a binary search (no
    /// hashing per lookup: `closest` looks up every trigram of every unknown key).
    postings: Vec<(Trigram, Vec<(u32, u16)>)>,
    /// The shared-trigram count per candidate, kept between calls and cleared after each: allocating and zeroing a
    /// counter per candidate for every unknown key cost more than the lookups.
    shared: Mutex<Vec<u32>>,
}

impl Suggester {
    pub(crate) fn new<'c>(candidates: impl IntoIterator<Item = &'c str>) -> Self {
        let mut suggester = Suggester::default();
        let mut postings: HashMap<Trigram, Vec<(u32, u16)>> = HashMap::new();
        for (index, candidate) in candidates.into_iter().enumerate() {
            let chars: Vec<char> = candidate.chars().collect();
            let mut counts: HashMap<Trigram, u16> = HashMap::new();
            for trigram in trigrams(&chars) {
                let count = counts.entry(trigram).or_default();
                *count = count.saturating_add(1);
            }
            let id = u32::try_from(index).unwrap_or(u32::MAX);
            for (trigram, count) in counts {
                postings.entry(trigram).or_default().push((id, count));
            }
            suggester
                .candidates
                .push((candidate.to_string(), chars.len()));
        }
        suggester.postings = postings.into_iter().collect();
        suggester
            .postings
            .sort_unstable_by_key(|(trigram, _)| *trigram);
        suggester.shared = Mutex::new(vec![0; suggester.candidates.len()]);
        suggester
    }

    fn postings(&self, trigram: Trigram) -> &[(u32, u16)] {
        self.postings
            .binary_search_by_key(&trigram, |(t, _)| *t)
            .ok()
            .and_then(|at| self.postings.get(at))
            .map_or(&[][..], |(_, holders)| holders.as_slice())
    }

    /// What [`closest`] would answer for `word` over these candidates.
    pub(crate) fn closest(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        let length = chars.len();
        let limit = edit_limit(length);
        let near_length = |candidate: usize| candidate.abs_diff(length) <= limit;
        let needed = |candidate: usize| length.max(candidate).saturating_sub(2 + 3 * limit);
        let measured: Vec<usize> = if length < 3 + 3 * limit {
            // Too short for the lemma: every candidate of nearby length.
            (0..self.candidates.len())
                .filter(|&i| self.candidates.get(i).is_some_and(|(_, n)| near_length(*n)))
                .collect()
        } else {
            // The word's trigrams with their counts (sorted runs, no hashing), then the shared count per candidate
            // in a flat table: this runs once per unknown key of a file.
            let mut own: Vec<Trigram> = trigrams(&chars).collect();
            own.sort_unstable();
            let mut shared = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
            if shared.len() != self.candidates.len() {
                *shared = vec![0; self.candidates.len()];
            }
            let mut touched: Vec<usize> = Vec::new();
            for run in own.chunk_by(|a, b| a == b) {
                let Some(trigram) = run.first() else { continue };
                let count = u32::try_from(run.len()).unwrap_or(u32::MAX);
                for (id, theirs) in self.postings(*trigram) {
                    let Some(slot) = usize::try_from(*id).ok().and_then(|i| shared.get_mut(i))
                    else {
                        continue;
                    };
                    if *slot == 0 {
                        touched.push(*id as usize);
                    }
                    *slot += count.min(u32::from(*theirs));
                }
            }
            let mut ids: Vec<usize> = touched
                .into_iter()
                .filter(|&index| {
                    // Read and cleared for the next call.
                    let common = shared.get_mut(index).map_or(0, std::mem::take) as usize;
                    self.candidates
                        .get(index)
                        .is_some_and(|(_, n)| near_length(*n) && common >= needed(*n))
                })
                .collect();
            ids.sort_unstable();
            ids
        };
        measured
            .into_iter()
            .filter_map(|index| self.candidates.get(index))
            .map(|(candidate, _)| (strsim::levenshtein(word, candidate), candidate.as_str()))
            .filter(|(distance, _)| *distance <= limit)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}
