//! `parallelism.default` and `pipeline.max-parallelism`. Parallelism is the first lever: an application or per-job
//! cluster exists for one job, so the job gets every slot, or what its input rate needs when a slot's throughput is
//! known (DS2-style: rate over throughput at a target utilization). Source partitions cap it, since a source subtask
//! without a partition idles, and a divisor of the partition count gives every subtask the same number.
//! The max parallelism is the number of key groups: fixed once state exists, so it is pinned with headroom, to a
//! number with many divisors so that key groups split evenly at many parallelisms (reference section 5).

use crate::flink::job_options::{MAX_PARALLELISM_UPPER_BOUND, VersionedKey, cluster, derived_max_parallelism};
use crate::profile::{JobProfile, Mode, Runtime};

use super::Layout;
use super::setting::{Group, Input, Setting, SettingValue};

/// Utilization to plan for: 70% busy leaves room for catch-up after a restart (the Kubernetes autoscaler's default
/// target, reference/flink-rest-and-autoscaler.md).
pub const TARGET_UTILIZATION: f64 = 0.7;
/// Growth the pinned max parallelism allows without a state migration.
pub const HEADROOM: u32 = 4;
/// Highly composite numbers (more divisors than any smaller number) within Flink's bound, plus the bound itself.
pub const MAX_PARALLELISM_CANDIDATES: [u32; 14] = [
    120, 180, 240, 360, 720, 840, 1260, 1680, 2520, 5040, 7560, 10080, 20160, 32768,
];

pub struct Parallelism {
    pub value: u32,
    pub settings: Vec<Setting>,
}

pub fn recommend(profile: &JobProfile, layout: &Layout, warnings: &mut Vec<String>) -> Parallelism {
    let total_slots = layout.total_slots().max(1);
    let (mut target, mut why) = match profile.mode {
        Mode::Session => (
            layout.slots_per_taskmanager.max(1),
            "session cluster: each job gets one TaskManager's slots unless it passes -p".to_string(),
        ),
        Mode::Application | Mode::PerJob => (total_slots, format!("the job's own cluster: all {total_slots} slots")),
    };
    if let (Some(rate), Some(throughput)) = (profile.input_rate, profile.slot_throughput) {
        let needed = ((rate as f64) / (throughput as f64 * TARGET_UTILIZATION)).ceil().max(1.0) as u32;
        if needed > total_slots {
            warnings.push(format!(
                "{rate} records/s at {throughput} per slot needs {needed} slots at {}% utilization; the cluster has \
                 {total_slots}: add hosts (--hosts)",
                TARGET_UTILIZATION * 100.0
            ));
        } else if needed < target {
            target = needed;
            why = format!(
                "{rate} records/s at {throughput} per slot, {}% busy: {needed} subtasks",
                TARGET_UTILIZATION * 100.0
            );
        }
    }
    if let Some(partitions) = profile.source_partitions {
        let aligned = largest_divisor_at_most(partitions, target);
        if aligned != target {
            why = format!(
                "{why}, lowered to {aligned}, a divisor of the {partitions} source partitions, so every source subtask \
                 reads the same number"
            );
            target = aligned;
        }
    }
    let key = |versioned: VersionedKey| versioned.newest();
    let mut settings = vec![
        Setting::new(Group::Cluster, key(cluster::PARALLELISM_DEFAULT), SettingValue::Integer(i64::from(target)), why)
            .from_inputs([
                Input::new("total slots", total_slots),
                Input::new("profile.mode", profile.mode),
                Input::new(
                    "profile.source-partitions",
                    profile.source_partitions.map_or("unknown".to_string(), |p| p.to_string()),
                ),
            ]),
    ];
    if profile.runtime == Runtime::Streaming {
        let max = pinned_max_parallelism(target.max(total_slots));
        settings.push(Setting::new(
            Group::Cluster,
            key(cluster::MAX_PARALLELISM),
            SettingValue::Integer(i64::from(max)),
            format!(
                "key groups, fixed once state exists: room to grow {HEADROOM}x beyond {} slots, with many divisors so \
                 key groups split evenly; pinned because Flink's derived value ({}) changes with the parallelism",
                target.max(total_slots),
                derived_max_parallelism(target)
            ),
        ));
    }
    Parallelism { value: target, settings }
}

/// The largest divisor of `n` that is at most `limit` (at least 1).
pub fn largest_divisor_at_most(n: u32, limit: u32) -> u32 {
    (1..=limit.min(n)).rev().find(|d| n.is_multiple_of(*d)).unwrap_or(1)
}

/// The smallest candidate with `HEADROOM` times `parallelism` key groups.
pub fn pinned_max_parallelism(parallelism: u32) -> u32 {
    let wanted = parallelism.saturating_mul(HEADROOM);
    MAX_PARALLELISM_CANDIDATES
        .iter()
        .copied()
        .find(|candidate| *candidate >= wanted)
        .unwrap_or(MAX_PARALLELISM_UPPER_BOUND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisors_never_exceed_partitions_or_slots() {
        assert_eq!(largest_divisor_at_most(48, 40), 24);
        assert_eq!(largest_divisor_at_most(48, 48), 48);
        assert_eq!(largest_divisor_at_most(12, 100), 12);
        assert_eq!(largest_divisor_at_most(7, 6), 1);
        assert_eq!(largest_divisor_at_most(1, 16), 1);
    }

    #[test]
    fn max_parallelism_has_headroom_and_divisors() {
        assert_eq!(pinned_max_parallelism(1), 120);
        assert_eq!(pinned_max_parallelism(30), 120);
        assert_eq!(pinned_max_parallelism(31), 180);
        assert_eq!(pinned_max_parallelism(96), 720);
        assert_eq!(pinned_max_parallelism(5000), 20160);
        assert_eq!(pinned_max_parallelism(9000), 32768);
        assert_eq!(pinned_max_parallelism(40000), 32768);
    }
}
