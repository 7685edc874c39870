//! The analysis of a live job: pure functions over a [`ClusterSnapshot`], so recorded snapshots test them. Per vertex:
//! rates, true processing rate, target rate and the recommended parallelism (in topological order, one step, DS2
//! style), aligned without reversing or cancelling a change; then the bottleneck, skew, IO-bound vertices, and
//! cluster findings (memory, checkpoints, network, capacity, chaining).

pub(crate) mod alignment;
pub(crate) mod cpu_use;
pub(crate) mod diagnosis;
pub(crate) mod findings;
pub(crate) mod parallelism;
pub(crate) mod slice_throughput;
pub(crate) mod vertex_rates;

use std::collections::BTreeMap;

use crate::cluster::ClusterSnapshot;
use crate::cluster::series::{SeriesStats, UNSTABLE_CV};

pub(crate) use cpu_use::CpuUse;
pub(crate) use findings::{Area, ClusterFinding};

/// What the analysis is asked to plan for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisOptions {
    /// Busy share each vertex should run at after the change (the autoscaler's default 0.7 leaves room to catch up).
    pub target_utilization: f64,
    /// Records per second the sources must sustain; `None`: what they emit now.
    pub input_rate: Option<f64>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            target_utilization: 0.7,
            input_rate: None,
        }
    }
}

/// One vertex's report line: the one source of the per-vertex advice that the table, the JSON
/// (src/cluster/vertex_advice.rs) and `recommend`'s settings and warnings (src/cluster/fold.rs) show.
#[derive(Debug, Clone, PartialEq)]
pub struct VertexReport {
    pub id: String,
    pub name: String,
    pub parallelism: u32,
    pub recommended: u32,
    /// Fed by a source the job holds back (back-pressured, no rate asked for): a plan gives it all its slots.
    pub unbounded_demand: bool,
    pub busy_ms_per_second: Option<f64>,
    pub back_pressured_ms_per_second: Option<f64>,
    pub input_rate: Option<f64>,
    pub output_rate: Option<f64>,
    pub true_processing_rate: Option<f64>,
    pub target_rate: Option<f64>,
    pub skew: Option<f64>,
    pub bottleneck: bool,
    pub io_bound: bool,
    /// Busy time varied too much across samples to trust the sizing.
    pub unstable: bool,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub flink_version: String,
    pub job_id: String,
    pub job_name: String,
    pub samples: usize,
    pub vertices: Vec<VertexReport>,
    pub bottleneck: Option<String>,
    pub findings: Vec<ClusterFinding>,
}

fn all_rates(snapshot: &ClusterSnapshot) -> BTreeMap<String, vertex_rates::VertexRates> {
    snapshot
        .job
        .vertices
        .iter()
        .map(|vertex| {
            (
                vertex.id.clone(),
                vertex_rates::vertex_rates(snapshot, vertex),
            )
        })
        .collect()
}

/// What one parallel slice of the job handles, where its metrics tell it ([`slice_throughput`]).
pub(crate) fn slice_throughput(
    snapshot: &ClusterSnapshot,
) -> Option<slice_throughput::SliceThroughput> {
    let rates = all_rates(snapshot);
    slice_throughput::measure(snapshot, |id| rates.get(id))
}

/// The CPU a parallel slice of the job uses, where its metrics tell it ([`cpu_use`]).
pub(crate) fn cpu_use(snapshot: &ClusterSnapshot) -> Option<CpuUse> {
    let rates = all_rates(snapshot);
    cpu_use::measure(snapshot, |id| rates.get(id))
}

pub fn analyse(snapshot: &ClusterSnapshot, options: AnalysisOptions) -> Analysis {
    let rates = all_rates(snapshot);
    let advice = parallelism::advise(
        snapshot,
        &rates,
        options.target_utilization,
        options.input_rate,
    );
    let bottleneck = diagnosis::bottleneck(snapshot, &rates);
    let vertices = parallelism::topological_order(&snapshot.job)
        .into_iter()
        .filter_map(|vertex| {
            let rate = rates.get(&vertex.id)?;
            let advised = advice.get(&vertex.id);
            let skew = diagnosis::skew(rate);
            let io_bound = diagnosis::io_bound(rate, snapshot);
            let is_bottleneck = bottleneck.as_deref() == Some(vertex.id.as_str());
            let mut why = advised.map_or_else(String::new, |a| a.why.clone());
            if is_bottleneck {
                why = format!("bottleneck: busy and not back-pressured while its inputs are; {why}");
            }
            if let Some(ratio) = skew {
                why.push_str(&format!(
                    "; skewed: the busiest subtask has {ratio:.1}x the average load (more parallelism helps less than a better key)"
                ));
            }
            if io_bound {
                why.push_str("; IO-bound: busy while the JVMs' CPU is mostly idle (more slots than cores, or async I/O)");
            }
            Some(VertexReport {
                id: vertex.id.clone(),
                name: vertex.name.clone(),
                parallelism: vertex.parallelism,
                recommended: advised.map_or(vertex.parallelism, |a| a.recommended),
                unbounded_demand: advised.is_some_and(|a| a.unbounded),
                busy_ms_per_second: rate.busy_max,
                back_pressured_ms_per_second: rate.back_pressure,
                input_rate: rate.input_rate,
                output_rate: rate.output_rate,
                true_processing_rate: rate.true_processing_rate,
                target_rate: advised.and_then(|a| a.target_rate),
                skew,
                bottleneck: is_bottleneck,
                io_bound,
                unstable: SeriesStats::of(rate.busy_series.iter().copied().map(Some))
                    .cv
                    .is_some_and(|cv| cv > UNSTABLE_CV),
                why,
            })
        })
        .collect();
    let mut cluster_findings = findings::memory(snapshot);
    cluster_findings.extend(findings::checkpoints(snapshot, &rates));
    cluster_findings.extend(findings::capacity(snapshot, &advice));
    cluster_findings.extend(findings::chaining(snapshot));
    Analysis {
        flink_version: snapshot.flink_version.clone(),
        job_id: snapshot.job.id.clone(),
        job_name: snapshot.job.name.clone(),
        samples: snapshot.samples.len(),
        vertices,
        bottleneck: bottleneck.and_then(|id| {
            snapshot
                .job
                .vertices
                .iter()
                .find(|v| v.id == id)
                .map(|v| v.name.clone())
        }),
        findings: cluster_findings,
    }
}

#[cfg(test)]
pub(crate) mod tests;
