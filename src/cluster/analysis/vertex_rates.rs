//! Per-vertex rates over the samples, the way the Flink Kubernetes autoscaler reads them
//! (docs/autoscaler-model.md, "Evaluation over the window"): busy time from the busiest subtask (so skew makes the
//! estimate conservative), input rates summed over subtasks, and the true processing rate: the input rate the vertex
//! would handle if it were busy all the time.

use crate::cluster::series::SeriesStats;
use crate::cluster::{Aggregate, ClusterSnapshot, Vertex};

/// What the samples say about one vertex, averaged over the samples that reported it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VertexRates {
    /// Busy ms per second of the busiest subtask.
    pub busy_max: Option<f64>,
    /// Busy ms per second averaged over subtasks.
    pub busy_avg: Option<f64>,
    /// Back-pressured ms per second, average over subtasks.
    pub back_pressure: Option<f64>,
    /// Records per second into the vertex (for a source: what it emits).
    pub input_rate: Option<f64>,
    pub output_rate: Option<f64>,
    /// Largest per-subtask input over the average: 1.0 is perfectly even.
    pub input_skew: Option<f64>,
    /// Input rate at 100% busy: `input / (busy_max / 1000)`; `None` when the vertex is idle or unmeasured.
    pub true_processing_rate: Option<f64>,
    pub pending_records: Option<f64>,
    /// Whether the vertex has no inputs.
    pub is_source: bool,
    /// Busy values of the samples, for the spread.
    pub busy_series: Vec<f64>,
    /// How long the last checkpoint's barrier took to reach the slowest subtask, ms.
    pub barrier_delay_ms: Option<f64>,
    /// How long the slowest subtask's last barrier alignment took, ms.
    pub alignment_ms: Option<f64>,
}

/// The mean of the finite values (over the samples that reported them).
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    SeriesStats::of(values.map(Some)).mean
}

pub(crate) fn vertex_rates(snapshot: &ClusterSnapshot, vertex: &Vertex) -> VertexRates {
    let is_source = !snapshot.job.edges.iter().any(|edge| edge.to == vertex.id);
    let metrics: Vec<_> = snapshot
        .samples
        .iter()
        .filter_map(|sample| sample.vertices.get(&vertex.id))
        .collect();
    let of = |pick: fn(&crate::cluster::VertexMetrics) -> &Aggregate,
              field: fn(&Aggregate) -> Option<f64>| {
        mean(metrics.iter().filter_map(|m| field(pick(m))))
    };
    let busy_series: Vec<f64> = metrics
        .iter()
        .filter_map(|m| m.busy_time_ms_per_second.max)
        .filter(|v| v.is_finite())
        .collect();
    let mut busy_max = of(|m| &m.busy_time_ms_per_second, |a| a.max);
    let mut busy_avg = of(|m| &m.busy_time_ms_per_second, |a| a.avg);
    let back_pressure = of(|m| &m.back_pressured_time_ms_per_second, |a| a.avg);
    // A back-pressured source reports busy time as NaN (observed on 2.3.0, docs/flink-rest-and-metrics.md); what is
    // neither idle nor back-pressured is busy.
    if busy_max.is_none() {
        let idle = of(|m| &m.idle_time_ms_per_second, |a| a.avg);
        if let (Some(idle), Some(pressure)) = (idle, back_pressure) {
            let derived = (1000.0 - idle - pressure).clamp(0.0, 1000.0);
            busy_max = Some(derived);
            busy_avg = Some(derived);
        }
    }
    let input_rate = if is_source {
        mean(
            metrics
                .iter()
                .filter_map(|m| m.source_records_out_per_second),
        )
        .or_else(|| of(|m| &m.records_out_per_second, |a| a.sum))
    } else {
        of(|m| &m.records_in_per_second, |a| a.sum)
    };
    let output_rate = of(|m| &m.records_out_per_second, |a| a.sum);
    let input_skew = {
        let max = of(|m| &m.records_in_per_second, |a| a.max);
        let avg = of(|m| &m.records_in_per_second, |a| a.avg);
        match (max, avg) {
            (Some(max), Some(avg)) if avg > 0.0 => Some(max / avg),
            _ => None,
        }
    };
    let true_processing_rate = match (input_rate, busy_max) {
        (Some(rate), Some(busy)) if busy > 0.0 && rate > 0.0 => Some(rate / (busy / 1000.0)),
        _ => None,
    };
    VertexRates {
        busy_max,
        busy_avg,
        back_pressure,
        input_rate,
        output_rate,
        input_skew,
        true_processing_rate,
        pending_records: mean(metrics.iter().filter_map(|m| m.pending_records)),
        is_source,
        busy_series,
        barrier_delay_ms: of(|m| &m.checkpoint_start_delay_ns, |a| a.max).map(|ns| ns / 1e6),
        alignment_ms: of(|m| &m.checkpoint_alignment_ns, |a| a.max).map(|ns| ns / 1e6),
    }
}
