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
    recommend_at(
        profile,
        layout,
        version,
        TARGET_UTILIZATION,
        pinned,
        warnings,
    )
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
/// parallelisms split evenly too; ties go to the smaller), never above Flink's bound of 32768. Where `HEADROOM`
/// times the parallelism passes that bound, the bound itself: never below the parallelism, the most room there is.
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
        assert_eq!(pinned_max_parallelism(8193), 32768);
        assert_eq!(pinned_max_parallelism(32768), 32768);
    }

    /// Every parallelism Flink allows (recommend caps the parallelism at 32768, FT-PAR-001): never below the
    /// parallelism (Flink refuses a job whose max parallelism is), within Flink's bounds, and a multiple with 4x
    /// headroom wherever 4x fits under the bound.
    #[test]
    fn max_parallelism_is_never_below_the_parallelism() {
        let mut multiples = 0;
        for p in 1..=MAX_PARALLELISM_UPPER_BOUND {
            let max = pinned_max_parallelism(p);
            assert!(max >= p, "p={p} max={max}");
            assert!((128..=32768).contains(&max), "p={p} max={max}");
            if 4 * p <= 32768 {
                multiples += 1;
                assert!(max.is_multiple_of(p) && max >= 4 * p, "p={p} max={max}");
                assert!(max <= 2 * (4 * p).max(128), "p={p} max={max}");
            } else {
                assert_eq!(max, 32768, "p={p}");
            }
        }
        assert_eq!(multiples, 8192);
    }

    /// 400 hosts of 96 slots hold 38400, more than Flink lets one job use (issue 15: p 38400 with max 32768). The
    /// whole advice refuses such a cluster for its network buffers (FT-NET-001), so the rule is asked directly.
    #[test]
    fn a_cluster_past_flinks_bound_gets_a_parallelism_within_it() {
        let advice =
            crate::advisor::test_support::advise(96.0, 768, "balanced", "2.3", |_, _| {}).unwrap();
        let mut layout = advice.layout;
        layout.hosts = 400;
        assert!(layout.total_slots() > MAX_PARALLELISM_UPPER_BOUND);
        let profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        let mut warnings = Vec::new();
        let parallelism = recommend(
            &profile,
            &layout,
            "2.3".parse().unwrap(),
            None,
            &mut warnings,
        );
        let max = parallelism
            .settings
            .iter()
            .find_map(|setting| match setting.value {
                SettingValue::Integer(max) if setting.key == "pipeline.max-parallelism" => {
                    Some(max)
                }
                _ => None,
            });
        assert_eq!((parallelism.value, max), (32768, Some(32768)));
    }

    #[test]
    fn divisors_are_counted_once_each_and_a_square_root_once() {
        let counts = [1, 2, 4, 36, 128, 240, 241, 32768].map(divisor_count);
        assert_eq!(counts, [1, 2, 3, 9, 8, 20, 2, 16]);
    }

    /// The rule on 8 hosts of one TaskManager with 8 slots (64 slots), for the balanced profile adjusted by `edit`.
    fn parallelism_on_64_slots(edit: impl FnOnce(&mut JobProfile)) -> (Parallelism, Vec<String>) {
        let advice =
            crate::advisor::test_support::advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        let mut layout = advice.layout;
        layout.hosts = 8;
        assert_eq!(layout.total_slots(), 64);
        let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        edit(&mut profile);
        let mut warnings = Vec::new();
        let parallelism = recommend(
            &profile,
            &layout,
            "2.3".parse().unwrap(),
            None,
            &mut warnings,
        );
        (parallelism, warnings)
    }

    fn why(parallelism: &Parallelism) -> &str {
        &parallelism.settings[0].why
    }

    #[test]
    fn the_input_rate_sets_the_parallelism_at_70_percent_busy() {
        // 20300 records/s at 1000 per slot, 70% busy: 29 subtasks, rounded up to 30 (8 divisors to 29's 2).
        let (rated, warnings) = parallelism_on_64_slots(|profile| {
            profile.input_rate = Some(20_300);
            profile.slot_throughput = Some(1000);
        });
        assert_eq!(rated.value, 30);
        assert!(
            why(&rated).contains("29 subtasks, rounded up to 30"),
            "{}",
            why(&rated)
        );
        // 30 of 64 slots: more than half idle, said once.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("leaves 34 of 64 slots idle"),
            "{warnings:?}"
        );
        // 7000 at 1000: 10 subtasks, already the most divisors within 10%.
        let (ten, _) = parallelism_on_64_slots(|profile| {
            profile.input_rate = Some(7000);
            profile.slot_throughput = Some(1000);
        });
        assert_eq!(ten.value, 10);
        assert!(why(&ten).ends_with("10 subtasks"), "{}", why(&ten));
        // Exactly the 64 slots there are: all of them, no warning, and the slots are the reason.
        let (all, warnings) = parallelism_on_64_slots(|profile| {
            profile.input_rate = Some(44_800);
            profile.slot_throughput = Some(1000);
        });
        assert_eq!(all.value, 64);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(why(&all), "the job's own cluster: all 64 slots");
        // One record more than 64 slots handle: still 64, and a warning to add hosts.
        let (short, warnings) = parallelism_on_64_slots(|profile| {
            profile.input_rate = Some(44_801);
            profile.slot_throughput = Some(1000);
        });
        assert_eq!(short.value, 64);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("needs 65 slots"), "{warnings:?}");
    }

    #[test]
    fn source_partitions_lower_the_parallelism_to_a_divisor() {
        let (aligned, warnings) =
            parallelism_on_64_slots(|profile| profile.source_partitions = Some(48));
        assert_eq!(aligned.value, 48);
        assert!(
            why(&aligned).contains("lowered to the 48 source partitions"),
            "{}",
            why(&aligned)
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // 120 partitions: 60 of 64 slots read two each, within 10% of the slots, so the even split wins.
        let (even, _) = parallelism_on_64_slots(|profile| profile.source_partitions = Some(120));
        assert_eq!(even.value, 60);
        assert!(why(&even).contains("lowered to 60, a divisor of the 120 source partitions"));
        // 100 partitions: the nearest even split (50) would idle 14 slots, more than 10%: 64 stay, 36 subtasks
        // read one partition more than the rest.
        let (uneven, _) = parallelism_on_64_slots(|profile| profile.source_partitions = Some(100));
        assert_eq!(uneven.value, 64);
        assert!(
            why(&uneven)
                .contains("36 of the 64 source subtasks read one of the 100 partitions more")
                && why(&uneven).contains("would idle 14 slots"),
            "{}",
            why(&uneven)
        );
        let (divisor, _) = parallelism_on_64_slots(|profile| profile.source_partitions = Some(64));
        assert_eq!(why(&divisor), "the job's own cluster: all 64 slots");
        // 12 partitions: 12 of 64 slots busy, and the warning names the partitions as the cap.
        let (few, warnings) =
            parallelism_on_64_slots(|profile| profile.source_partitions = Some(12));
        assert_eq!(few.value, 12);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("leaves 52 of 64 slots idle: the source's partitions cap it"),
            "{warnings:?}"
        );
        // Exactly half the slots busy is still a warning; a session cluster's jobs never are.
        let (half, warnings) =
            parallelism_on_64_slots(|profile| profile.source_partitions = Some(32));
        assert_eq!(half.value, 32);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (session, warnings) = parallelism_on_64_slots(|profile| profile.mode = Mode::Session);
        assert_eq!(session.value, 8);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn only_streaming_jobs_pin_the_max_parallelism() {
        let keys = |parallelism: &Parallelism| {
            parallelism
                .settings
                .iter()
                .map(|setting| setting.key.clone())
                .collect::<Vec<_>>()
        };
        let (streaming, _) = parallelism_on_64_slots(|_| {});
        assert_eq!(
            keys(&streaming),
            ["parallelism.default", "pipeline.max-parallelism"]
        );
        let (batch, _) = parallelism_on_64_slots(|profile| profile.runtime = Runtime::Batch);
        assert_eq!(keys(&batch), ["parallelism.default"]);
    }

    /// Exactly Flink's bound of slots: all of them, and nothing was capped.
    #[test]
    fn a_cluster_of_exactly_flinks_bound_is_not_capped() {
        let advice =
            crate::advisor::test_support::advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        let mut layout = advice.layout;
        layout.hosts = MAX_PARALLELISM_UPPER_BOUND / 8;
        let profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        let parallelism = recommend(
            &profile,
            &layout,
            "2.3".parse().unwrap(),
            None,
            &mut Vec::new(),
        );
        assert_eq!(parallelism.value, MAX_PARALLELISM_UPPER_BOUND);
        assert!(
            !why(&parallelism).contains("capped"),
            "{}",
            why(&parallelism)
        );
    }
}
