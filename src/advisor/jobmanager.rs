//! JobManager size. Its heap holds the job graph, the execution graph (one vertex per subtask), checkpoint
//! coordination and, in a session cluster, every running job's; Flink's docs say its heap "depends on the number of
//! running jobs, their structure, and requirements of user code" (Flink docs, "Set up JobManager Memory").

use crate::flink::MemorySize;
use crate::profile::Mode;

/// Flink's shipped `jobmanager.memory.process.size`, enough for a job of a few hundred subtasks.
pub(crate) const SHIPPED_PROCESS_SIZE: MemorySize = MemorySize::mebibytes(1600);
/// Slot counts above which the execution graph (subtasks times vertices) outgrows the shipped size.
pub(crate) const LARGE_JOB_SLOTS: u32 = 256;
pub(crate) const VERY_LARGE_JOB_SLOTS: u32 = 1024;
pub(crate) const LARGE_JOB_PROCESS_SIZE: MemorySize = MemorySize::mebibytes(2560);
pub(crate) const VERY_LARGE_JOB_PROCESS_SIZE: MemorySize = MemorySize::gibibytes(4);
/// A session cluster's JobManager holds several jobs' graphs at once.
pub(crate) const SESSION_PROCESS_SIZE: MemorySize = MemorySize::gibibytes(2);
/// The least a JobManager that shares a small host is lowered to: with Flink's default metaspace (256 MiB), overhead
/// minimum (192 MiB) and off-heap (128 MiB) around it, 1 GiB leaves a 448 MiB heap, several times the 128 MiB below
/// which Flink warns (docs/flink-memory-model.md, "JobManager components"); enough for a small job's graph
/// (flinktune's choice, docs/tuning-guidance.md, "JobManager size").
pub(crate) const SHARED_HOST_MIN_PROCESS_SIZE: MemorySize = MemorySize::gibibytes(1);

/// `jobmanager.memory.process.size` for a cluster of `total_slots` slots in `mode`, with the reason.
pub(crate) fn process_size(total_slots: u32, mode: Mode) -> (MemorySize, String) {
    let by_slots = if total_slots > VERY_LARGE_JOB_SLOTS {
        (
            VERY_LARGE_JOB_PROCESS_SIZE,
            format!(
                "{total_slots} slots: execution graphs of more than {VERY_LARGE_JOB_SLOTS} subtasks per vertex"
            ),
        )
    } else if total_slots > LARGE_JOB_SLOTS {
        (
            LARGE_JOB_PROCESS_SIZE,
            format!(
                "{total_slots} slots: execution graphs of more than {LARGE_JOB_SLOTS} subtasks per vertex"
            ),
        )
    } else {
        (
            SHIPPED_PROCESS_SIZE,
            format!("Flink's shipped size fits {total_slots} slots (up to {LARGE_JOB_SLOTS})"),
        )
    };
    if mode == Mode::Session && by_slots.0 < SESSION_PROCESS_SIZE {
        return (
            SESSION_PROCESS_SIZE,
            "a session cluster's JobManager holds every running job's graph and checkpoint coordinator".to_string(),
        );
    }
    by_slots
}

/// The JobManager's size when it shares a host with `taskmanagers` TaskManagers that split `for_processes` (the host's
/// memory after the OS reserve) with it: at most an equal share, so that the TaskManagers, which run the work, are
/// never the smaller processes (issue 15: a 1.6 GiB JobManager beside a 1.4 GiB TaskManager on a 2-core, 4 GiB host);
/// never below [`SHARED_HOST_MIN_PROCESS_SIZE`] (docs/tuning-guidance.md, "JobManager size").
pub(crate) fn on_shared_host(
    (size, why): (MemorySize, String),
    for_processes: MemorySize,
    taskmanagers: u32,
) -> (MemorySize, String) {
    let share = for_processes.bytes() / (u64::from(taskmanagers) + 1);
    let share = MemorySize::from_bytes(share & !((1 << 20) - 1)).max(SHARED_HOST_MIN_PROCESS_SIZE);
    if size <= share {
        return (size, why);
    }
    (
        share,
        format!(
            "{why}; lowered to {} so that the JobManager sharing the host takes no more of its {} than a TaskManager",
            crate::text::units::show(share),
            crate::text::units::show(for_processes)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jobmanager_sharing_a_host_takes_at_most_an_equal_share() {
        let shipped = || (SHIPPED_PROCESS_SIZE, "shipped".to_string());
        // 3 GiB after the reserve, one TaskManager: 1.5 GiB each.
        let (size, why) = on_shared_host(shipped(), MemorySize::gibibytes(3), 1);
        assert_eq!(size, MemorySize::mebibytes(1536));
        assert!(why.starts_with("shipped; lowered to 1.5 GiB"), "{why}");
        // Whole mebibytes, rounded down: 3073 MiB over 2 is 1536.5 MiB, written 1536m.
        let odd = MemorySize::mebibytes(3073);
        assert_eq!(
            on_shared_host(shipped(), odd, 1).0,
            MemorySize::mebibytes(1536)
        );
        // Exactly the share it asks for, or more room: unchanged, reason and all.
        let room = MemorySize::mebibytes(3200);
        assert_eq!(on_shared_host(shipped(), room, 1), shipped());
        assert_eq!(
            on_shared_host(shipped(), MemorySize::gibibytes(100), 3),
            shipped()
        );
        // Three TaskManagers in 6 GiB: a quarter each.
        assert_eq!(
            on_shared_host(shipped(), MemorySize::gibibytes(6), 3).0,
            MemorySize::mebibytes(1536)
        );
        // Never below the floor, however small the host (the TaskManager then does not fit: host too small).
        assert_eq!(
            on_shared_host(shipped(), MemorySize::gibibytes(1), 1).0,
            SHARED_HOST_MIN_PROCESS_SIZE
        );
        // A JobManager already under the floor stays as it is.
        let small = (MemorySize::mebibytes(800), "small".to_string());
        assert_eq!(
            on_shared_host(small.clone(), MemorySize::gibibytes(1), 1),
            small
        );
    }

    #[test]
    fn grows_with_slots_and_for_sessions() {
        assert_eq!(process_size(1, Mode::Application).0, SHIPPED_PROCESS_SIZE);
        assert_eq!(process_size(256, Mode::Application).0, SHIPPED_PROCESS_SIZE);
        assert_eq!(
            process_size(257, Mode::Application).0,
            LARGE_JOB_PROCESS_SIZE
        );
        assert_eq!(process_size(1024, Mode::PerJob).0, LARGE_JOB_PROCESS_SIZE);
        assert_eq!(
            process_size(1025, Mode::Application).0,
            VERY_LARGE_JOB_PROCESS_SIZE
        );
        assert_eq!(process_size(4, Mode::Session).0, SESSION_PROCESS_SIZE);
        assert_eq!(
            process_size(2000, Mode::Session).0,
            VERY_LARGE_JOB_PROCESS_SIZE
        );
    }
}
