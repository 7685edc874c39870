//! What one parallel slice of the running job handles, for `flinktune plan --from-cluster`: the records per second
//! its sources could feed one subtask of every vertex at 100% busy. Each vertex's true processing rate per subtask
//! (its input rate over its busy share, docs/autoscaler-model.md) is counted back in source records by the share of
//! the sources' output it receives; the slowest vertex decides. Also the sources' current rate, the input rate a
//! plan starts from when the profile gives none.

use crate::cluster::ClusterSnapshot;

use super::vertex_rates::VertexRates;

/// The measurement: per-slice capacity and the current input, in source records per second.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SliceThroughput {
    /// Source records per second one subtask of the slowest vertex handles at 100% busy.
    pub per_slice: f64,
    /// The sources' summed output now.
    pub input_rate: f64,
    /// The name of the vertex that decides `per_slice`.
    pub limited_by: String,
}

pub(crate) fn measure<'a>(
    snapshot: &ClusterSnapshot,
    rates: impl Fn(&str) -> Option<&'a VertexRates>,
) -> Option<SliceThroughput> {
    let input_rate: f64 = snapshot
        .job
        .vertices
        .iter()
        .filter_map(|vertex| rates(&vertex.id))
        .filter(|rate| rate.is_source)
        .filter_map(|rate| rate.input_rate)
        .sum();
    if !(input_rate.is_finite() && input_rate > 0.0) {
        return None;
    }
    snapshot
        .job
        .vertices
        .iter()
        .filter_map(|vertex| {
            let rate = rates(&vertex.id)?;
            let capacity = rate.true_processing_rate?;
            let received = rate.input_rate.filter(|received| *received > 0.0)?;
            // A subtask's capacity, in the source records that produce its input.
            let per_subtask = capacity / f64::from(vertex.parallelism.max(1));
            Some((vertex.name.clone(), per_subtask * input_rate / received))
        })
        .filter(|(_, per_slice)| per_slice.is_finite() && *per_slice > 0.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(limited_by, per_slice)| SliceThroughput {
            per_slice,
            input_rate,
            limited_by,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::analysis::tests::saturated_job;

    /// Through the analysis' own entry point, as `recommend` and `plan` call it.
    fn measured(snapshot: &ClusterSnapshot) -> Option<SliceThroughput> {
        crate::cluster::analysis::slice_throughput(snapshot)
    }

    #[test]
    fn the_slowest_vertex_per_subtask_decides_in_source_records() {
        // The test job: the source emits 10,000 rec/s (back-pressured, 100 ms/s busy: 100,000 rec/s capacity), the
        // aggregation takes all 10,000 at 100% busy. At p = 2 each aggregation subtask handles 5,000.
        let one = measured(&saturated_job(1)).unwrap();
        assert_eq!(one.input_rate, 10_000.0);
        assert!((one.per_slice - 10_000.0).abs() < 1e-6, "{one:?}");
        assert!(
            one.limited_by.contains("Aggregate") || one.limited_by.contains("agg"),
            "{one:?}"
        );
        let two = measured(&saturated_job(2)).unwrap();
        assert!((two.per_slice - 5_000.0).abs() < 1e-6, "{two:?}");
    }

    #[test]
    fn no_input_measures_nothing() {
        let mut idle = saturated_job(1);
        for sample in &mut idle.samples {
            for metrics in sample.vertices.values_mut() {
                metrics.source_records_out_per_second = Some(0.0);
                metrics.records_out_per_second.sum = Some(0.0);
            }
        }
        assert_eq!(measured(&idle), None);
    }
}
