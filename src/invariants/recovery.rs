//! Recovery invariant.
//! - FT-RCV-001 (warning): a recovery fits the job's recovery objective: the restore (estimate/restore_time.rs)
//!   plus replaying the worst-case window at the planned utilization (estimate/replay_window.rs). The worst case is a
//!   checkpoint that hangs until its timeout, as often as tolerated: a timeout longer than the objective alone breaks
//!   it (issue 11, case 4).

use std::time::Duration;

use crate::advisor::estimate::catch_up::catch_up_time;
use crate::advisor::estimate::checkpoint_duration::checkpoint_duration;
use crate::advisor::estimate::replay_window::{
    CheckpointTimes, replay_time, typical_window, worst_window,
};
use crate::advisor::estimate::restore_time::{RestorePath, restore_time};
use crate::advisor::parallelism::TARGET_UTILIZATION;
use crate::flink::MemorySize;
use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{checkpointing, state};

use super::{Deployment, Level, Violation};

/// The estimated recovery time (restore plus worst-case replay) and its parts, when checkpointing is on.
pub(crate) struct RecoveryEstimate {
    pub restore: Duration,
    pub window: Duration,
    /// The replay after an ordinary task failure, while checkpoints succeed.
    pub typical_window: Duration,
    pub total: Duration,
}

pub(crate) fn estimate(deployment: &Deployment) -> Option<RecoveryEstimate> {
    let checkpoints = deployment.checkpointing.as_ref()?;
    let profile = deployment.profile.as_ref()?;
    let state = deployment
        .state_per_taskmanager()
        .unwrap_or(MemorySize::ZERO);
    let duration = super::checkpoints::load(deployment, checkpoints)
        .map_or(Duration::ZERO, |load| checkpoint_duration(&load));
    let times = CheckpointTimes {
        interval: checkpoints.interval,
        timeout: checkpoints.timeout,
        min_pause: checkpoints.min_pause,
        tolerated_failures: checkpoints.tolerated_failures,
        duration,
    };
    let window = worst_window(&times);
    let path = if deployment.backend == crate::flink::job_options::StateBackendKind::ForSt {
        RestorePath::Remote
    } else if deployment.local_recovery {
        RestorePath::Local
    } else {
        RestorePath::Download
    };
    let restore = restore_time(state, path, profile.download_bandwidth);
    Some(RecoveryEstimate {
        restore,
        window,
        typical_window: typical_window(&times),
        total: restore.saturating_add(replay_time(window, TARGET_UTILIZATION)),
    })
}

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let Some(profile) = deployment.profile.as_ref().filter(|_| deployment.streaming) else {
        return Vec::new();
    };
    let Some(estimate) = estimate(deployment) else {
        return Vec::new();
    };
    let objective = profile.recovery_time_objective;
    if estimate.total <= objective {
        return Vec::new();
    }
    let version = deployment.version;
    vec![Violation::new(
        "FT-RCV-001",
        Level::Warning,
        Some(checkpointing::TIMEOUT.for_version(version)),
        format!(
            "a recovery may take {} (restore {}, then replaying a worst-case {} window at {}% load; {} after an \
             ordinary failure), over the {} recovery objective, and live again only {} later",
            FlinkDuration(whole_seconds(estimate.total)),
            FlinkDuration(whole_seconds(estimate.restore)),
            FlinkDuration(whole_seconds(estimate.window)),
            TARGET_UTILIZATION * 100.0,
            FlinkDuration(whole_seconds(estimate.typical_window)),
            FlinkDuration(objective),
            catch_up_time(estimate.total, TARGET_UTILIZATION).map_or("never".to_string(), |time| {
                FlinkDuration(whole_seconds(time)).to_string()
            })
        ),
        format!(
            "lower {}, {} or {}, {}or raise the recovery objective (--recovery-time)",
            checkpointing::TIMEOUT.for_version(version),
            checkpointing::TOLERABLE_FAILURES.for_version(version),
            checkpointing::INTERVAL.for_version(version),
            // The lever already pulled is not offered again.
            if deployment.local_recovery {
                "spread the state over more TaskManagers (--hosts) for faster restores, "
                    .to_string()
            } else {
                format!(
                    "turn on {} for faster restores, ",
                    state::LOCAL_RECOVERY.for_version(version)
                )
            }
        ),
    )]
}

fn whole_seconds(duration: Duration) -> Duration {
    Duration::from_secs(duration.as_secs().max(1))
}
