//! `taskmanager.memory.managed.fraction`: the share of Flink memory that is managed (off-heap, used by RocksDB's
//! block cache and write buffers, batch operators' sorts and hash tables, and Python UDFs). Flink's default is 0.4.
//! Flink's docs ("Memory tuning guide"): with the heap state backend or a stateless job, "set managed memory to
//! zero" so the heap gets it; with RocksDB, managed memory bounds its native memory, and more of it keeps more of a
//! large state's working set cached; batch jobs spill less with more.

use crate::flink::MemorySize;
use crate::flink::job_options::StateBackendKind;

/// RocksDB's range: Flink's default at the low end, up to 0.8 for state many times the memory. With RocksDB the
/// heap holds only records in flight and user objects; the state's working set lives in the block cache, and a
/// larger cache is what keeps reads off the disk (Flink docs, "Memory tuning guide: RocksDB"; operators run
/// state-heavy jobs at 0.7-0.8, issue 11 case 6). The per-slot task heap floor still applies (layout.rs).
pub(crate) const ROCKSDB_MIN_FRACTION: f64 = 0.4;
pub(crate) const ROCKSDB_MAX_FRACTION: f64 = 0.8;
/// State this many times the TaskManager's memory gets the top of the range.
pub(crate) const ROCKSDB_FULL_SCALE_RATIO: f64 = 10.0;
/// Batch jobs: sorts, hash joins and aggregations run in managed memory.
pub(crate) const BATCH_FRACTION: f64 = 0.7;

/// The fraction and why. `backend` is `None` for batch.
pub(crate) fn fraction(
    backend: Option<StateBackendKind>,
    state_per_taskmanager: MemorySize,
    taskmanager_process: MemorySize,
) -> (f64, String) {
    match backend {
        None => (
            BATCH_FRACTION,
            "batch operators sort, hash and spill in managed memory; 0.7 leaves the heap room for user code"
                .to_string(),
        ),
        Some(StateBackendKind::HashMap) => (
            0.0,
            "the heap state backend does not use managed memory; Flink's tuning guide says set it to zero so the \
             heap gets it"
                .to_string(),
        ),
        Some(StateBackendKind::RocksDb | StateBackendKind::ForSt) => {
            let ratio =
                state_per_taskmanager.bytes() as f64 / taskmanager_process.bytes().max(1) as f64;
            // Linear in the logarithm: state equal to memory gets 0.4, ten times memory or more 0.8.
            let scale = (ratio.log10() / ROCKSDB_FULL_SCALE_RATIO.log10()).clamp(0.0, 1.0);
            let raw = ROCKSDB_MIN_FRACTION + (ROCKSDB_MAX_FRACTION - ROCKSDB_MIN_FRACTION) * scale;
            let fraction = (raw * 20.0).round() / 20.0;
            (
                fraction,
                format!(
                    "{}'s cache and write buffers live in managed memory; state is {:.1}x the TaskManager's \
                     memory, so {fraction:?} (0.4 at 1x or less, 0.8 from 10x)",
                    if backend == Some(StateBackendKind::ForSt) {
                        "ForSt"
                    } else {
                        "RocksDB"
                    },
                    ratio
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rocksdb(state_gib: u64, process_gib: u64) -> f64 {
        fraction(
            Some(StateBackendKind::RocksDb),
            MemorySize::gibibytes(state_gib),
            MemorySize::gibibytes(process_gib),
        )
        .0
    }

    #[test]
    fn rocksdb_scales_from_point_four_to_point_eight() {
        assert_eq!(rocksdb(1, 8), 0.4);
        assert_eq!(rocksdb(8, 8), 0.4);
        assert_eq!(rocksdb(25, 8), 0.6);
        assert_eq!(rocksdb(80, 8), 0.8);
        assert_eq!(rocksdb(8000, 8), 0.8);
    }

    #[test]
    fn heap_backend_zero_and_batch_high() {
        assert_eq!(
            fraction(
                Some(StateBackendKind::HashMap),
                MemorySize::ZERO,
                MemorySize::gibibytes(4)
            )
            .0,
            0.0
        );
        assert_eq!(
            fraction(None, MemorySize::ZERO, MemorySize::gibibytes(4)).0,
            BATCH_FRACTION
        );
    }
}
