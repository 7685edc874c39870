//! Checkpointing for streaming jobs (Flink docs: "Checkpointing", "Tuning Checkpoints and Large State").
//! The interval bounds two things: the data replayed after a failure (up to one interval, plus the restart) and, with
//! transactional sinks, the output latency (they publish when a checkpoint completes).

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{
    CHECKPOINTING_MODE_EXACTLY_ONCE, DELETE_ON_CANCELLATION, RETAIN_ON_CANCELLATION, checkpointing,
};
use crate::profile::Runtime;

use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

/// Intervals flinktune picks from, so that files read naturally (`30 s`, not `37 s`). The smallest is 100 ms: Flink
/// refuses intervals under 10 ms, and a checkpoint every 100 ms already costs most jobs noticeable throughput.
pub(crate) const STEPS: [Duration; 14] = [
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(5),
    Duration::from_secs(10),
    Duration::from_secs(15),
    Duration::from_secs(30),
    Duration::from_secs(60),
    Duration::from_secs(120),
    Duration::from_secs(300),
    Duration::from_secs(600),
    Duration::from_secs(1800),
];
/// A third of the recovery objective: a failure replays up to one interval, and restart plus restore take the rest.
pub(crate) const RECOVERY_SHARE: u32 = 3;
/// Longer intervals make every recovery replay a lot and keep transactional output stale.
pub(crate) const MAX_INTERVAL: Duration = Duration::from_secs(600);
/// A latency target at or below this makes a job latency-sensitive: unaligned checkpoints keep barriers from
/// waiting behind backpressured buffers.
pub(crate) const LATENCY_SENSITIVE: Duration = Duration::from_secs(2);
/// State per TaskManager from which the first (full) checkpoint needs longer than Flink's 10 minute timeout.
pub(crate) const LARGE_STATE: crate::flink::MemorySize = crate::flink::MemorySize::gibibytes(50);
pub(crate) const LARGE_STATE_TIMEOUT: Duration = Duration::from_secs(1800);
/// At most this many checkpoint failures in a row are tolerated.
pub(crate) const MAX_TOLERABLE_FAILURES: u128 = 5;

/// The interval among `settings`, as the rule wrote it.
pub(crate) fn planned_interval(
    version: crate::flink::FlinkVersion,
    settings: &[Setting],
) -> Option<Duration> {
    planned_duration(checkpointing::INTERVAL.for_version(version), settings)
}

/// The checkpoint timeout among `settings`, as the rule wrote it.
pub(crate) fn planned_timeout(
    version: crate::flink::FlinkVersion,
    settings: &[Setting],
) -> Option<Duration> {
    planned_duration(checkpointing::TIMEOUT.for_version(version), settings)
}

fn planned_duration(key: &str, settings: &[Setting]) -> Option<Duration> {
    settings
        .iter()
        .find(|setting| setting.key == key)
        .and_then(|setting| match setting.value {
            SettingValue::Duration(interval) => Some(interval),
            _ => None,
        })
}

/// The largest step at or below `limit`; none when `limit` is below every step (each caller decides what then).
pub(crate) fn step_at_most(limit: Duration) -> Option<Duration> {
    STEPS.iter().rev().copied().find(|step| *step <= limit)
}

