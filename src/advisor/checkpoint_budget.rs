//! Checkpoint timeout, tolerated failures and minimum pause, fitted to the recovery objective. A recovery is the
//! restore plus replaying everything since the last completed checkpoint, and in the worst case that is a checkpoint
//! hanging until its timeout as often as failures are tolerated (estimate/replay_window.rs): so the timeout and the
//! tolerance come out of the objective's budget, not from Flink's 10 minute default (issue 11, case 4). Invariant
//! FT-RCV-001 judges the same numbers.

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{CHECKPOINT_DEFAULT_TIMEOUT, StateBackendKind};

use super::Layout;
use super::checkpointing::{
    LARGE_STATE, LARGE_STATE_TIMEOUT, MAX_TOLERABLE_FAILURES, step_at_most,
};
use super::estimate::checkpoint_duration::{CheckpointLoad, SnapshotKind, checkpoint_duration};
use super::estimate::replay_window::replay_time;
use super::estimate::restore_time::{RestorePath, restore_time};
use super::parallelism::TARGET_UTILIZATION;
use crate::profile::JobProfile;

/// A timeout never below a minute: barriers of aligned checkpoints wait behind backpressured buffers, and a timeout
/// of seconds would fail healthy checkpoints under load.
pub(crate) const MIN_TIMEOUT: Duration = Duration::from_secs(60);
/// The timeout covers twice the estimated checkpoint, for variance in storage and alignment.
pub(crate) const TIMEOUT_MARGIN: u32 = 2;

/// The fitted values and their reasons.
#[derive(Debug, Clone)]
pub(crate) struct CheckpointBudget {
    pub timeout: Duration,
    pub why_timeout: String,
    pub tolerated: u32,
    pub why_tolerated: String,
    pub min_pause: Duration,
    pub why_min_pause: String,
}

/// The job's state per TaskManager it occupies (all of them, unless the parallelism leaves some idle, as in a
/// session cluster): the same spread invariants FT-CKP-002/003 and FT-RCV-001 assume.
pub(crate) fn state_per_occupied_taskmanager(
    profile: &JobProfile,
    layout: &Layout,
    parallelism: u32,
) -> crate::flink::MemorySize {
    let occupied = parallelism
        .max(1)
        .div_ceil(layout.slots_per_taskmanager.max(1))
        .max(1);
    crate::flink::MemorySize::from_bytes(
        super::state_size::planned(profile).bytes() / u64::from(occupied),
    )
}

/// The estimated steady checkpoint of the plan (estimate/checkpoint_duration.rs).
pub(crate) fn steady_duration(profile: &JobProfile, layout: &Layout, parallelism: u32) -> Duration {
    let incremental = layout
        .backend
        .as_ref()
        .is_some_and(|choice| choice.kind != StateBackendKind::HashMap);
    checkpoint_duration(&CheckpointLoad {
        state_per_taskmanager: state_per_occupied_taskmanager(profile, layout, parallelism),
        kind: if incremental {
            SnapshotKind::Incremental
        } else {
            SnapshotKind::Full
        },
        change_percent: profile.state_change_percent,
        upload_per_second: profile.upload_bandwidth,
    })
}

