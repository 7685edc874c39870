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

#[cfg(test)]
mod tests {
    use super::*;

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
