//! Recommended parallelism per vertex in one step, DS2-style (Kalavri et al., OSDI 2018) as the Flink autoscaler
//! implements it (docs/autoscaler-model.md): each vertex's target rate is what its inputs will send once the job
//! keeps up (the source's target is the rate the user needs, or what it emits now), and its parallelism is scaled so
//! that the target keeps it at the target utilization: `ceil(p * target / (utilization * true processing rate))`.
//!
//! One case the autoscaler leaves to its next step: a source back-pressured most of the time, with no rate asked for
//! and no backlog metric, emits only what the job takes, so what it emits now says nothing of the demand. Sized on it,
//! an IO-bound job measured under Flink's defaults got 4 of its 25 slots (4.1x the defaults, against 39.7x with the
//! true hints; slow-lookup in scripts/bench-outcome.sh). Its demand is taken as unbounded instead: every vertex it feeds gets all the
//! slots there are, and the reason says to pass `--input-rate` to size for a rate.

use std::collections::BTreeMap;

use crate::cluster::ClusterSnapshot;

use super::alignment::align;
use super::vertex_rates::VertexRates;

/// A single step may cut parallelism by at most 60% (the autoscaler's `scale-down.max-factor`), since a low load
/// sample can be a lull.
pub(crate) const MAX_SCALE_DOWN: f64 = 0.6;

/// Back-pressured ms per second from which a source counts as held back by the job: Flink's "high" backpressure level
/// (over 50% of the time, Flink docs "Monitoring Back Pressure", docs/flink-rest-and-metrics.md).
pub(crate) const SOURCE_HELD_BACK: f64 = 500.0;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParallelismAdvice {
    /// Records per second the vertex should keep up with; `None` when unknown or unbounded.
    pub target_rate: Option<f64>,
    pub recommended: u32,
    /// Fed by a source the job holds back: it takes all the slots a plan has, not `recommended`.
    pub unbounded: bool,
    pub why: String,
}

/// `target x ratio`, where an unbounded target stays unbounded unless none of its records come here.
fn share(target: f64, ratio: f64) -> f64 {
    if ratio > 0.0 { target * ratio } else { 0.0 }
}

/// The vertices, each after all of its inputs (Kahn's algorithm; Flink's plan lists nodes sink first). Vertices on
/// a cycle, which a job graph cannot have, come last in their listed order.
pub(crate) fn topological_order(job: &crate::cluster::JobGraph) -> Vec<&crate::cluster::Vertex> {
    let mut placed: Vec<&crate::cluster::Vertex> = Vec::with_capacity(job.vertices.len());
    let mut remaining: Vec<&crate::cluster::Vertex> = job.vertices.iter().collect();
    while !remaining.is_empty() {
        let ready = remaining.iter().position(|vertex| {
            job.edges
                .iter()
                .filter(|edge| edge.to == vertex.id)
                .all(|edge| placed.iter().any(|done| done.id == edge.from))
        });
        match ready {
            Some(index) => placed.push(remaining.remove(index)),
            None => {
                placed.append(&mut remaining);
            }
        }
    }
    placed
}

