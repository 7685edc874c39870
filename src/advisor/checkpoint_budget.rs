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
