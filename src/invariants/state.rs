//! State backend invariants.
//! - FT-STA-001 (error at the whole task heap, warning past half of it): the heap backend's state, as Java objects
//!   (about 3x its serialized size), fits the task heap it lives in; past it the TaskManager runs out of memory.
//!   The advisor picks the heap backend only within half (src/advisor/state_backend.rs).
//! - FT-STA-002 (warning): the heap backend for 50 GiB of declared state or more, which it writes in full at every
//!   checkpoint (Flink docs, "State Backends": incremental checkpoints need RocksDB or ForSt).

use crate::advisor::state_backend::{HEAP_EXPANSION, HEAP_STATE_SHARE, LARGE_HEAP_STATE};
use crate::flink::MemorySize;
use crate::flink::job_options::{StateBackendKind, state};
use crate::text::units::show;

use super::{Deployment, Level, Violation};

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    if deployment.backend != StateBackendKind::HashMap || !deployment.streaming {
        return violations;
    }
    let key = state::BACKEND.for_version(deployment.version);
    if let (Some(memory), Some(per_taskmanager)) =
        (&deployment.taskmanager, deployment.state_per_taskmanager())
    {
        let as_objects = per_taskmanager.bytes().saturating_mul(HEAP_EXPANSION);
        let half = (memory.task_heap.bytes() as f64 * HEAP_STATE_SHARE) as u64;
        if as_objects > half {
            violations.push(Violation::new(
                "FT-STA-001",
                if as_objects > memory.task_heap.bytes() {
                    Level::Error
                } else {
                    Level::Warning
                },
                Some(key),
                format!(
                    "{} of state per TaskManager is about {} as objects on the heap, {} the {} task heap",
                    show(per_taskmanager),
                    show(MemorySize::from_bytes(as_objects)),
                    if as_objects > memory.task_heap.bytes() {
                        "more than"
                    } else {
                        "over half of"
                    },
                    show(memory.task_heap)
                ),
                format!("use {key}: rocksdb (--state-backend rocksdb), or spread the state over more TaskManagers"),
            ));
        }
    }
    if let Some(total) = deployment
        .profile
        .as_ref()
        .and_then(|profile| profile.state_size)
        && total >= LARGE_HEAP_STATE
    {
        violations.push(Violation::new(
            "FT-STA-002",
            Level::Warning,
            Some(key),
            format!(
                "the heap state backend with {} of declared state: it must fit the heap (several times over as \
                 objects) and is checkpointed in full",
                show(total)
            ),
            format!("use {key}: rocksdb with incremental checkpoints (`flinktune recommend` sizes it)"),
        ));
    }
    violations
}
