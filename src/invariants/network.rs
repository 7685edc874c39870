//! Network memory invariants.
//! - FT-NET-001 (error): the network memory a TaskManager gets covers the buffers its slots need at the job's
//!   parallelism (estimate/network_buffers.rs); below it Flink fails the deployment with "Insufficient number of
//!   network buffers" (issue 11, case 12).
//! - FT-NET-002 (warning): `taskmanager.memory.network.min` and `.max` set together. One alone leaves the other at
//!   its default, and the pair then contradicts itself as soon as the set one passes the default of the other (Flink
//!   refuses: "min value must be less or equal to max value").

use crate::advisor::estimate::network_buffers::network_memory_needed;
use crate::flink::options::taskmanager as tm;
use crate::text::units::show;

use super::{Deployment, Level, Violation};

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    let Some(memory) = &deployment.taskmanager else {
        return violations;
    };
    if deployment.network_min_set != deployment.network_max_set {
        let (set, unset) = if deployment.network_min_set {
            (tm::NETWORK_MEMORY_MIN.key, tm::NETWORK_MEMORY_MAX.key)
        } else {
            (tm::NETWORK_MEMORY_MAX.key, tm::NETWORK_MEMORY_MIN.key)
        };
        violations.push(Violation::new(
            "FT-NET-002",
            Level::Warning,
            Some(set),
            format!("{set} is set without {unset}, which keeps Flink's default"),
            format!("set {unset} too, so the pair states the range you planned"),
        ));
    }
    if let Some(parallelism) = deployment.parallelism.filter(|_| deployment.streaming) {
        let slots = deployment.slots.min(parallelism.max(1));
        let needed = network_memory_needed(slots, parallelism);
        if memory.network < needed {
            violations.push(Violation::new(
                "FT-NET-001",
                Level::Error,
                Some(tm::NETWORK_MEMORY_MAX.key),
                format!(
                    "{slots} slots exchanging data among {parallelism} subtasks need about {} of network buffers; the \
                     TaskManager gets {}",
                    show(needed),
                    show(memory.network)
                ),
                format!(
                    "raise {} and {} (or the fraction), or lower the parallelism or {}",
                    tm::NETWORK_MEMORY_MIN.key,
                    tm::NETWORK_MEMORY_MAX.key,
                    tm::NUM_TASK_SLOTS.key
                ),
            ));
        }
    }
    violations
}
