//! Slots per TaskManager from its cores and the workload. Flink's docs: "a good default number of task slots would
//! be the number of CPU cores"; operators add that CPU-bound work gets at most one slot per core (a second slot on a
//! busy core only adds context switches) and IO-bound work more (tasks mostly wait on external systems), up to
//! about twice the cores.

use crate::profile::Workload;

/// IO-bound jobs: slots per core.
pub(crate) const IO_SLOTS_PER_CORE: f64 = 2.0;

/// Slots for a TaskManager with `cores` CPUs (fractions allowed), never fewer than one; with the reason.
pub(crate) fn slots_for(cores: f64, workload: Workload) -> (u32, String) {
    let (slots, why) = match workload {
        Workload::Cpu => (cores.floor(), "CPU-bound: at most one slot per core"),
        Workload::Mixed => (
            cores.round(),
            "one slot per core (Flink's default guidance)",
        ),
        Workload::Io => (
            (cores * IO_SLOTS_PER_CORE).floor(),
            "IO-bound: tasks mostly wait, so two slots per core keep the CPUs busy",
        ),
    };
    ((slots as u32).max(1), why.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_counts_at_the_boundaries() {
        assert_eq!(slots_for(8.0, Workload::Cpu).0, 8);
        assert_eq!(slots_for(1.5, Workload::Cpu).0, 1);
        assert_eq!(slots_for(0.5, Workload::Cpu).0, 1);
        assert_eq!(slots_for(1.5, Workload::Mixed).0, 2);
        assert_eq!(slots_for(1.4, Workload::Mixed).0, 1);
        assert_eq!(slots_for(8.0, Workload::Io).0, 16);
        assert_eq!(slots_for(1.5, Workload::Io).0, 3);
        assert_eq!(slots_for(0.25, Workload::Io).0, 1);
    }
}
