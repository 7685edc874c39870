//! What the planned cluster costs in time and storage, from the advisor's estimators (src/advisor/estimate/) and the
//! invariants' view of the planned configuration (src/invariants/deployment.rs): the same numbers `check` and
//! `recommend` judge a deployment by. Checkpoint storage holds the one retained checkpoint (Flink's default
//! `execution.checkpointing.num-retained` is 1), which references the whole state whether it was uploaded in full or
//! incrementally; the upload rate is what every TaskManager uploads per checkpoint, over the interval.

use std::time::Duration;

use crate::advisor::as_configuration;
use crate::advisor::estimate::catch_up::catch_up_time;
use crate::advisor::estimate::checkpoint_duration::{checkpoint_duration, uploaded};
use crate::advisor::estimate::local_disk::local_disk_needed;
use crate::flink::MemorySize;
use crate::invariants::{Deployment, Level, checkpoints, evaluate, recovery};

use super::advise::Advised;

/// The planned cluster's checkpoint, recovery and disk figures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimates {
    pub state_per_taskmanager: MemorySize,
    /// `None` without checkpointing.
    pub checkpoint_interval: Option<Duration>,
    pub checkpoint_duration: Option<Duration>,
    /// Bytes each TaskManager uploads per checkpoint.
    pub upload_per_checkpoint: MemorySize,
    /// The cluster's average upload rate to checkpoint storage, bytes per second.
    pub upload_per_second: MemorySize,
    /// Checkpoint storage the retained checkpoint takes.
    pub checkpoint_storage: MemorySize,
    /// Getting the state back onto the TaskManagers after a failure.
    pub restore: Duration,
    /// Local disk each TaskManager needs for its state (RocksDB's files and compaction, the local-recovery copy).
    pub local_disk_per_taskmanager: MemorySize,
    /// The invariants' warnings (errors never reach a plan: the advisor fails on them).
    pub warnings: Vec<String>,
}

pub(crate) fn estimates(advised: &Advised) -> Estimates {
    let recommendation = &advised.recommendation;
    let deployment = Deployment::from_configuration(
        &as_configuration(&recommendation.settings),
        recommendation.version,
        Some(&advised.host),
        Some(&advised.profile),
    );
    let state_per_taskmanager = deployment
        .state_per_taskmanager()
        .unwrap_or(MemorySize::ZERO);
    let checkpointing = deployment
        .checkpointing
        .as_ref()
        .filter(|_| deployment.streaming);
    let load = checkpointing.and_then(|c| checkpoints::load(&deployment, c));
    let upload_per_checkpoint = load.as_ref().map_or(MemorySize::ZERO, uploaded);
    let checkpoint_interval = checkpointing.map(|c| c.interval);
    let upload_per_second = match checkpoint_interval {
        Some(interval) if !interval.is_zero() => MemorySize::from_bytes(
            (u128::from(upload_per_checkpoint.bytes())
                * u128::from(deployment.taskmanagers_used())
                * 1000
                / interval.as_millis().max(1))
            .try_into()
            .unwrap_or(u64::MAX),
        ),
        _ => MemorySize::ZERO,
    };
    let restore = recovery::estimate(&deployment)
        .map_or(crate::advisor::estimate::restore_time::RESCHEDULE, |e| {
            e.restore
        });
    Estimates {
        state_per_taskmanager,
        checkpoint_interval,
        checkpoint_duration: load.as_ref().map(checkpoint_duration),
        upload_per_checkpoint,
        upload_per_second,
        checkpoint_storage: if checkpoint_interval.is_some() {
            advised.profile.state_size.unwrap_or(MemorySize::ZERO)
        } else {
            MemorySize::ZERO
        },
        restore,
        local_disk_per_taskmanager: local_disk_needed(
            state_per_taskmanager,
            deployment.state_off_heap(),
            deployment.local_recovery,
        ),
        warnings: evaluate(&deployment)
            .iter()
            .filter(|violation| violation.level == Level::Warning)
            .map(|violation| violation.one_line())
            .collect(),
    }
}

/// Catch-up after an outage of `outage`: the job is down for the outage and the restore, and drains that backlog at
/// its spare capacity (src/advisor/estimate/catch_up.rs); `None`: it never catches up (no spare capacity).
pub(crate) fn catch_up(outage: Duration, restore: Duration, utilization: f64) -> Option<Duration> {
    catch_up_time(outage.saturating_add(restore), utilization)
}
