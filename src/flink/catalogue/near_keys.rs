//! "Did you mean" over a release's option keys, fast: an inverted index of the keys' character trigrams. `check` asks
//! it once per unknown key, and a file may hold 300,000 of them; measuring the edit distance to each of ~1,500 keys
//! every time took minutes, and counting the shared trigrams of every key that holds any of the word's still cost
//! more than the rest of `check` (issue 12). The answer is the one `text::suggest::closest` gives (property tests there
//! hold them together).

use std::collections::HashMap;
use std::ops::Range;

use rapidfuzz::distance::levenshtein;

/// The most edits a candidate may be from a word of `chars` characters to be suggested for it: close enough to be a
/// typo rather than a different word.
pub(crate) fn edit_limit(chars: usize) -> usize {
    (chars / 5).max(2)
}

/// A character trigram, packed.
type Trigram = u64;

/// A candidate that holds a trigram: its length in characters, its index, how many times it holds the trigram.
type Holder = (usize, u32, u16);

/// How many trigrams of three ASCII characters there are.
const ASCII_TRIGRAMS: usize = 1 << 21;

/// The place of a trigram of three ASCII characters among all of them, seven bits a character.
fn ascii_slot(trigram: Trigram) -> Option<usize> {
    let [a, b, c] = [
        trigram >> 42,
        (trigram >> 21) & 0x1F_FFFF,
        trigram & 0x1F_FFFF,
    ];
    (a < 128 && b < 128 && c < 128).then_some(((a << 14) | (b << 7) | c) as usize)
}

fn trigrams(word: &[char]) -> impl Iterator<Item = Trigram> + '_ {
    word.windows(3).map(|w| {
        w.iter()
            .fold(0u64, |packed, &c| (packed << 21) | u64::from(u32::from(c)))
    })
}

/// [`closest`] over a fixed list of candidates, with an inverted index of their trigrams.
///
/// By the q-gram lemma (Ukkonen 1992), a string within `k` edits of a word of `len` characters shares at least
/// `max(len, its len) - 2 - 3k` of the word's `len - 2` trigrams (counted with multiplicity), as each edit destroys at
/// most three; candidates that share fewer, or differ in length by more than `k`, are never measured, and the rest are
/// measured from the likeliest down. A first search within two edits reads only the holders of the word's rarest
/// trigrams ("prefix filtering"); the full search counts the shared trigrams from every trigram's holders. Words too
/// short for the lemma to exclude anything are measured against the keys of nearby length only.
#[derive(Debug, Default)]
pub(crate) struct Suggester {
    /// The candidates in their given order (ties go to the first).
    candidates: Vec<Candidate>,
    /// Candidate ids sorted by length in characters, for the words too short for the lemma.
    by_length: Vec<(usize, u32)>,
    /// For each trigram, where its holders lie in `holders`; sorted by trigram for a binary search.
    postings: Vec<(Trigram, Range<usize>)>,
    /// For a trigram of three ASCII characters (every trigram of Flink's keys), its place in `postings` plus one (zero:
    /// no key holds it), addressed by the characters themselves: `closest` looks up every trigram of every unknown key,
    /// and a binary search per lookup was a seventh of `check`'s time on 300,000 unknown keys (issue 12). Eight MiB
    /// of address space, of which only the pages of trigrams keys hold are touched.
    ascii_postings: Vec<u32>,
    /// Each trigram's holders (length in characters, id, how many times), sorted by length so that only those of
    /// nearby length are read.
    holders: Vec<Holder>,
    /// Each candidate's distinct trigrams with their counts, sorted; a candidate's own are `grams[candidate.grams]`.
    grams: Vec<(Trigram, u16)>,
}

#[derive(Debug)]
struct Candidate {
    key: String,
    /// Its length in characters.
    chars: usize,
    grams: Range<usize>,
}

