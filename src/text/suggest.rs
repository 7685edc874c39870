//! "Did you mean": the candidate closest to a misspelled word, by edit distance (Levenshtein), when it is close
//! enough to be a typo rather than a different word. The distance is strsim's; the threshold is ours.

/// The closest candidate within `max(2, len / 5)` edits (ties: the first), or `None`.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 5).max(2);
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