/// `parallelism` is the job's: its state lives on the TaskManagers its subtasks occupy.
pub(crate) fn settings(input: &AdviceInput, layout: &Layout, parallelism: u32) -> Vec<Setting> {
    let profile = input.profile;
    if profile.runtime == Runtime::Batch {
        return Vec::new();
    }
    let rto = profile.recovery_time_objective;
    let (interval, why_interval) = match profile.checkpoint_interval {
        Some(interval) => (
            interval,
            "set in the profile or with --checkpoint-interval".to_string(),
        ),
        None => {
            let by_recovery = rto / RECOVERY_SHARE;
            let by_latency = profile
                .latency_target
                .filter(|_| profile.exactly_once_sinks);
            let limit = by_latency
                // The sink publishes when the checkpoint completes: the interval plus the checkpoint itself.
                .map_or(by_recovery, |latency| {
                    latency
                        .saturating_sub(super::estimate::checkpoint_duration::SYNC_PHASE)
                        .min(by_recovery)
                })
                .min(MAX_INTERVAL);
            // Below every step, the smallest: latency.rs warns that the target needs at-least-once sinks.
            let interval = step_at_most(limit).unwrap_or(STEPS[0]);
            // A checkpoint longer than the interval runs back to back with the next: the interval is at least the
            // checkpoint (invariant FT-CKP-002), even where that costs the recovery objective (FT-RCV-001 says so).
            let duration = super::checkpoint_budget::steady_duration(profile, layout, parallelism);
            let (interval, longer) = if duration > interval && by_latency.is_none() {
                let longer = STEPS
                    .iter()
                    .copied()
                    .find(|step| *step >= duration)
                    .unwrap_or_else(|| Duration::from_secs(duration.as_secs().div_ceil(60) * 60));
                let why = format!(
                    "a checkpoint of this state takes about {}, longer than the {} a third of the {} recovery \
                     objective would allow: checkpoints every {} keep them from running back to back",
                    FlinkDuration(Duration::from_secs(duration.as_secs().max(1))),
                    FlinkDuration(interval),
                    FlinkDuration(rto),
                    FlinkDuration(longer)
                );
                (longer, Some(why))
            } else {
                (interval, None)
            };
            let why = match by_latency {
                // The reason is the bound that held: the latency target less the checkpoint, or the recovery share.
                Some(latency)
                    if latency.saturating_sub(super::estimate::checkpoint_duration::SYNC_PHASE)
                        < by_recovery =>
                {
                    format!(
                        "exactly-once sinks publish on checkpoint completion, so output lags up to one interval plus the \
                     checkpoint ({} at least): together at most the {} latency target",
                        FlinkDuration(super::estimate::checkpoint_duration::SYNC_PHASE),
                        FlinkDuration(latency)
                    )
                }
                _ => format!(
                    "a failure replays up to one interval; a third of the {} recovery objective leaves the rest for \
                     restart and restore",
                    FlinkDuration(rto)
                ),
            };
            let why = longer.unwrap_or(why);
            // Where the target is below what a checkpoint can deliver, latency.rs says so.
            (interval, why)
        }
    };
    // Timeout, tolerance and pause come out of the recovery objective's budget (checkpoint_budget.rs).
    let budget = super::checkpoint_budget::fit(profile, layout, parallelism, interval);
    let unaligned = profile.exactly_once_sinks
        && profile
            .latency_target
            .is_some_and(|latency| latency <= LATENCY_SENSITIVE);

    let mut settings = vec![
        Setting::new(
            Group::Checkpointing,
            checkpointing::INTERVAL.for_version(input.version),
            SettingValue::Duration(interval),
            why_interval,
        )
        .from_inputs([
            Input::new("profile.recovery-time-objective", FlinkDuration(rto)),
            Input::new(
                "profile.latency-target",
                profile
                    .latency_target
                    .map_or("none".to_string(), |l| FlinkDuration(l).to_string()),
            ),
            Input::new("profile.exactly-once-sinks", profile.exactly_once_sinks),
        ]),
        Setting::new(
            Group::Checkpointing,
            checkpointing::MODE.for_version(input.version),
            SettingValue::Word(CHECKPOINTING_MODE_EXACTLY_ONCE),
            "exactly-once state; unaligned checkpoints and transactional sinks need it",
        ),
        Setting::new(
            Group::Checkpointing,
            checkpointing::TIMEOUT.for_version(input.version),
            SettingValue::Duration(budget.timeout),
            budget.why_timeout,
        ),
        Setting::new(
            Group::Checkpointing,
            checkpointing::MIN_PAUSE.for_version(input.version),
            SettingValue::Duration(budget.min_pause),
            budget.why_min_pause,
        ),
        Setting::new(
            Group::Checkpointing,
            checkpointing::MAX_CONCURRENT.for_version(input.version),
            SettingValue::Integer(1),
            "one at a time: a minimum pause only applies then, and unaligned checkpoints require it",
        ),
        Setting::new(
            Group::Checkpointing,
            checkpointing::TOLERABLE_FAILURES.for_version(input.version),
            SettingValue::Integer(i64::from(budget.tolerated)),
            budget.why_tolerated,
        ),
    ];
    if unaligned {
        settings.push(Setting::new(
            Group::Checkpointing,
            checkpointing::UNALIGNED.for_version(input.version),
            SettingValue::Bool(true),
            "latency-sensitive exactly-once job: barriers overtake buffered records under backpressure, so \
             checkpoints (and sink commits) do not wait for the backlog",
        ));
    }
    settings.push(Setting::new(
        Group::Checkpointing,
        checkpointing::EXTERNALIZED_RETENTION.for_version(input.version),
        SettingValue::Word(if profile.restore {
            RETAIN_ON_CANCELLATION
        } else {
            DELETE_ON_CANCELLATION
        }),
        if profile.restore {
            "keep the last checkpoint when the job is cancelled, so a redeploy can restore from it"
        } else {
            "nothing to restore: clean up checkpoints when the job is cancelled"
        },
    ));
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_down() {
        assert_eq!(
            step_at_most(Duration::from_secs(100)),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            step_at_most(Duration::from_millis(999)),
            Some(Duration::from_millis(500))
        );
        assert_eq!(step_at_most(Duration::from_millis(99)), None);
        assert_eq!(step_at_most(Duration::ZERO), None);
        assert_eq!(
            step_at_most(Duration::from_millis(100)),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            step_at_most(Duration::from_secs(300)),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            step_at_most(Duration::from_secs(7200)),
            Some(Duration::from_secs(1800))
        );
    }

    /// The doc's promise, for every millisecond up to 2 s and every second up to an hour: never above the limit,
    /// and the largest step that is not (the next step is above it).
    #[test]
    fn a_step_is_never_above_its_limit_and_the_next_one_is() {
        let limits = (0..=2000)
            .map(Duration::from_millis)
            .chain((2..=3600).map(Duration::from_secs));
        let mut stepped = 0;
        for limit in limits {
            match step_at_most(limit) {
                Some(step) => {
                    stepped += 1;
                    assert!(step <= limit, "{step:?} above {limit:?}");
                    assert!(STEPS.contains(&step), "{step:?}");
                    let next = STEPS.iter().find(|next| **next > step);
                    assert!(
                        next.is_none_or(|next| *next > limit),
                        "{step:?} for {limit:?}, but {next:?} fits"
                    );
                }
                None => assert!(limit < STEPS[0], "{limit:?}"),
            }
        }
        // 1901 limits from 100 ms to 2 s, and 3599 whole seconds.
        assert_eq!(stepped, 1901 + 3599);
    }

    use crate::advisor::test_support::{advise, value};

    fn interval(
        profile: &str,
        edit: impl FnOnce(&mut crate::profile::JobProfile),
    ) -> Option<String> {
        let advice = advise(8.0, 32, profile, "2.3", |_, p| edit(p)).unwrap();
        value(&advice, "execution.checkpointing.interval")
    }

    #[test]
    fn interval_is_a_third_of_the_recovery_objective_rounded_down_to_a_step() {
        assert_eq!(interval("balanced", |_| {}).as_deref(), Some("1 min")); // 5 min / 3 = 100 s
        assert_eq!(
            interval("balanced", |p| p.recovery_time_objective =
                Duration::from_secs(90))
            .as_deref(),
            Some("30 s")
        );
        assert_eq!(
            interval("balanced", |p| p.recovery_time_objective =
                Duration::from_secs(86_400))
            .as_deref(),
            Some("10 min")
        );
        assert_eq!(
            interval("balanced", |p| p.checkpoint_interval =
                Some(Duration::from_secs(45)))
            .as_deref(),
            Some("45 s")
        );
        assert_eq!(interval("batch", |_| {}), None);
    }

    #[test]
    fn exactly_once_sinks_bound_the_interval_by_the_latency_target_and_go_unaligned() {
        let advice = advise(8.0, 32, "low-latency", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&advice, "execution.checkpointing.interval").as_deref(),
            Some("500 ms")
        );
        // Half of 500 ms, rounded down to a step.
        assert_eq!(
            value(&advice, "execution.checkpointing.min-pause").as_deref(),
            Some("200 ms")
        );
        assert_eq!(
            value(&advice, "execution.checkpointing.unaligned.enabled").as_deref(),
            Some("true")
        );
        // Without transactional sinks the latency target does not bound checkpoints (1 min / 3 = 20 s -> 15 s).
        assert_eq!(
            interval("low-latency", |p| p.exactly_once_sinks = false).as_deref(),
            Some("15 s")
        );
        let relaxed = advise(8.0, 32, "low-latency", "2.3", |_, p| {
            p.latency_target = Some(Duration::from_secs(3))
        })
        .unwrap();
        assert_eq!(
            value(&relaxed, "execution.checkpointing.unaligned.enabled"),
            None
        );
        // A 500 ms target leaves 300 ms after the checkpoint itself: a 200 ms interval; below the smallest step, a
        // warning.
        let sub_second = advise(8.0, 32, "low-latency", "2.3", |_, p| {
            p.latency_target = Some(Duration::from_millis(500))
        })
        .unwrap();
        assert_eq!(
            value(&sub_second, "execution.checkpointing.interval").as_deref(),
            Some("200 ms")
        );
        assert_eq!(
            value(&sub_second, "execution.checkpointing.min-pause").as_deref(),
            Some("100 ms")
        );
        let tight = advise(8.0, 32, "low-latency", "2.3", |_, p| {
            p.latency_target = Some(Duration::from_millis(50))
        })
        .unwrap();
        assert!(
            tight.warnings.iter().any(|w| w.contains("at-least-once")),
            "{:?}",
            tight.warnings
        );
    }

    #[test]
    fn timeout_pause_and_tolerance_follow_state_and_recovery() {
        // Small (unknown) state, 5 min objective: 1 min interval, and 3 hung checkpoints of 1 min plus pauses still
        // replay within it (invariant FT-RCV-001), where Flink's 10 min default alone would break it.
        let balanced = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&balanced, "execution.checkpointing.timeout").as_deref(),
            Some("1 min")
        );
        assert_eq!(
            value(&balanced, "execution.checkpointing.min-pause").as_deref(),
            Some("30 s")
        );
        assert_eq!(
            value(
                &balanced,
                "execution.checkpointing.tolerable-failed-checkpoints"
            )
            .as_deref(),
            Some("3")
        );
        // 500 GiB on one TaskManager: an incremental checkpoint uploads 50 GiB at 100 MiB/s (512 s), so the timeout
        // is twice that, rounded up to a minute, and the objective cannot hold (a warning says so).
        let large = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/c".into())
        })
        .unwrap();
        assert_eq!(
            value(&large, "execution.checkpointing.timeout").as_deref(),
            Some("18 min")
        );
        assert!(
            large.warnings.iter().any(|w| w.starts_with("FT-RCV-001")),
            "{:?}",
            large.warnings
        );
        // A 1 min objective: one hung checkpoint of the 1 min minimum timeout already takes the whole budget.
        let fast = advise(8.0, 32, "low-latency", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(
                &fast,
                "execution.checkpointing.tolerable-failed-checkpoints"
            )
            .as_deref(),
            Some("0")
        );
    }

    #[test]
    fn the_planned_interval_and_timeout_are_read_back_from_the_settings() {
        let version = "2.3".parse().unwrap();
        let balanced = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            planned_interval(version, &balanced.settings),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            planned_timeout(version, &balanced.settings),
            Some(Duration::from_secs(60))
        );
        let batch = advise(8.0, 32, "batch", "2.3", |_, _| {}).unwrap();
        assert_eq!(planned_interval(version, &batch.settings), None);
        assert_eq!(planned_timeout(version, &batch.settings), None);
    }

    #[test]
    fn only_latency_sensitive_exactly_once_jobs_go_unaligned() {
        let unaligned = |edit: fn(&mut crate::profile::JobProfile)| {
            let advice = advise(8.0, 32, "low-latency", "2.3", |_, p| edit(p)).unwrap();
            value(&advice, "execution.checkpointing.unaligned.enabled")
        };
        assert_eq!(unaligned(|_| {}).as_deref(), Some("true"));
        // Exactly the 2 s at which a job counts as latency-sensitive.
        assert_eq!(
            unaligned(|p| p.latency_target = Some(Duration::from_secs(2))).as_deref(),
            Some("true")
        );
        assert_eq!(unaligned(|p| p.exactly_once_sinks = false), None);
        assert_eq!(unaligned(|p| p.latency_target = None), None);
    }

    #[test]
    fn the_reason_names_the_bound_that_held() {
        // 90 s objective: a third is 30 s. A 30 s target less the 200 ms checkpoint (29.8 s) is the tighter bound;
        // a 30.2 s target leaves exactly 30 s, and then the recovery objective is the reason.
        let why = |latency: Duration| {
            let advice = advise(8.0, 32, "low-latency", "2.3", |_, p| {
                p.recovery_time_objective = Duration::from_secs(90);
                p.latency_target = Some(latency);
            })
            .unwrap();
            let setting = advice
                .settings
                .iter()
                .find(|setting| setting.key == "execution.checkpointing.interval")
                .unwrap();
            (setting.value.to_string(), setting.why.clone())
        };
        let (interval, latency_why) = why(Duration::from_secs(30));
        assert_eq!(interval, "15 s");
        assert!(
            latency_why.contains("at most the 30 s latency target"),
            "{latency_why}"
        );
        let (interval, recovery_why) = why(Duration::from_millis(30_200));
        assert_eq!(interval, "30 s");
        assert!(
            recovery_why.contains("a third of the 90 s recovery objective"),
            "{recovery_why}"
        );
        let balanced = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        let why = &balanced
            .settings
            .iter()
            .find(|setting| setting.key == "execution.checkpointing.interval")
            .unwrap()
            .why;
        assert!(
            why.starts_with("a failure replays up to one interval"),
            "{why}"
        );
    }

    #[test]
    fn a_checkpoint_longer_than_the_interval_sets_the_interval() {
        // 500 GiB on one TaskManager: 50 GiB uploaded at 100 MiB/s, 512 s; a third of the objective (5 min) would
        // run checkpoints back to back, so the first step at least as long: 10 min.
        let large = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/c".into())
        })
        .unwrap();
        let interval = |advice: &crate::advisor::Recommendation| {
            advice
                .settings
                .iter()
                .find(|setting| setting.key == "execution.checkpointing.interval")
                .map(|setting| (setting.value.to_string(), setting.why.clone()))
                .unwrap()
        };
        let (value, why) = interval(&large);
        assert_eq!(value, "10 min");
        assert!(why.contains("takes about 512 s"), "{why}");
        // At 10 MiB/s the same upload takes 5120 s, past the longest step: whole minutes, 86 min.
        let slow = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/c".into());
            p.upload_bandwidth = crate::flink::MemorySize::mebibytes(10);
        })
        .unwrap();
        assert_eq!(interval(&slow).0, "86 min");
    }
}