/// What [`Suggester::closest_with`] works in: buffers kept by the caller between calls and cleared after each
/// (allocating them, and zeroing a mark per candidate, for every unknown key cost more than the lookups).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The word's characters.
    chars: Vec<char>,
    /// Per candidate: its shared-trigram count, or a mark that it holds one of the word's rarest trigrams. Zero
    /// between calls.
    shared: Vec<u32>,
    /// The candidates whose count or mark is not zero, to read and clear them.
    touched: Vec<u32>,
    /// The word's trigrams, sorted.
    own: Vec<Trigram>,
    /// The word's distinct trigrams with their counts, sorted, and where their holders within `limit` characters of
    /// the word's length lie in `holders`.
    runs: Vec<(Trigram, u32, Range<usize>)>,
    /// (how many holders of nearby length, its count in the word, where they lie in `holders`) per distinct trigram.
    rarity: Vec<(usize, u32, Range<usize>)>,
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
            let mut own: Vec<(Trigram, u16)> = counts.into_iter().collect();
            own.sort_unstable();
            for &(trigram, count) in &own {
                postings
                    .entry(trigram)
                    .or_default()
                    .push((chars.len(), id, count));
            }
            let start = suggester.grams.len();
            suggester.grams.extend(own);
            suggester.candidates.push(Candidate {
                key: candidate.to_string(),
                chars: chars.len(),
                grams: start..suggester.grams.len(),
            });
            suggester.by_length.push((chars.len(), id));
        }
        suggester.by_length.sort_unstable();
        let mut postings: Vec<(Trigram, Vec<Holder>)> = postings.into_iter().collect();
        postings.sort_unstable_by_key(|(trigram, _)| *trigram);
        suggester.ascii_postings = vec![0; ASCII_TRIGRAMS];
        for (at, (trigram, mut holders)) in postings.into_iter().enumerate() {
            if let Some(slot) =
                ascii_slot(trigram).and_then(|slot| suggester.ascii_postings.get_mut(slot))
            {
                *slot = u32::try_from(at + 1).unwrap_or(0);
            }
            holders.sort_unstable();
            let start = suggester.holders.len();
            suggester.holders.extend(holders);
            suggester
                .postings
                .push((trigram, start..suggester.holders.len()));
        }
        suggester
    }

    /// Where the holders of `trigram` whose length is in `lengths` lie in `holders`.
    fn holders_of(&self, trigram: Trigram, lengths: &Range<usize>) -> Range<usize> {
        let at = match ascii_slot(trigram) {
            Some(slot) => self
                .ascii_postings
                .get(slot)
                .and_then(|at| (*at as usize).checked_sub(1)),
            None => self
                .postings
                .binary_search_by_key(&trigram, |(t, _)| *t)
                .ok(),
        };
        let all = at
            .and_then(|at| self.postings.get(at))
            .map_or(0..0, |(_, range)| range.clone());
        self.narrowed(all, lengths)
    }

    /// The part of `holders` (a range of one trigram's) whose length is in `lengths`.
    fn narrowed(&self, holders: Range<usize>, lengths: &Range<usize>) -> Range<usize> {
        let slice = self.holders.get(holders.clone()).unwrap_or_default();
        let from = slice.partition_point(|(length, _, _)| *length < lengths.start);
        let to = slice.partition_point(|(length, _, _)| *length < lengths.end);
        holders.start + from..holders.start + to
    }

    /// What [`closest`] would answer for `word` over these candidates.
    #[cfg(test)]
    pub(crate) fn closest(&self, word: &str) -> Option<&str> {
        self.closest_with(word, &mut Scratch::default())
    }

    /// What [`closest`] would answer for `word` over these candidates, working in `scratch`, which the caller keeps for
    /// the next word.
    pub(crate) fn closest_with(&self, word: &str, scratch: &mut Scratch) -> Option<&str> {
        scratch.chars.clear();
        scratch.chars.extend(word.chars());
        let length = scratch.chars.len();
        let limit = edit_limit(length);
        scratch.bounded.clear();
        if length < 3 + 3 * limit {
            // Too short for the lemma: every candidate of nearby length, at least the length difference away.
            let from = self
                .by_length
                .partition_point(|(n, _)| *n < length.saturating_sub(limit));
            let to = self
                .by_length
                .partition_point(|(n, _)| *n <= length + limit);
            let nearby = self.by_length.get(from..to).unwrap_or_default();
            scratch.bounded.extend(
                nearby
                    .iter()
                    .map(|&(n, id)| (n.abs_diff(length), id as usize)),
            );
            return self.nearest(word, limit, &mut scratch.bounded);
        }
        self.word_trigrams(length, limit, scratch);
        // The lemma over all candidates at once: a candidate shares at most the word's trigrams that some candidate of
        // nearby length holds. Most unknown keys (`custom.key.123456` holds 3 such of its 15 and would need 6) end here,
        // before any candidate is counted (issue 12).
        let held: usize = scratch
            .runs
            .iter()
            .filter(|(_, _, holders)| !holders.is_empty())
            .map(|(_, count, _)| *count as usize)
            .sum();
        if held + 2 + 3 * limit < length {
            return None;
        }
        // Most misspelt keys are a slip or two from the key meant: looked for within `NARROW_EDITS` first, where the
        // filter reads only the short lists of the word's rarest trigrams. A candidate found there is the answer: every
        // candidate at least as near passes that filter too.
        // When that is the limit (words of up to 14 characters), the search ends there.
        self.bound_by_rarest_trigrams(length, NARROW_EDITS, scratch);
        if let Some(found) = self.nearest(word, NARROW_EDITS, &mut scratch.bounded) {
            return Some(found);
        }
        if limit <= NARROW_EDITS {
            return None;
        }
        scratch.bounded.clear();
        // Farther, prefix filtering needs most of the word's trigrams and reads nearly every holder, and counting is
        // cheaper than reading each candidate's own list (callgrind on the varied file of benches/check.rs).
        self.bound_by_shared_trigrams(length, limit, scratch);
        self.nearest(word, limit, &mut scratch.bounded)
    }

    /// The nearest of the `bounded` candidates, (the fewest edits each can be away, its index), within `limit` edits.
    fn nearest(&self, word: &str, limit: usize, bounded: &mut [(usize, usize)]) -> Option<&str> {
        // Measured from the likeliest down, until no candidate left can beat (or tie with) the best so far: a file of
        // typos near the `taskmanager.memory.*` keys measured dozens of candidates per key, each in full (issue 12).
        bounded.sort_unstable();
        let mut best: Option<(usize, usize)> = None;
        for &(bound, index) in bounded.iter() {
            if best.is_some_and(|(distance, _)| bound > distance) {
                break;
            }
            let Some(candidate) = self.candidates.get(index) else {
                continue;
            };
            // Past the best so far (or the limit) a candidate cannot win, and is not measured to the end.
            let cutoff = best.map_or(limit, |(distance, _)| distance);
            let Some(distance) = distance(word, &candidate.key, cutoff) else {
                continue;
            };
            // Ties go to the first candidate, as in [`closest`].
            if best.is_none_or(|best| (distance, index) < best) {
                best = Some((distance, index));
            }
        }
        best.and_then(|(_, index)| self.candidates.get(index))
            .map(|candidate| candidate.key.as_str())
    }

    /// The word's distinct trigrams with their counts and holders within `limit` of its `length` into `scratch.runs`
    /// (sorted, no hashing: this runs once per unknown key of a file).
    fn word_trigrams(&self, length: usize, limit: usize, scratch: &mut Scratch) {
        let Scratch {
            chars, own, runs, ..
        } = scratch;
        own.clear();
        own.extend(trigrams(chars));
        own.sort_unstable();
        let lengths = length.saturating_sub(limit)..length + limit + 1;
        runs.clear();
        runs.extend(own.chunk_by(|a, b| a == b).filter_map(|run| {
            let count = u32::try_from(run.len()).unwrap_or(u32::MAX);
            run.first()
                .map(|&trigram| (trigram, count, self.holders_of(trigram, &lengths)))
        }));
        if scratch.shared.len() != self.candidates.len() {
            scratch.shared = vec![0; self.candidates.len()];
        }
    }

    /// Lists in `scratch.bounded` the candidates that the q-gram lemma leaves within `limit` edits of a word of `length`
    /// characters (at least `3 + 3 * limit`), each with the fewest edits it can be away, by prefix filtering: a
    /// candidate that holds none of the word's rarest trigrams making up `3 * limit + 1` of its occurrences shares at
    /// most `length - 3 - 3 * limit` of them, too few. Only those trigrams' holders are read; their shared count comes
    /// from their own trigram lists. Cheap for a small `limit`, where a slip's new trigrams (held by no key) and the
    /// key's rarest cover the occurrences; for a large one it reads most holders, each more slowly than counting.
    fn bound_by_rarest_trigrams(&self, length: usize, limit: usize, scratch: &mut Scratch) {
        let lengths = length.saturating_sub(limit)..length + limit + 1;
        let Scratch {
            shared,
            touched,
            runs,
            rarity,
            bounded,
            ..
        } = scratch;
        rarity.clear();
        rarity.extend(runs.iter().map(|(_, count, holders)| {
            let holders = self.narrowed(holders.clone(), &lengths);
            (holders.len(), *count, holders)
        }));
        rarity.sort_unstable_by_key(|(holders, _, _)| *holders);
        let mut uncovered = 3 * limit + 1;
        for (_, count, range) in rarity.iter() {
            if uncovered == 0 {
                break;
            }
            uncovered = uncovered.saturating_sub(*count as usize);
            for &(_, id, _) in self.holders.get(range.clone()).unwrap_or_default() {
                if let Some(mark) = shared.get_mut(id as usize)
                    && *mark == 0
                {
                    *mark = 1;
                    touched.push(id);
                }
            }
        }
        for id in touched.drain(..) {
            let index = id as usize;
            // Cleared for the next call.
            if let Some(mark) = shared.get_mut(index) {
                *mark = 0;
            }
            let Some(candidate) = self.candidates.get(index) else {
                continue;
            };
            let theirs = self.grams.get(candidate.grams.clone()).unwrap_or_default();
            if let Some(bound) = bound(length, candidate.chars, shared_count(runs, theirs), limit) {
                bounded.push((bound, index));
            }
        }
    }

    /// What [`Self::bound_by_rarest_trigrams`] lists, by counting: the shared count of every candidate of nearby length
    /// that holds any of the word's trigrams, read from each trigram's holders.
    fn bound_by_shared_trigrams(&self, length: usize, limit: usize, scratch: &mut Scratch) {
        let Scratch {
            shared,
            touched,
            runs,
            bounded,
            ..
        } = scratch;
        for (_, count, holders) in runs.iter() {
            let count = *count;
            for &(_, id, theirs) in self.holders.get(holders.clone()).unwrap_or_default() {
                let Some(slot) = shared.get_mut(id as usize) else {
                    continue;
                };
                if *slot == 0 {
                    touched.push(id);
                }
                *slot += count.min(u32::from(theirs));
            }
        }
        for id in touched.drain(..) {
            let index = id as usize;
            // Read and cleared for the next call.
            let common = shared.get_mut(index).map_or(0, std::mem::take) as usize;
            let Some(candidate) = self.candidates.get(index) else {
                continue;
            };
            if let Some(bound) = bound(length, candidate.chars, common, limit) {
                bounded.push((bound, index));
            }
        }
    }
}

