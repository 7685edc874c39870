//! Where the job is stuck and why: the bottleneck is where backpressure starts (the first busy vertex whose inputs
//! are back-pressured while it is not: backpressure travels upstream, Flink docs "Monitoring Back Pressure"); skew
//! is the busiest subtask against the average; an IO-bound vertex is busy while the JVMs' CPU is mostly idle, so it
//! waits on external systems (more slots than cores, or async I/O, help more than parallelism alone).

use std::collections::BTreeMap;

use crate::cluster::ClusterSnapshot;
use crate::cluster::series::SeriesStats;

use super::vertex_rates::VertexRates;

/// Busy ms per second from which a vertex counts as saturated.
pub(crate) const BUSY: f64 = 800.0;
/// Back-pressured ms per second from which a vertex counts as held back.
pub(crate) const BACK_PRESSURED: f64 = 200.0;
/// Busiest over average subtask from which the load counts as skewed.
pub(crate) const SKEWED: f64 = 1.5;
/// JVM CPU load (0 to 1) below which busy time is mostly waiting.
pub(crate) const LOW_CPU: f64 = 0.5;

/// The bottleneck vertex id, if any.
pub(crate) fn bottleneck(
    snapshot: &ClusterSnapshot,
    rates: &BTreeMap<String, VertexRates>,
) -> Option<String> {
    let saturated = |id: &str| {
        rates.get(id).is_some_and(|r| {
            r.busy_max.is_some_and(|busy| busy >= BUSY)
                && r.back_pressure.is_none_or(|bp| bp < BACK_PRESSURED)
        })
    };
    let held_back = |id: &str| {
        rates
            .get(id)
            .is_some_and(|r| r.back_pressure.is_some_and(|bp| bp >= BACK_PRESSURED))
    };
    let job = &snapshot.job;
    let ordered = super::parallelism::topological_order(job);
    ordered
        .iter()
        .find(|vertex| {
            saturated(&vertex.id)
                && job
                    .edges
                    .iter()
                    .any(|edge| edge.to == vertex.id && held_back(&edge.from))
        })
        .or_else(|| ordered.iter().find(|vertex| saturated(&vertex.id)))
        .map(|vertex| vertex.id.clone())
}

/// How uneven a vertex's load is (busiest subtask over the average), when it is uneven enough to matter.
pub(crate) fn skew(rate: &VertexRates) -> Option<f64> {
    let by_busy = match (rate.busy_max, rate.busy_avg) {
        (Some(max), Some(avg)) if avg > 0.0 && max >= BUSY / 2.0 => Some(max / avg),
        _ => None,
    };
    [by_busy, rate.input_skew]
        .into_iter()
        .flatten()
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.max(v)))
        })
        .filter(|ratio| *ratio >= SKEWED)
}

/// Busy but the JVMs' CPU mostly idle: the vertex waits on I/O.
pub(crate) fn io_bound(rate: &VertexRates, snapshot: &ClusterSnapshot) -> bool {
    let cpu_avg = SeriesStats::of(
        snapshot
            .samples
            .iter()
            .map(|sample| sample.taskmanagers.cpu_load.avg),
    )
    .mean;
    rate.busy_avg.is_some_and(|busy| busy >= BUSY) && cpu_avg.is_some_and(|load| load < LOW_CPU)
}