pub(crate) fn fit(
    profile: &JobProfile,
    layout: &Layout,
    parallelism: u32,
    interval: Duration,
) -> CheckpointBudget {
    let state = state_per_occupied_taskmanager(profile, layout, parallelism);
    let duration = steady_duration(profile, layout, parallelism);
    let forst = layout
        .backend
        .as_ref()
        .is_some_and(|choice| choice.kind == StateBackendKind::ForSt);
    let path = if forst {
        RestorePath::Remote
    } else {
        RestorePath::Download
    };
    let restore = restore_time(state, path, profile.download_bandwidth);
    let objective = profile.recovery_time_objective;
    // The window replayed at the planned utilization must fit what the restore leaves of the objective.
    let window_budget = objective
        .saturating_sub(restore)
        .div_f64(TARGET_UTILIZATION);
    // Below the smallest step, exactly half the interval.
    let min_pause = step_at_most(interval / 2).unwrap_or(interval / 2);
    let needed = MIN_TIMEOUT.max(duration.saturating_mul(TIMEOUT_MARGIN));
    let cap = if state >= LARGE_STATE {
        LARGE_STATE_TIMEOUT
    } else {
        CHECKPOINT_DEFAULT_TIMEOUT
    }
    .max(needed);
    let fitted = (0..=u32::try_from(MAX_TOLERABLE_FAILURES).unwrap_or(0))
        .rev()
        .find_map(|tolerated| {
            let spare = window_budget
                .checked_sub(interval)?
                .checked_sub(min_pause.saturating_mul(tolerated))?;
            let timeout = step_at_most(spare / (tolerated + 1))?.min(cap);
            (timeout >= needed).then_some((tolerated, timeout))
        });
    let numbers = format!(
        "a checkpoint of {} per TaskManager takes about {} at {}/s; restoring it about {}",
        crate::text::units::show(state),
        FlinkDuration(round_ms(duration)),
        crate::text::units::show(profile.upload_bandwidth),
        FlinkDuration(round_ms(restore))
    );
    let (tolerated, timeout, why_timeout) = match fitted {
        Some((tolerated, timeout)) => (
            tolerated,
            timeout,
            format!(
                "{numbers}: at least {TIMEOUT_MARGIN}x the checkpoint (and 1 min), and short enough that {} hung \
                 checkpoint{} plus the {} interval replay within the {} recovery objective at {}% load",
                tolerated + 1,
                if tolerated == 0 { "" } else { "s" },
                FlinkDuration(interval),
                FlinkDuration(objective),
                TARGET_UTILIZATION * 100.0
            ),
        ),
        None => (
            0,
            round_up_to_minute(needed),
            format!(
                "{numbers}: {TIMEOUT_MARGIN}x the checkpoint (at least 1 min); the {} recovery objective cannot also \
                 hold (see the warning)",
                FlinkDuration(objective)
            ),
        ),
    };
    let replayed = interval
        .saturating_add(timeout.saturating_mul(tolerated + 1))
        .saturating_add(min_pause.saturating_mul(tolerated));
    let why_tolerated = if tolerated == 0 {
        format!(
            "the {} recovery objective leaves no room for a failed checkpoint: fail and restart at once",
            FlinkDuration(objective)
        )
    } else {
        format!(
            "a passing storage hiccup should not fail the job; after {tolerated} failed checkpoint{} in a row the \
             replay ({} of input, {} to reprocess) still fits the {} recovery objective",
            if tolerated == 1 { "" } else { "s" },
            FlinkDuration(round_up_to_second(replayed)),
            FlinkDuration(round_up_to_second(replay_time(
                replayed,
                TARGET_UTILIZATION
            ))),
            FlinkDuration(objective)
        )
    };
    let why_min_pause = format!(
        "{} of processing between checkpoints ({} the {} interval), even when one runs long",
        FlinkDuration(min_pause),
        if min_pause.saturating_mul(2) == interval {
            "half"
        } else {
            "half, rounded down to a step, of"
        },
        FlinkDuration(interval)
    );
    CheckpointBudget {
        timeout,
        why_timeout,
        tolerated,
        why_tolerated,
        min_pause,
        why_min_pause,
    }
}

/// Whole milliseconds under a second, whole seconds above, for reasons people read.
fn round_ms(duration: Duration) -> Duration {
    if duration >= Duration::from_secs(1) {
        return round_up_to_second(duration);
    }
    Duration::from_millis(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

/// Whole minutes up, for a timeout written into a file.
fn round_up_to_minute(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs().div_ceil(60) * 60)
}

fn round_up_to_second(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs() + u64::from(duration.subsec_nanos() > 0))
}

#[cfg(test)]
mod tests {
    //! Worked examples, each number computed by hand from the estimators' documented formulas: a checkpoint takes
    //! 200 ms plus the uploaded bytes over 100 MiB/s (incremental: 10% of the state), a restore 10 s plus the state
    //! over 200 MiB/s (ForSt: the 10 s alone), each transfer in whole milliseconds rounded down, plus one; the
    //! replayed window must fit (objective - restore) / 0.7.
    use super::*;
    use crate::advisor::state_backend::BackendChoice;
    use crate::advisor::test_support::advise;
    use crate::flink::MemorySize;
    use crate::profile::embedded::embedded_profile;

    /// One TaskManager of four slots (4 cores, 16 GiB) whose state sits on `kind`.
    fn layout(kind: StateBackendKind) -> Layout {
        let mut layout = advise(4.0, 16, "balanced", "2.3", |_, _| {})
            .unwrap()
            .layout;
        assert_eq!(
            (layout.total_taskmanagers(), layout.slots_per_taskmanager),
            (1, 4)
        );
        layout.backend = Some(BackendChoice {
            kind,
            why: String::new(),
        });
        layout
    }