/// Misspelt keys are looked for this near first ([`Suggester::closest_with`]).
const NARROW_EDITS: usize = 2;

/// The fewest edits between a word of `length` characters and a candidate of `theirs` that share `common` trigrams, if
/// no more than `limit`: each edit destroys at most three trigrams of the longer word's `max - 2`, and changes the
/// length by at most one.
fn bound(length: usize, theirs: usize, common: usize, limit: usize) -> Option<usize> {
    let by_trigrams = (length.max(theirs).saturating_sub(2))
        .saturating_sub(common)
        .div_ceil(3);
    let bound = by_trigrams.max(theirs.abs_diff(length));
    (bound <= limit).then_some(bound)
}

/// How many trigrams two words share, counted with multiplicity, from their sorted distinct trigrams and counts.
fn shared_count(ours: &[(Trigram, u32, Range<usize>)], theirs: &[(Trigram, u16)]) -> usize {
    let (mut ours, mut theirs) = (ours.iter().peekable(), theirs.iter().peekable());
    let mut common = 0;
    while let (Some(&&(a, mine, _)), Some(&&(b, other))) = (ours.peek(), theirs.peek()) {
        match a.cmp(&b) {
            std::cmp::Ordering::Less => {
                ours.next();
            }
            std::cmp::Ordering::Greater => {
                theirs.next();
            }
            std::cmp::Ordering::Equal => {
                common += mine.min(u32::from(other)) as usize;
                ours.next();
                theirs.next();
            }
        }
    }
    common
}

/// The Levenshtein distance between `word` and `candidate` if it is at most `cutoff`: rapidfuzz's, which drops the
/// common prefix and suffix first (keys share long ones, `taskmanager.memory.`, `.size`) and stops once the distance
/// must exceed the cutoff. Measuring each candidate in full to the end cost a sixth of `check` on a file of typos
/// (benches/check.rs, varied: 1,864 M instructions before, 1,534 M after; issue 12).
fn distance(word: &str, candidate: &str, cutoff: usize) -> Option<usize> {
    levenshtein::distance_with_args(
        word.chars(),
        candidate.chars(),
        &levenshtein::Args::default().score_cutoff(cutoff),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn distance_within_the_cutoff_is_levenshteins(
            word in "[ab.\u{e9}\u{4e2d}]{0,12}",
            candidate in "[ab.\u{e9}\u{4e2d}]{0,12}",
            cutoff in 0usize..14,
        ) {
            let full = strsim::levenshtein(&word, &candidate);
            proptest::prop_assert_eq!(distance(&word, &candidate, cutoff), (full <= cutoff).then_some(full));
        }
    }
}
