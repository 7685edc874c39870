//! Aligning a new parallelism to the key groups or source partitions it divides, so that every subtask gets the same
//! share. Unlike the Kubernetes autoscaler before FLIP-586 (reference 1.5 and FLINK-39299: with a prime partition count
//! its search could reverse a scale-up into no change), this never reverses the direction of a change and never
//! cancels it: when no aligned value lies on the way, the computed value stays and the report says the split is uneven.

/// The aligned parallelism and, when it differs from `wanted` or cannot be aligned, why.
pub fn align(
    current: u32,
    wanted: u32,
    units: Option<u32>,
    max_parallelism: u32,
) -> (u32, Option<String>) {
    let Some(units) = units.filter(|n| *n > 0) else {
        return (wanted, None);
    };
    if units.is_multiple_of(wanted) {
        return (wanted, None);
    }
    let ceiling = units.min(max_parallelism.max(1));
    // Search in the direction of the change only: upward for a scale-up (or no change), and for a scale-down upward
    // but never back to the current value.
    let limit = if wanted < current {
        current.saturating_sub(1)
    } else {
        ceiling
    };
    if let Some(aligned) = (wanted..=limit.min(ceiling)).find(|p| units.is_multiple_of(*p)) {
        return (
            aligned,
            Some(format!(
                "{wanted} raised to {aligned}, which divides the {units} key groups or partitions evenly"
            )),
        );
    }
    (
        wanted,
        Some(format!(
            "{wanted} kept although it does not divide {units} evenly: no divisor lies between it and {}",
            if wanted < current {
                "the current parallelism"
            } else {
                "the maximum"
            }
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_upward_and_never_reverses_or_cancels() {
        assert_eq!(align(4, 6, Some(12), 128).0, 6);
        assert_eq!(align(4, 5, Some(12), 128).0, 6);
        assert_eq!(align(2, 5, Some(128), 128).0, 8);
        // A prime partition count: no divisor above 5 but 7 itself.
        assert_eq!(align(4, 5, Some(7), 128).0, 7);
        // Scale-down from 8 to 5 with 12 units: 6 divides and stays below 8.
        assert_eq!(align(8, 5, Some(12), 128).0, 6);
        // Scale-down from 6 to 5 with 12 units: the only divisor on the way would be 6 (no change): keep 5.
        let (kept, why) = align(6, 5, Some(12), 128);
        assert_eq!(kept, 5);
        assert!(why.unwrap().contains("does not divide"));
        assert_eq!(align(4, 7, Some(7), 128).0, 7);
        assert_eq!(align(4, 6, None, 128), (6, None));
    }
}
