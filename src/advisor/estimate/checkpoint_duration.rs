//! How long one checkpoint of a TaskManager's state takes. Flink's docs ("Tuning Checkpoints and Large State",
//! "Incremental Checkpoints", "Generic Log-Based Incremental Checkpointing"): a full snapshot (the heap backend, or
//! RocksDB without incremental checkpoints) uploads all of the state every time; an incremental RocksDB/ForSt
//! checkpoint uploads the files written since the last one, "proportional to the changes"; the changelog backend
//! uploads state changes continuously, so at checkpoint time only the tail not yet persisted remains.
//!
//! duration = SYNC_PHASE + uploaded bytes per TaskManager / upload bandwidth per TaskManager, where uploaded bytes are
//! the state (full), state x change rate (incremental), or state x change rate / CHANGELOG_TAIL_DIVISOR (changelog).
//! The first checkpoint of an incremental backend is full, but the state then is what the job built so far.

use std::time::Duration;

use crate::flink::MemorySize;

use super::transfer_time;

/// The synchronous part and the coordination round trip of a checkpoint (barrier alignment with no backpressure,
/// the snapshot's synchronous phase, the acknowledgement): a few hundred milliseconds on a healthy job.
pub(crate) const SYNC_PHASE: Duration = Duration::from_millis(200);
/// The changelog backend persists changes every `dstl.dfs.batch.persist-delay` (10 ms) or size threshold, so at a
/// checkpoint only a small tail is left; a tenth of one interval's changes is the planning figure.
pub(crate) const CHANGELOG_TAIL_DIVISOR: u64 = 10;

/// What a checkpoint writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SnapshotKind {
    /// All of the state: the heap backend, or RocksDB/ForSt without incremental checkpoints.
    Full,
    /// The files changed since the last checkpoint (RocksDB/ForSt with incremental checkpoints).
    Incremental,
    /// The changelog backend: changes are uploaded as they happen.
    Changelog,
}

/// The inputs of one estimate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckpointLoad {
    pub state_per_taskmanager: MemorySize,
    pub kind: SnapshotKind,
    /// Percent of the state rewritten between two checkpoints (1-100).
    pub change_percent: u8,
    pub upload_per_second: MemorySize,
}

/// The bytes one TaskManager uploads for a checkpoint.
pub(crate) fn uploaded(load: &CheckpointLoad) -> MemorySize {
    let state = load.state_per_taskmanager.bytes();
    let changed = state / 100 * u64::from(load.change_percent.min(100))
        + state % 100 * u64::from(load.change_percent.min(100)) / 100;
    MemorySize::from_bytes(match load.kind {
        SnapshotKind::Full => state,
        SnapshotKind::Incremental => changed,
        SnapshotKind::Changelog => changed / CHANGELOG_TAIL_DIVISOR,
    })
}

/// A steady-state checkpoint's duration.
pub(crate) fn checkpoint_duration(load: &CheckpointLoad) -> Duration {
    SYNC_PHASE.saturating_add(transfer_time(uploaded(load), load.upload_per_second))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(state_gib: u64, kind: SnapshotKind) -> CheckpointLoad {
        CheckpointLoad {
            state_per_taskmanager: MemorySize::gibibytes(state_gib),
            kind,
            change_percent: 10,
            upload_per_second: MemorySize::mebibytes(100),
        }
    }

    #[test]
    fn no_state_costs_only_the_synchronous_phase() {
        assert_eq!(
            checkpoint_duration(&load(0, SnapshotKind::Full)),
            SYNC_PHASE
        );
    }

    #[test]
    fn full_uploads_everything_incremental_the_changes_changelog_a_tail() {
        // 10 GiB at 100 MiB/s: 102.4 s in full, 10.24 s incremental, about 1 s changelog.
        let full = checkpoint_duration(&load(10, SnapshotKind::Full));
        assert_eq!(full, SYNC_PHASE + Duration::from_millis(102_400));
        let incremental = checkpoint_duration(&load(10, SnapshotKind::Incremental));
        assert_eq!(incremental, SYNC_PHASE + Duration::from_millis(10_240));
        let changelog = checkpoint_duration(&load(10, SnapshotKind::Changelog));
        assert_eq!(changelog, SYNC_PHASE + Duration::from_millis(1_024));
    }

    #[test]
    fn a_full_change_rate_is_a_full_upload() {
        let mut all = load(3, SnapshotKind::Incremental);
        all.change_percent = 100;
        assert_eq!(uploaded(&all), MemorySize::gibibytes(3));
    }
}
