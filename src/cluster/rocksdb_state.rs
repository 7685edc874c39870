//! The state of a RocksDB job that has taken no checkpoint yet, read from RocksDB's own size gauges (issue 11: with
//! RocksDB the state is off the heap, so src/cluster/heap_state.rs cannot tell it). The gauges are off by default;
//! a job that turns on `state.backend.rocksdb.metrics.estimate-live-data-size` (best: the live data, near what an
//! incremental checkpoint uploads) or `total-sst-files-size` (also data that compaction has yet to drop) reports
//! them per column family and subtask, and the collector sums them per vertex (src/edges/rest/parse.rs).

use crate::cluster::ClusterSnapshot;
use crate::flink::MemorySize;

/// The state RocksDB reported and over how many samples, for the note `recommend --from-cluster` prints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RocksDbState {
    /// The most the job's stateful vertices held together in one sample (rounded up to a mebibyte): state grows
    /// while a job fills its keys, so the largest reading is the nearest to what it holds now.
    pub state_size: MemorySize,
    pub samples: usize,
}

/// The state RocksDB's size gauges report, if any sample carried them.
pub(crate) fn infer(snapshot: &ClusterSnapshot) -> Option<RocksDbState> {
    let totals: Vec<f64> = snapshot
        .samples
        .iter()
        .filter_map(|sample| {
            sample
                .vertices
                .values()
                .filter_map(|vertex| vertex.rocksdb_state_bytes)
                .reduce(|a, b| a + b)
        })
        .collect();
    let most = totals.iter().copied().reduce(f64::max)?;
    Some(RocksDbState {
        state_size: MemorySize::from_bytes((most as u64).max(1).next_multiple_of(1 << 20)),
        samples: totals.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::analysis::tests::saturated_job;

    #[test]
    fn the_largest_sample_summed_over_the_stateful_vertices_is_the_state() {
        let mib = f64::from(1 << 20);
        let mut snapshot = saturated_job(1);
        let template = snapshot.samples[0].clone();
        let ids: Vec<String> = template.vertices.keys().cloned().collect();
        assert_eq!(
            ids.len(),
            2,
            "the saturated job has a source and an aggregation"
        );
        snapshot.samples = [[100.0, 20.0], [300.0, 40.5], [200.0, 10.0]]
            .iter()
            .map(|sizes| {
                let mut sample = template.clone();
                for (id, size) in ids.iter().zip(sizes) {
                    if let Some(vertex) = sample.vertices.get_mut(id) {
                        vertex.rocksdb_state_bytes = Some(size * mib);
                    }
                }
                sample
            })
            .collect();
        let inferred = infer(&snapshot).unwrap();
        // 340.5 MiB in the second sample, rounded up.
        assert_eq!(inferred.state_size, MemorySize::mebibytes(341));
        assert_eq!(inferred.samples, 3);
    }

    #[test]
    fn no_gauges_infer_nothing() {
        assert_eq!(infer(&saturated_job(1)), None);
    }
}
