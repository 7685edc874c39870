//! Aligning a new parallelism to the key groups or source partitions, so that no subtask gets much more than its
//! share. The busiest subtask holds `ceil(units / p)` of them, `ceil(units / p) * p / units` times the mean; a split
//! within 10% of even is kept as it is (5 subtasks over 128 key groups: 26 against 25.6), and a worse one is raised to
//! the next parallelism whose split is within 10% (12 Kafka partitions wanted by 5 subtasks: 6). The Kubernetes
//! autoscaler instead always looks for an exact divisor (5 -> 8 over 128 key groups, 60% more slots for a 2% gain),
//! and before FLIP-586 could reverse a scale-up into no change on a prime partition count (docs/autoscaler-model.md,
//! FLINK-39299). This never reverses the direction of a change and never cancels it: when no better split lies on
//! the way, the computed value stays and the report says the split is uneven.

/// The busiest subtask's share over the mean that a split may have and still count as even.
pub(crate) const MAX_IMBALANCE: f64 = 1.1;

/// How many times the mean number of units the busiest of `p` subtasks holds.
fn imbalance(units: u32, p: u32) -> f64 {
    f64::from(units.div_ceil(p) * p) / f64::from(units)
}

/// The aligned parallelism and, when it differs from `wanted` or cannot be aligned, why.
pub(crate) fn align(
    current: u32,
    wanted: u32,
    units: Option<u32>,
    max_parallelism: u32,
) -> (u32, Option<String>) {
    let Some(units) = units.filter(|n| *n > 0) else {
        return (wanted, None);
    };
    if wanted == 0 || imbalance(units, wanted) <= MAX_IMBALANCE {
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
    if let Some(aligned) =
        (wanted..=limit.min(ceiling)).find(|p| imbalance(units, *p) <= MAX_IMBALANCE)
    {
        return (
            aligned,
            Some(format!(
                "{wanted} raised to {aligned}, which splits the {units} key groups or partitions evenly"
            )),
        );
    }
    (
        wanted,
        Some(format!(
            "{wanted} kept although its split of {units} is uneven (the busiest subtask gets {:.0}% more than the \
             mean): no better split lies between it and {}",
            (imbalance(units, wanted) - 1.0) * 100.0,
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
        // 128 key groups over 5 subtasks: 26 against a mean of 25.6, close enough; over 100: 2 against 1.28.
        assert_eq!(align(2, 5, Some(128), 128), (5, None));
        assert_eq!(align(60, 100, Some(128), 128).0, 128);
        // A prime partition count: no divisor above 5 but 7 itself.
        assert_eq!(align(4, 5, Some(7), 128).0, 7);
        // Scale-down from 8 to 5 with 12 units: 6 divides and stays below 8.
        assert_eq!(align(8, 5, Some(12), 128).0, 6);
        // Scale-down from 6 to 5 with 12 units: the only divisor on the way would be 6 (no change): keep 5.
        let (kept, why) = align(6, 5, Some(12), 128);
        assert_eq!(kept, 5);
        assert!(why.unwrap().contains("uneven"), "25% more than the mean");
        assert_eq!(align(4, 7, Some(7), 128).0, 7);
        assert_eq!(align(4, 6, None, 128), (6, None));
    }
}
