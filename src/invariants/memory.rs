//! Memory invariants.
//! - FT-MEM-001 (error): every slot keeps a task heap floor; a TaskManager whose JVM heap is only the framework heap
//!   fails the first record (issue 11, case 1).
//! - FT-MEM-002 (error at zero, warning under the floor): RocksDB and ForSt get managed memory per slot for their
//!   block cache and write buffers (Flink docs, "Memory tuning guide: RocksDB state backend").
//! - FT-MEM-003 (warning): a JVM heap over 31 GiB, unless the heap is sized by hand: HotSpot compresses object
//!   pointers only below 32 GiB, so a larger heap holds less (also on Kubernetes, where a pod splits into several).
//! - FT-MEM-004 (error): the processes on a host (TaskManagers, and the JobManager where it runs with them) fit its
//!   memory.

use crate::flink::MemorySize;
use crate::flink::options::{jobmanager as jm, taskmanager as tm};

use super::{Deployment, Level, Violation};
use crate::text::units::show;

/// Task heap every slot keeps: records in flight, user objects and serializers need this much at the least.
pub(crate) const MIN_TASK_HEAP_PER_SLOT: MemorySize = MemorySize::mebibytes(128);
/// Managed memory per slot under which RocksDB's cache and write buffers thrash (each column family's write buffer
/// alone is 64 MiB by default, `state.backend.rocksdb.writebuffer.size`).
pub(crate) const MIN_ROCKSDB_MANAGED_PER_SLOT: MemorySize = MemorySize::mebibytes(64);
/// Compressed object pointers stop at 32 GiB; 31 GiB keeps a margin.
pub(crate) const HEAP_LIMIT: MemorySize = MemorySize::gibibytes(31);

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    let Some(memory) = &deployment.taskmanager else {
        return violations;
    };
    let slots = u64::from(deployment.slots.max(1));
    let heap_per_slot = MemorySize::from_bytes(memory.task_heap.bytes() / slots);
    if heap_per_slot < MIN_TASK_HEAP_PER_SLOT {
        violations.push(Violation::new(
            "FT-MEM-001",
            Level::Error,
            Some(tm::NUM_TASK_SLOTS.key),
            format!(
                "each of {slots} slots gets {} of task heap ({} in all), under the {} floor",
                show(heap_per_slot),
                show(memory.task_heap),
                show(MIN_TASK_HEAP_PER_SLOT)
            ),
            format!(
                "lower {} or {}, or raise {}",
                tm::NUM_TASK_SLOTS.key,
                tm::MANAGED_MEMORY_FRACTION.key,
                tm::TOTAL_PROCESS_MEMORY.key
            ),
        ));
    }
    if deployment.streaming && deployment.state_off_heap() {
        let managed_per_slot = MemorySize::from_bytes(memory.managed.bytes() / slots);
        if managed_per_slot < MIN_ROCKSDB_MANAGED_PER_SLOT {
            violations.push(Violation::new(
                "FT-MEM-002",
                if memory.managed.bytes() == 0 {
                    Level::Error
                } else {
                    Level::Warning
                },
                Some(tm::MANAGED_MEMORY_FRACTION.key),
                format!(
                    "{} keeps its cache and write buffers in managed memory, and each of {slots} slots gets {} (floor {})",
                    deployment.backend.flink_name(),
                    show(managed_per_slot),
                    show(MIN_ROCKSDB_MANAGED_PER_SLOT)
                ),
                format!(
                    "raise {} or lower {}, or use the heap backend for small state",
                    tm::MANAGED_MEMORY_FRACTION.key,
                    tm::NUM_TASK_SLOTS.key
                ),
            ));
        }
    }
    if memory.jvm_heap() > HEAP_LIMIT && !deployment.heap_pinned {
        violations.push(Violation::new(
            "FT-MEM-003",
            Level::Warning,
            Some(tm::TOTAL_PROCESS_MEMORY.key),
            format!(
                "a {} JVM heap is past the {} limit of compressed object pointers: it holds less than a smaller one",
                show(memory.jvm_heap()),
                show(HEAP_LIMIT)
            ),
            format!(
                "run more, smaller TaskManagers (lower {}), or give RocksDB more managed memory",
                tm::TOTAL_PROCESS_MEMORY.key
            ),
        ));
    }
    violations.extend(fits_host(deployment, memory.total_process));
    violations
}

/// FT-MEM-004: the TaskManagers one host runs (the job's TaskManagers spread over the hosts), plus a co-located
/// JobManager, within the host's usable memory.
fn fits_host(deployment: &Deployment, taskmanager_process: MemorySize) -> Option<Violation> {
    let host = deployment.host.as_ref()?;
    let hosts = host.hosts.max(1);
    let per_host = deployment.taskmanagers_used().div_ceil(hosts);
    let shares = super::deployment::jobmanager_shares_host(host, deployment.profile.as_ref());
    let jobmanager = match (&deployment.jobmanager, shares) {
        (Some(memory), true) => memory.total_process,
        _ => MemorySize::ZERO,
    };
    let needed = MemorySize::from_bytes(
        taskmanager_process
            .bytes()
            .saturating_mul(u64::from(per_host))
            .saturating_add(jobmanager.bytes()),
    );
    let usable = host.usable_memory().value;
    if needed <= usable {
        return None;
    }
    Some(Violation::new(
        "FT-MEM-004",
        Level::Error,
        Some(tm::TOTAL_PROCESS_MEMORY.key),
        format!(
            "{per_host} TaskManager{} of {}{} need {} on a host with {}",
            if per_host == 1 { "" } else { "s" },
            show(taskmanager_process),
            if jobmanager.bytes() > 0 {
                format!(" and a {} JobManager", show(jobmanager))
            } else {
                String::new()
            },
            show(needed),
            show(usable)
        ),
        format!(
            "lower {} or {}, or give the host more memory (--memory)",
            tm::TOTAL_PROCESS_MEMORY.key,
            jm::TOTAL_PROCESS_MEMORY.key
        ),
    ))
}
