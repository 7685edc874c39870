//! How long a TaskManager takes to get its state back after a failure. Flink's docs ("Task-Local Recovery"): without
//! local recovery every TaskManager downloads its share of the last checkpoint from checkpoint storage; with it, a
//! task restarted on the same TaskManager reads a local copy and only tasks moved elsewhere download.
//!
//! restore = RESCHEDULE + state per TaskManager / (local recovery ? LOCAL_READ : download bandwidth per TaskManager).
//! A lost TaskManager's replacement always downloads; the estimate with local recovery is the common case of a task
//! failure on a surviving TaskManager, and [`restore_time`] returns the slower download path when asked for it.

use std::time::Duration;

use crate::flink::MemorySize;

use super::transfer_time;

/// Cancelling, rescheduling and redeploying the tasks (with Flink's 1 s initial restart backoff): about ten seconds
/// on a healthy cluster, longer when a TaskManager must be replaced (a Kubernetes pod starts in tens of seconds).
pub(crate) const RESCHEDULE: Duration = Duration::from_secs(10);
/// Reading a local copy from an SSD: a conservative 400 MiB/s.
pub(crate) const LOCAL_READ: MemorySize = MemorySize::mebibytes(400);

/// Where the state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RestorePath {
    Download,
    Local,
    /// ForSt: the state's primary copy stays on the remote file system and is read on demand, so a restore moves
    /// no state up front (Flink docs, "Disaggregated State Management").
    Remote,
}

pub(crate) fn restore_time(
    state_per_taskmanager: MemorySize,
    path: RestorePath,
    download_per_second: MemorySize,
) -> Duration {
    let rate = match path {
        RestorePath::Download => download_per_second,
        RestorePath::Local => LOCAL_READ.max(download_per_second),
        RestorePath::Remote => return RESCHEDULE,
    };
    RESCHEDULE.saturating_add(transfer_time(state_per_taskmanager, rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_state_is_the_reschedule_alone() {
        let rate = MemorySize::mebibytes(200);
        assert_eq!(
            restore_time(MemorySize::ZERO, RestorePath::Download, rate),
            RESCHEDULE
        );
    }

    #[test]
    fn local_recovery_reads_faster_than_a_download() {
        let rate = MemorySize::mebibytes(200);
        let state = MemorySize::gibibytes(100);
        let download = restore_time(state, RestorePath::Download, rate);
        let local = restore_time(state, RestorePath::Local, rate);
        assert_eq!(download, RESCHEDULE + Duration::from_millis(512_000));
        assert_eq!(local, RESCHEDULE + Duration::from_millis(256_000));
        // A download faster than the local disk is not slowed down by it.
        let fast = MemorySize::gibibytes(1);
        assert_eq!(
            restore_time(state, RestorePath::Local, fast),
            restore_time(state, RestorePath::Download, fast)
        );
    }

    #[test]
    fn forst_restores_without_moving_state() {
        let state = MemorySize::gibibytes(100);
        assert_eq!(
            restore_time(state, RestorePath::Remote, MemorySize::mebibytes(1)),
            RESCHEDULE
        );
    }
}
