//! `parallelism.default` and `pipeline.max-parallelism`. Parallelism is the first lever: an application or per-job
//! cluster exists for one job, so the job gets every slot, or what its input rate needs when a slot's throughput is
//! known (DS2-style: rate over throughput at a target utilization). Source partitions cap it, since a source subtask
//! without a partition idles, and a divisor of the partition count gives every subtask the same number.
//! The max parallelism is the number of key groups: fixed once state exists, so it is pinned with headroom, to a
//! number with many divisors so that key groups split evenly at many parallelisms (docs/flink-config-files.md,
//! "Default max parallelism").

use crate::flink::FlinkVersion;
use crate::flink::job_options::{
    DERIVED_MAX_PARALLELISM_LOWER_BOUND, MAX_PARALLELISM_UPPER_BOUND, cluster,
    derived_max_parallelism,
};
use crate::profile::{JobProfile, Mode, Runtime};

use super::Layout;
use super::setting::{Group, Input, Setting, SettingValue};

/// Utilization to plan for: 70% busy leaves room for catch-up after a restart (the Kubernetes autoscaler's default
/// target, docs/autoscaler-model.md).
pub(crate) const TARGET_UTILIZATION: f64 = 0.7;
/// Growth the pinned max parallelism allows without a state migration.
pub(crate) const HEADROOM: u32 = 4;
/// The share of the parallelism an even split of the source partitions may cost: past it, an uneven split serves
/// better (the same 10% the live analysis keeps a split within, src/cluster/analysis/alignment.rs).
pub(crate) const MAX_ALIGNMENT_LOSS: f64 = 0.1;
pub(crate) struct Parallelism {
    pub value: u32,
    pub settings: Vec<Setting>,
}

pub(crate) fn recommend(
    profile: &JobProfile,
    layout: &Layout,
    version: FlinkVersion,
    pinned: Option<u32>,
    warnings: &mut Vec<String>,
) -> Parallelism {
    recommend_at(profile, layout, version, TARGET_UTILIZATION, pinned, warnings)
}

/// [`recommend`] for another target utilization (`flinktune plan --target-utilization`); at
/// [`TARGET_UTILIZATION`] the two are the same.
pub(crate) fn recommend_at(
    profile: &JobProfile,
    layout: &Layout,
    version: FlinkVersion,
    utilization: f64,
    pinned: Option<u32>,
    warnings: &mut Vec<String>,
) -> Parallelism {
    let total_slots = layout.total_slots().max(1);
    let (mut target, mut why) = match profile.mode {
        Mode::Session => (
            layout.slots_per_taskmanager.max(1),
            "session cluster: each job gets one TaskManager's slots unless it passes -p"
                .to_string(),
        ),
        Mode::Application | Mode::PerJob => (
            total_slots,
            format!("the job's own cluster: all {total_slots} slots"),
        ),
    };
    if let (Some(rate), Some(throughput)) = (profile.input_rate, profile.slot_throughput) {
        let needed = slots_needed(rate, throughput, utilization);
        if needed > total_slots {
            warnings.push(format!(
                "{rate} records/s at {throughput} per slot needs {needed} slots at {}% utilization; the cluster has \
                 {total_slots}: add hosts (--hosts)",
                utilization * 100.0
            ));
        } else if needed < target {
            // A parallelism with many divisors (within 10% above the need) lets the pinned max parallelism split
            // evenly at it and at its later rescalings (issue 11, case 9: 29 -> 30, with 240 key groups).
            let round = (needed..=target.min(needed + needed / 10))
                .max_by_key(|candidate| (divisor_count(*candidate), std::cmp::Reverse(*candidate)))
                .unwrap_or(needed);
            target = round;
            why = format!(
                "{rate} records/s at {throughput} per slot, {}% busy: {needed} subtasks{}",
                utilization * 100.0,
                if round == needed {
                    String::new()
                } else {
                    format!(
                        ", rounded up to {round}, which has more divisors for the key groups to split by"
                    )
                }
            );
        }
    }
    if let Some(partitions) = profile.source_partitions {
        if target > partitions {
            // A source subtask without a partition idles: never more than the partitions.
            why = format!(
                "{why}, lowered to the {partitions} source partitions (a source subtask without one idles)"
            );
            target = partitions;
        }
        let aligned = largest_divisor_at_most(partitions, target);
        if aligned != target && f64::from(aligned) >= f64::from(target) * (1.0 - MAX_ALIGNMENT_LOSS)
        {
            why = format!(
                "{why}, lowered to {aligned}, a divisor of the {partitions} source partitions, so every source subtask \
                 reads the same number"
            );
            target = aligned;
        } else if aligned != target {
            // The even split would idle more slots than the uneven one costs: the busiest source subtask reads one
            // partition more, and only the source feels it (the autoscaler's alignment makes the same trade,
            // docs/autoscaler-model.md).
            why = format!(
                "{why}; {} of the {target} source subtasks read one of the {partitions} partitions more than the \
                 rest, since the nearest even split ({aligned}) would idle {} slots",
                partitions % target,
                target - aligned
            );
        }
    }
    if target > MAX_PARALLELISM_UPPER_BOUND {
        // Flink's bound on the number of key groups is also the bound on any operator's parallelism
        // (invariant FT-PAR-001; issue 11, case 7).
        why = format!(
            "{why}, capped at {MAX_PARALLELISM_UPPER_BOUND}, Flink's maximum (more slots cannot serve one job)"
        );
        target = MAX_PARALLELISM_UPPER_BOUND;
    }
    if let Some(pinned) = pinned {
        // `-D parallelism.default=N`: taken as given, and the max parallelism below is planned for it.
        target = pinned;
        why = super::pins::PINNED_WHY.to_string();
    }
    if target.saturating_mul(2) <= total_slots && profile.mode != Mode::Session {
        warnings.push(format!(
            "parallelism {target} leaves {} of {total_slots} slots idle: {}",
            total_slots - target,
            if profile.source_partitions.is_some_and(|p| p < total_slots) {
                "the source's partitions cap it; add partitions, or plan fewer hosts (--hosts)"
            } else {
                "the job needs fewer slots than the cluster has; plan fewer hosts (--hosts)"
            }
        ));
    }
    let mut settings = vec![
        Setting::new(
            Group::Cluster,
            cluster::PARALLELISM_DEFAULT.for_version(version),
            SettingValue::Integer(i64::from(target)),
            why,
        )
        .from_inputs([
            Input::new("total slots", total_slots),
            Input::new("profile.mode", profile.mode),
            Input::new(
                "profile.source-partitions",
                profile
                    .source_partitions
                    .map_or("unknown".to_string(), |p| p.to_string()),
            ),
        ]),
    ];
    if profile.runtime == Runtime::Streaming {
        let max = pinned_max_parallelism(target);
        settings.push(Setting::new(
            Group::Cluster,
            cluster::MAX_PARALLELISM.for_version(version),
            SettingValue::Integer(i64::from(max)),
            format!(
                "the number of key groups, fixed once state exists: a multiple of {} with room to grow {HEADROOM}x and \
                 many divisors so key groups split evenly; pinned because Flink's derived value ({}) changes with the \
                 parallelism",
                target,
                derived_max_parallelism(target)
            ),
        ));
    }
    Parallelism {
        value: target,
        settings,
    }
}

