//! Slots per TaskManager from its cores and how long the job's tasks wait. Flink's docs: "a good default number of
//! task slots would be the number of CPU cores"; operators add that CPU-bound work gets at most one slot per core (a
//! second slot on a busy core only adds context switches) and IO-bound work more, since its tasks mostly wait on
//! external systems. How many more follows from the wait: a task that spends a share `w` of its time waiting keeps
//! `1 - w` of a core busy, so
//!
//!     slots = cores / (1 - io-wait)
//!
//! The wait is the profile's `io-wait` (by workload when unset: 0% for CPU-bound and mixed, 50% for IO-bound, the
//! old "two slots per core"), which `recommend --from-cluster` measures on the running job
//! (src/cluster/analysis/cpu_use.rs). Measured (benches/outcome.rs, slow-lookup: a synchronous 2 ms call per record
//! on 2 cores): throughput grew with the slots up to the grid's 32, 16 per core.

use crate::profile::{JobProfile, Workload};

/// The most slots a core carries, however long the tasks wait: past this many threads a core spends more on
/// switching between them than the waits save, and Flink's async I/O serves the calls with far fewer slots
/// (Flink docs, "Asynchronous I/O for External Data Access").
pub(crate) const MAX_SLOTS_PER_CORE: f64 = 32.0;

/// Slots for a TaskManager with `cores` CPUs (fractions allowed), never fewer than one; with the reason.
pub(crate) fn slots_for(cores: f64, profile: &JobProfile) -> (u32, String) {
    let wait_percent = profile.io_wait();
    if wait_percent == 0 {
        let (slots, why) = match profile.workload {
            Workload::Mixed => (
                cores.round(),
                "one slot per core (Flink's default guidance)",
            ),
            Workload::Cpu | Workload::Io => (cores.floor(), "CPU-bound: at most one slot per core"),
        };
        return ((slots as u32).max(1), why.to_string());
    }
    let on_cpu_percent = f64::from(100 - wait_percent.min(99));
    let on_cpu = on_cpu_percent / 100.0;
    // In whole percents, so 2 cores at 96% are 50 slots, not 49.99.
    let by_wait = (cores * 100.0 / on_cpu_percent).floor();
    let ceiling = (cores * MAX_SLOTS_PER_CORE).floor().max(1.0);
    let slots = by_wait.clamp(1.0, ceiling) as u32;
    let source = match profile.io_wait_percent {
        Some(_) => "io-wait".to_string(),
        None => format!("the {} workload's io-wait", profile.workload.as_str()),
    };
    let mut why = format!(
        "tasks wait {wait_percent}% of the time ({source}), so each keeps {} of a core busy and {} cores carry \
         {slots} slots",
        trim(on_cpu),
        trim(cores),
    );
    if by_wait > ceiling {
        why.push_str(&format!(
            " (capped at {MAX_SLOTS_PER_CORE} per core: past that, asynchronous I/O in the job serves the calls, \
             not more threads)"
        ));
    }
    (slots, why)
}

/// A figure as people write it: 8, 1.5, 0.03.
fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::embedded::embedded_profile;

    fn profile(workload: Workload, io_wait: Option<u8>) -> JobProfile {
        let mut profile = embedded_profile("balanced").unwrap();
        profile.workload = workload;
        profile.io_wait_percent = io_wait;
        profile
    }

    #[test]
    fn slot_counts_at_the_boundaries() {
        assert_eq!(slots_for(8.0, &profile(Workload::Cpu, None)).0, 8);
        assert_eq!(slots_for(1.5, &profile(Workload::Cpu, None)).0, 1);
        assert_eq!(slots_for(0.5, &profile(Workload::Cpu, None)).0, 1);
        assert_eq!(slots_for(1.5, &profile(Workload::Mixed, None)).0, 2);
        assert_eq!(slots_for(1.4, &profile(Workload::Mixed, None)).0, 1);
        // IO-bound by default: two per core.
        assert_eq!(slots_for(8.0, &profile(Workload::Io, None)).0, 16);
        assert_eq!(slots_for(1.5, &profile(Workload::Io, None)).0, 3);
        assert_eq!(slots_for(0.25, &profile(Workload::Io, None)).0, 1);
    }

    #[test]
    fn a_measured_wait_sets_the_slots_per_core_up_to_the_cap() {
        // 90% waiting: ten per core, whatever the workload says.
        assert_eq!(slots_for(2.0, &profile(Workload::Cpu, Some(90))).0, 20);
        assert_eq!(slots_for(2.0, &profile(Workload::Mixed, Some(75))).0, 8);
        // A wait of 0% is CPU-bound work: one per core, never rounded up.
        assert_eq!(slots_for(1.5, &profile(Workload::Io, Some(0))).0, 1);
        // 99%: a hundred per core wanted, 32 given.
        let (slots, why) = slots_for(2.0, &profile(Workload::Io, Some(99)));
        assert_eq!(slots, 64);
        assert!(why.contains("capped at 32 per core"), "{why}");
        // 96%: 25 per core, under the cap.
        let (slots, why) = slots_for(2.0, &profile(Workload::Io, Some(96)));
        assert_eq!(slots, 50);
        assert!(!why.contains("capped"), "{why}");
        assert_eq!(slots_for(0.01, &profile(Workload::Io, Some(99))).0, 1);
    }

    #[test]
    fn a_wait_that_lands_exactly_on_the_cap_is_not_called_capped() {
        // Half a core at 97%: 16.7 slots by the wait, 16 in whole slots; the cap is 16 as well. Nothing was capped,
        // and the reason must not tell the user to use asynchronous I/O instead.
        let (slots, why) = slots_for(0.5, &profile(Workload::Io, Some(97)));
        assert_eq!(slots, 16);
        assert!(!why.contains("capped"), "{why}");
    }

    #[test]
    fn the_reason_states_the_numbers_it_used() {
        let (_, why) = slots_for(8.0, &profile(Workload::Io, None));
        assert!(why.contains("wait 50%"), "{why}");
        assert!(why.contains("the io workload's io-wait"), "{why}");
        assert!(why.contains("0.5 of a core"), "{why}");
        assert!(why.contains("8 cores carry 16 slots"), "{why}");
        let (_, why) = slots_for(1.5, &profile(Workload::Io, Some(75)));
        assert!(why.contains("(io-wait)"), "{why}");
        assert!(why.contains("1.5 cores carry 6 slots"), "{why}");
    }
}
