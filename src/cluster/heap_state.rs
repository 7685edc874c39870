//! The state of a job that has taken no checkpoint yet, inferred from its TaskManagers' heap (issue 11: a trial run
//! under Flink's defaults takes no checkpoints, and a missing measurement once became a silent 10 GiB). With the heap
//! backend the state lives on the heap as objects, so the least heap the TaskManagers held over the samples, summed
//! over them, bounds the state from above: live state plus records in flight and garbage not yet collected. Over
//! [`HEAP_EXPANSION`] (objects against their serialized size) it is the state as a checkpoint would hold it. With
//! RocksDB or ForSt the state is off the heap: src/cluster/rocksdb_state.rs reads RocksDB's own size gauges instead.

use crate::advisor::state_backend::HEAP_EXPANSION;
use crate::cluster::ClusterSnapshot;
use crate::cluster::series::SeriesStats;
use crate::flink::MemorySize;
use crate::flink::job_options::{StateBackendKind, state};

/// The inferred state and how it was inferred, for the note `recommend --from-cluster` prints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeapState {
    /// At most this much state, as a checkpoint would hold it (rounded up to a mebibyte).
    pub state_size: MemorySize,
    /// The least heap in use over the samples, summed over the TaskManagers.
    pub heap_floor: MemorySize,
    pub samples: usize,
}

/// The heap bound of the job's state, if it runs the heap backend and its TaskManagers reported their heap.
pub(crate) fn infer(snapshot: &ClusterSnapshot) -> Option<HeapState> {
    if !runs_heap_backend(snapshot) {
        return None;
    }
    let taskmanagers = snapshot.taskmanagers.len().max(1) as f64;
    let totals = snapshot.samples.iter().map(|sample| {
        sample
            .taskmanagers
            .heap_used
            .avg
            .map(|avg| avg * taskmanagers)
    });
    let stats = SeriesStats::of(totals);
    let floor = stats.min.filter(|bytes| *bytes >= 0.0)?;
    let state = (floor / HEAP_EXPANSION as f64) as u64;
    Some(HeapState {
        state_size: MemorySize::from_bytes(state.max(1).next_multiple_of(1 << 20)),
        heap_floor: MemorySize::from_bytes(floor as u64),
        samples: stats.points,
    })
}

/// The job's backend as the JobManager reports its configuration: the heap backend unless a key names another
/// (Flink's default is hashmap in every release flinktune supports).
fn runs_heap_backend(snapshot: &ClusterSnapshot) -> bool {
    state::BACKEND
        .all_spellings()
        .filter_map(|key| snapshot.configuration.get(key))
        .all(|value| StateBackendKind::from_flink_name(value) == Some(StateBackendKind::HashMap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Aggregate;
    use crate::cluster::analysis::tests::saturated_job;

    fn with_heap(used: &[f64]) -> ClusterSnapshot {
        let mut snapshot = saturated_job(1);
        let template = snapshot.samples[0].clone();
        snapshot.samples = used
            .iter()
            .map(|bytes| {
                let mut sample = template.clone();
                sample.taskmanagers.heap_used = Aggregate {
                    avg: Some(*bytes),
                    ..Aggregate::default()
                };
                sample
            })
            .collect();
        snapshot
    }

    #[test]
    fn the_least_heap_in_use_bounds_the_state_over_the_object_overhead() {
        let mib = f64::from(1 << 20);
        let inferred = infer(&with_heap(&[900.0 * mib, 300.0 * mib, 600.0 * mib])).unwrap();
        assert_eq!(inferred.heap_floor, MemorySize::mebibytes(300));
        assert_eq!(inferred.state_size, MemorySize::mebibytes(100));
        assert_eq!(inferred.samples, 3);
        // Two TaskManagers: the average times two.
        let mut two = with_heap(&[300.0 * mib]);
        two.taskmanagers.push(two.taskmanagers[0].clone());
        assert_eq!(infer(&two).unwrap().heap_floor, MemorySize::mebibytes(600));
    }

    #[test]
    fn rocksdb_or_no_heap_readings_infer_nothing() {
        let mut rocksdb = with_heap(&[300.0 * f64::from(1 << 20)]);
        rocksdb
            .configuration
            .insert("state.backend.type".into(), "rocksdb".into());
        assert_eq!(infer(&rocksdb), None);
        let mut named_heap = with_heap(&[300.0 * f64::from(1 << 20)]);
        named_heap
            .configuration
            .insert("state.backend".into(), "HashMap".into());
        assert!(infer(&named_heap).is_some());
        assert_eq!(infer(&with_heap(&[])), None);
    }
}