    fn profile(state: MemorySize, objective: Duration) -> JobProfile {
        let mut profile = embedded_profile("balanced").unwrap();
        profile.state_size = Some(state);
        profile.recovery_time_objective = objective;
        profile.upload_bandwidth = MemorySize::mebibytes(100);
        profile.download_bandwidth = MemorySize::mebibytes(200);
        profile.state_change_percent = 10;
        profile
    }

    const GIB_10: MemorySize = MemorySize::gibibytes(10);
    const MINUTE: Duration = Duration::from_secs(60);

    fn fit_rocksdb(objective: Duration) -> CheckpointBudget {
        fit(
            &profile(GIB_10, objective),
            &layout(StateBackendKind::RocksDb),
            4,
            MINUTE,
        )
    }

    #[test]
    fn state_is_spread_over_the_taskmanagers_the_job_occupies() {
        let mut layout = layout(StateBackendKind::RocksDb);
        layout.hosts = 3;
        let profile = profile(MemorySize::gibibytes(12), MINUTE);
        let per = |parallelism| state_per_occupied_taskmanager(&profile, &layout, parallelism);
        assert_eq!(per(4), MemorySize::gibibytes(12));
        assert_eq!(per(5), MemorySize::gibibytes(6));
        assert_eq!(per(12), MemorySize::gibibytes(4));
        assert_eq!(per(0), MemorySize::gibibytes(12));
    }

    #[test]
    fn incremental_backends_upload_the_changes_and_the_heap_backend_everything() {
        let profile = profile(GIB_10, MINUTE);
        // 1 GiB changed: 10240 ms + 200 ms; all 10 GiB: 102400 ms + 200 ms.
        let rocksdb = steady_duration(&profile, &layout(StateBackendKind::RocksDb), 4);
        assert_eq!(rocksdb, Duration::from_millis(10_440));
        let forst = steady_duration(&profile, &layout(StateBackendKind::ForSt), 4);
        assert_eq!(forst, rocksdb);
        let heap = steady_duration(&profile, &layout(StateBackendKind::HashMap), 4);
        assert_eq!(heap, Duration::from_millis(102_600));
    }

    #[test]
    fn a_roomy_objective_tolerates_five_failures_at_the_one_minute_floor() {
        // Restore 61.201 s; window (600 - 61.201) / 0.7 = 769.7 s; five failures leave (769.7 - 60 - 5 x 30) / 6 =
        // 93.3 s per checkpoint: the 1 min step, which is also the floor.
        let budget = fit_rocksdb(10 * MINUTE);
        assert_eq!(
            (budget.tolerated, budget.timeout, budget.min_pause),
            (5, MINUTE, 30 * Duration::from_secs(1))
        );
        assert_eq!(
            budget.why_timeout,
            "a checkpoint of 10 GiB per TaskManager takes about 11 s at 100 MiB/s; restoring it about 62 s: at least \
             2x the checkpoint (and 1 min), and short enough that 6 hung checkpoints plus the 1 min interval replay \
             within the 10 min recovery objective at 70% load"
        );
        // Replayed: 60 + 6 x 60 + 5 x 30 = 570 s, reprocessed at 70% busy in 399 s.
        assert_eq!(
            budget.why_tolerated,
            "a passing storage hiccup should not fail the job; after 5 failed checkpoints in a row the replay (570 s \
             of input, 399 s to reprocess) still fits the 10 min recovery objective"
        );
        assert_eq!(
            budget.why_min_pause,
            "30 s of processing between checkpoints (half the 1 min interval), even when one runs long"
        );
    }

