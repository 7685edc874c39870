//! Checkpoint invariants.
//! - FT-CKP-001 (error): a checkpoint interval of at least 10 ms (`CheckpointCoordinatorConfiguration` refuses less;
//!   issue 11, case 8).
//! - FT-CKP-002 (warning): the estimated steady checkpoint finishes within the interval, or checkpoints queue behind
//!   each other and the replay window grows.
//! - FT-CKP-003 (error): the estimated steady checkpoint finishes within the timeout, or it never completes. (An
//!   incremental backend's first checkpoint uploads everything, but state grows from nothing, so it is small then.)
//! - FT-CKP-004 (error): checkpoints kept in the JobManager's heap only for state under its 5 MiB limit
//!   (`JobManagerCheckpointStorage` refuses larger state; issue 11, case 2).

use crate::advisor::estimate::checkpoint_duration::{
    CheckpointLoad, SnapshotKind, checkpoint_duration,
};
use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{
    JOBMANAGER_STORAGE_MAX_STATE, MIN_CHECKPOINT_INTERVAL, checkpointing, state,
};
use crate::text::units::show;

use super::deployment::Checkpointing;
use super::{Deployment, Level, Violation};

/// What one checkpoint of this deployment uploads per TaskManager, when the state size is known.
pub(crate) fn load(deployment: &Deployment, checkpoints: &Checkpointing) -> Option<CheckpointLoad> {
    let profile = deployment.profile.as_ref()?;
    Some(CheckpointLoad {
        state_per_taskmanager: deployment.state_per_taskmanager()?,
        kind: if checkpoints.changelog {
            SnapshotKind::Changelog
        } else if checkpoints.incremental && deployment.state_off_heap() {
            SnapshotKind::Incremental
        } else {
            SnapshotKind::Full
        },
        change_percent: profile.state_change_percent,
        upload_per_second: profile.upload_bandwidth,
    })
}

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    let Some(checkpoints) = deployment
        .checkpointing
        .as_ref()
        .filter(|_| deployment.streaming)
    else {
        return violations;
    };
    let version = deployment.version;
    let interval_key = checkpointing::INTERVAL.for_version(version);
    if checkpoints.interval < MIN_CHECKPOINT_INTERVAL {
        violations.push(Violation::new(
            "FT-CKP-001",
            Level::Error,
            Some(interval_key),
            format!(
                "a checkpoint interval of {} is under Flink's minimum of 10 ms",
                FlinkDuration(checkpoints.interval)
            ),
            format!(
                "set {interval_key} to 10 ms or more (or leave it out to turn checkpointing off)"
            ),
        ));
        return violations;
    }
    if let Some(load) = load(deployment, checkpoints) {
        let steady = checkpoint_duration(&load);
        if steady > checkpoints.interval {
            violations.push(Violation::new(
                "FT-CKP-002",
                Level::Warning,
                Some(interval_key),
                format!(
                    "a checkpoint of {} per TaskManager is estimated at {} ({} uploaded at {}/s), longer than the {} \
                     interval",
                    show(load.state_per_taskmanager),
                    FlinkDuration(round_up_to_second(steady)),
                    show(crate::advisor::estimate::checkpoint_duration::uploaded(&load)),
                    show(load.upload_per_second),
                    FlinkDuration(checkpoints.interval)
                ),
                format!(
                    "raise {interval_key}, use incremental checkpoints, spread the state over more TaskManagers, or \
                     correct upload-bandwidth in the profile"
                ),
            ));
        }
        let timeout_key = checkpointing::TIMEOUT.for_version(version);
        if steady > checkpoints.timeout {
            violations.push(Violation::new(
                "FT-CKP-003",
                Level::Error,
                Some(timeout_key),
                format!(
                    "a checkpoint of {} per TaskManager is estimated at {} at {}/s, longer than the {} timeout: it \
                     would never complete",
                    show(load.state_per_taskmanager),
                    FlinkDuration(round_up_to_second(steady)),
                    show(load.upload_per_second),
                    FlinkDuration(checkpoints.timeout)
                ),
                format!(
                    "raise {timeout_key}, spread the state over more TaskManagers, or correct upload-bandwidth in the \
                     profile"
                ),
            ));
        }
    }
    if checkpoints.in_jobmanager
        && let Some(state) = deployment
            .profile
            .as_ref()
            .and_then(|profile| profile.state_size)
        && state > JOBMANAGER_STORAGE_MAX_STATE
    {
        let dir_key = state::CHECKPOINT_DIR.for_version(version);
        violations.push(Violation::new(
            "FT-CKP-004",
            Level::Error,
            Some(dir_key),
            format!(
                "checkpoints go to the JobManager's heap, which refuses state over {}, and the job holds {}",
                show(JOBMANAGER_STORAGE_MAX_STATE),
                show(state)
            ),
            format!("set {dir_key} (--checkpoint-dir) to a file system: s3://, hdfs://, or file:// for one host"),
        ));
    }
    violations
}

/// Whole seconds up (at least a millisecond), for messages.
fn round_up_to_second(duration: std::time::Duration) -> std::time::Duration {
    if duration < std::time::Duration::from_secs(1) {
        return duration;
    }
    std::time::Duration::from_secs(duration.as_secs() + u64::from(duration.subsec_nanos() > 0))
}