/// Subtasks that process `rate` records/s at `throughput` each while `utilization` busy (at least one; saturating).
pub(crate) fn slots_needed(rate: u64, throughput: u64, utilization: f64) -> u32 {
    ((rate as f64) / (throughput.max(1) as f64 * utilization))
        .ceil()
        .clamp(1.0, f64::from(u32::MAX)) as u32
}

/// The largest divisor of `n` that is at most `limit` (at least 1).
pub(crate) fn largest_divisor_at_most(n: u32, limit: u32) -> u32 {
    (1..=limit.min(n))
        .rev()
        .find(|d| n.is_multiple_of(*d))
        .unwrap_or(1)
}

/// A multiple of `parallelism` (every subtask gets the same number of key groups), at least `HEADROOM` times it
/// and Flink's derived lower bound of 128, with the most divisors among the multiples up to twice that (so later
/// parallelisms split evenly too; ties go to the smaller), never above Flink's bound of 32768.
pub(crate) fn pinned_max_parallelism(parallelism: u32) -> u32 {
    let parallelism = parallelism.clamp(1, MAX_PARALLELISM_UPPER_BOUND);
    let low = parallelism
        .saturating_mul(HEADROOM)
        .max(DERIVED_MAX_PARALLELISM_LOWER_BOUND);
    if low >= MAX_PARALLELISM_UPPER_BOUND {
        return MAX_PARALLELISM_UPPER_BOUND;
    }
    let high = low.saturating_mul(2).min(MAX_PARALLELISM_UPPER_BOUND);
    let first = low.div_ceil(parallelism) * parallelism;
    (first..=high)
        .step_by(parallelism as usize)
        .max_by_key(|candidate| (divisor_count(*candidate), std::cmp::Reverse(*candidate)))
        .unwrap_or(low)
}

fn divisor_count(n: u32) -> u32 {
    (1..=n.isqrt())
        .filter(|d| n.is_multiple_of(*d))
        .map(|d| if d * d == n { 1 } else { 2 })
        .sum()
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
        assert_eq!(pinned_max_parallelism(1), 240);
        assert_eq!(pinned_max_parallelism(16), 240);
        assert_eq!(pinned_max_parallelism(96), 480);
        assert_eq!(pinned_max_parallelism(5000), 30000);
        assert_eq!(pinned_max_parallelism(8192), 32768);
        assert_eq!(pinned_max_parallelism(40000), 32768);
        for p in 1..=2000 {
            let max = pinned_max_parallelism(p);
            assert!(
                max.is_multiple_of(p) && max >= 4 * p && (128..=32768).contains(&max),
                "p={p} max={max}"
            );
        }
    }
}