/// Advice for every vertex, in topological order. `input_rate` is the rate the sources must sustain, split over the
/// sources by their current share; `None` keeps what they emit now.
pub(crate) fn advise(
    snapshot: &ClusterSnapshot,
    rates: &BTreeMap<String, VertexRates>,
    target_utilization: f64,
    input_rate: Option<f64>,
) -> BTreeMap<String, ParallelismAdvice> {
    let job = &snapshot.job;
    let source_total: f64 = job
        .vertices
        .iter()
        .filter_map(|v| {
            rates
                .get(&v.id)
                .filter(|r| r.is_source)
                .and_then(|r| r.input_rate)
        })
        .sum();
    let mut targets: BTreeMap<&str, f64> = BTreeMap::new();
    let mut advice = BTreeMap::new();
    for vertex in topological_order(job) {
        let Some(rate) = rates.get(&vertex.id) else {
            continue;
        };
        let inputs: Vec<&str> = job
            .edges
            .iter()
            .filter(|edge| edge.to == vertex.id)
            .map(|edge| edge.from.as_str())
            .collect();
        let target = if rate.is_source {
            match (input_rate, rate.input_rate) {
                (Some(wanted), Some(now)) if source_total > 0.0 => {
                    Some(wanted * now / source_total)
                }
                (Some(wanted), _) => Some(wanted),
                (None, _)
                    if rate.pending_records.is_none()
                        && rate.back_pressure.is_some_and(|bp| bp >= SOURCE_HELD_BACK) =>
                {
                    Some(f64::INFINITY)
                }
                (None, now) => now,
            }
        } else {
            // Each input's target times the share of its records this vertex receives now.
            let mut sum = 0.0;
            let mut known = false;
            for input in &inputs {
                let (Some(input_target), Some(input_now)) = (
                    targets.get(input).copied(),
                    rates.get(*input).and_then(|r| r.input_rate),
                ) else {
                    continue;
                };
                let sole_consumer =
                    job.edges.iter().filter(|edge| edge.from == *input).count() == 1;
                let ratio = if sole_consumer {
                    // Everything the input emits comes here: its own output over input ratio, which buffers filling
                    // between the two (a job started under a minute ago) do not skew.
                    rates.get(*input).and_then(|r| r.output_rate).map(|out| {
                        if input_now > 0.0 {
                            out / input_now
                        } else {
                            0.0
                        }
                    })
                } else if inputs.len() == 1 {
                    rate.input_rate.map(|now| {
                        if input_now > 0.0 {
                            now / input_now
                        } else {
                            0.0
                        }
                    })
                } else {
                    rates.get(*input).and_then(|r| r.output_rate).map(|out| {
                        if input_now > 0.0 {
                            out / input_now
                        } else {
                            0.0
                        }
                    })
                };
                if let Some(ratio) = ratio {
                    sum += share(input_target, ratio);
                    known = true;
                }
            }
            known.then_some(sum)
        };
        if let Some(target) = target {
            targets.insert(&vertex.id, target);
        }
        let current = vertex.parallelism.max(1);
        let unbounded = target.is_some_and(f64::is_infinite);
        let (wanted, why) = match (target, rate.true_processing_rate) {
            (Some(target), _) if target.is_infinite() => {
                let slots = snapshot.slots_total.max(current);
                (
                    slots.min(vertex.max_parallelism.max(1)),
                    format!(
                        "fed by a source back-pressured over {:.0}% of the time and no --input-rate: the demand is more \
                         than the job takes, so it gets every slot ({slots} here); pass --input-rate to size it for a \
                         rate",
                        SOURCE_HELD_BACK / 10.0
                    ),
                )
            }
            (Some(target), Some(capacity)) if capacity > 0.0 => {
                let factor = (target / (target_utilization * capacity)).max(1.0 - MAX_SCALE_DOWN);
                let wanted = ((factor * f64::from(current)).ceil() as u32)
                    .clamp(1, vertex.max_parallelism.max(1));
                (
                    wanted,
                    format!(
                        "target {target:.0} rec/s over {:.0} rec/s per subtask at 100% busy: {wanted} subtasks keep it \
                         {:.0}% busy",
                        capacity / f64::from(current),
                        target_utilization * 100.0
                    ),
                )
            }
            (Some(target), None) if target <= 0.0 => {
                (current, "no input: left as it is".to_string())
            }
            _ => (
                current,
                "not enough metrics to size it: left as it is".to_string(),
            ),
        };
        // A source subtask without a partition idles: never more than the partitions.
        let (wanted, why) = match vertex.source_partitions.map(|partitions| partitions.max(1)) {
            Some(partitions) if wanted > partitions => (
                partitions,
                format!(
                    "{why}; at most its {partitions} source partitions (a subtask without one idles)"
                ),
            ),
            _ => (wanted, why),
        };
        let hashed = job
            .edges
            .iter()
            .any(|edge| edge.to == vertex.id && edge.ship_strategy.eq_ignore_ascii_case("HASH"));
        let units = vertex
            .source_partitions
            .or(hashed.then_some(vertex.max_parallelism));
        let (recommended, note) = align(current, wanted, units, vertex.max_parallelism);
        advice.insert(
            vertex.id.clone(),
            ParallelismAdvice {
                target_rate: target.filter(|t| t.is_finite()),
                recommended,
                unbounded,
                why: match note {
                    Some(note) => format!("{why}; {note}"),
                    None => why,
                },
            },
        );
    }
    advice
}