    #[test]
    fn the_most_failures_whose_hung_checkpoints_still_fit_are_tolerated() {
        // 7 min: window 512.6 s; five failures leave (512.6 - 210) / 6 = 50.4 s, under the floor; four leave
        // (512.6 - 180) / 5 = 66.5 s: the 1 min step. Replayed 60 + 5 x 60 + 4 x 30 = 480 s.
        let budget = fit_rocksdb(7 * MINUTE);
        assert_eq!((budget.tolerated, budget.timeout), (4, MINUTE));
        assert!(
            budget
                .why_tolerated
                .contains("after 4 failed checkpoints in a row the replay (8 min of input, 336 s to reprocess)"),
            "{}",
            budget.why_tolerated
        );
        // 4 min: window 255.4 s; two failures leave 45.1 s, one (255.4 - 90) / 2 = 82.7 s. Replayed 210 s.
        let budget = fit_rocksdb(4 * MINUTE);
        assert_eq!((budget.tolerated, budget.timeout), (1, MINUTE));
        assert!(
            budget.why_tolerated.contains(
                "after 1 failed checkpoint in a row the replay (210 s of input, 147 s to reprocess)"
            ),
            "{}",
            budget.why_tolerated
        );
        // 3 min: window 169.7 s; one failure leaves 39.9 s; none, 109.7 s: one hung checkpoint is all it holds.
        let budget = fit_rocksdb(3 * MINUTE);
        assert_eq!((budget.tolerated, budget.timeout), (0, MINUTE));
        assert!(
            budget
                .why_timeout
                .contains("short enough that 1 hung checkpoint plus"),
            "{}",
            budget.why_timeout
        );
        assert_eq!(
            budget.why_tolerated,
            "the 3 min recovery objective leaves no room for a failed checkpoint: fail and restart at once"
        );
    }

    #[test]
    fn the_timeout_stops_at_flinks_default_or_the_large_state_cap() {
        // 4 h: five failures leave (20484 - 210) / 6 = 3379 s, the 30 min step; 10 GiB keeps Flink's 10 min default.
        let budget = fit_rocksdb(240 * MINUTE);
        assert_eq!((budget.tolerated, budget.timeout), (5, 10 * MINUTE));
        // 60 GiB (large state) may take 30 min: 6 GiB uploads in 61.4 s, restore 317.2 s, (20118 - 210) / 6 = 3318 s.
        let large = fit(
            &profile(MemorySize::gibibytes(60), 240 * MINUTE),
            &layout(StateBackendKind::RocksDb),
            4,
            MINUTE,
        );
        assert_eq!((large.tolerated, large.timeout), (5, 30 * MINUTE));
    }

    #[test]
    fn forst_restores_without_downloading() {
        let budget = fit(
            &profile(GIB_10, 10 * MINUTE),
            &layout(StateBackendKind::ForSt),
            4,
            MINUTE,
        );
        assert!(
            budget.why_timeout.contains("restoring it about 10 s:"),
            "{}",
            budget.why_timeout
        );
    }

    #[test]
    fn an_objective_too_short_keeps_twice_the_checkpoint_in_whole_minutes() {
        // The heap backend uploads all 10 GiB: 102.601 s, so at least 205.2 s; the 3 min objective leaves a window
        // of 169.7 s, not even one such timeout: the timeout is 205 s rounded up to 4 min, and nothing is tolerated.
        let budget = fit(
            &profile(GIB_10, 3 * MINUTE),
            &layout(StateBackendKind::HashMap),
            4,
            MINUTE,
        );
        assert_eq!((budget.tolerated, budget.timeout), (0, 4 * MINUTE));
        assert_eq!(
            budget.why_timeout,
            "a checkpoint of 10 GiB per TaskManager takes about 103 s at 100 MiB/s; restoring it about 62 s: 2x the \
             checkpoint (at least 1 min); the 3 min recovery objective cannot also hold (see the warning)"
        );
    }

    #[test]
    fn the_pause_is_half_the_interval_rounded_down_to_a_step() {
        let pause = |interval: Duration| {
            let budget = fit(
                &profile(MemorySize::ZERO, 10 * MINUTE),
                &layout(StateBackendKind::HashMap),
                4,
                interval,
            );
            (budget.min_pause, budget.why_min_pause)
        };
        // Below the smallest step (100 ms), exactly half.
        let (min_pause, why) = pause(Duration::from_millis(150));
        assert_eq!(min_pause, Duration::from_millis(75));
        assert!(
            why.starts_with("75 ms of processing between checkpoints (half the 150 ms interval)"),
            "{why}"
        );
        let (min_pause, why) = pause(5 * MINUTE);
        assert_eq!(min_pause, 2 * MINUTE);
        assert!(
            why.contains("(half, rounded down to a step, of the 5 min interval)"),
            "{why}"
        );
    }

    #[test]
    fn no_state_takes_the_synchronous_phase_in_milliseconds() {
        let budget = fit(
            &profile(MemorySize::ZERO, 10 * MINUTE),
            &layout(StateBackendKind::HashMap),
            4,
            MINUTE,
        );
        assert!(
            budget
                .why_timeout
                .starts_with("a checkpoint of 0 MiB per TaskManager takes about 200 ms at 100 MiB/s; restoring it about 10 s"),
            "{}",
            budget.why_timeout
        );
    }
}
