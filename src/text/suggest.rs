//! "Did you mean": the candidate closest to a misspelled word, by edit distance (Levenshtein), when it is close
//! enough to be a typo rather than a different word.

/// The closest candidate within `max(2, len / 5)` edits (ties: the first), or `None`.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 5).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
