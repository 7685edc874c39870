//! Per-vertex advice as data (issue 13): what `metrics --format json` and `recommend --from-cluster --format json`
//! print for each job vertex. It is a view of the analysis' [`VertexReport`], the same values the `metrics` table
//! shows and the `recommend` warnings name, so the two commands cannot disagree and a script reads `.vertices[]` alike
//! from either. Flink's milliseconds per second become shares of the second, and the rates are grouped. The fields
//! are documented in README.md ("`flinktune metrics` and `recommend --from-cluster`").

use serde::Serialize;

use super::analysis::{Analysis, VertexReport};

/// Flink reports busy and back-pressured time in milliseconds per second (docs/flink-rest-and-metrics.md,
/// "Metric names"): divided by this, the share of the time.
const MS_PER_SECOND: f64 = 1000.0;

/// One vertex's advice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct VertexAdvice<'a> {
    id: &'a str,
    /// As the server named it: escaped only by JSON, so a script compares it with what Flink's REST API says.
    name: &'a str,
    parallelism: u32,
    advised_parallelism: u32,
    /// Fed by a source back-pressured most of the time with no rate asked for: its demand is unknown, and a plan
    /// gives it every slot it has rather than `advised_parallelism` (src/cluster/analysis/parallelism.rs).
    unbounded_demand: bool,
    /// Busy share of the busiest subtask, 0 to 1 (`busyTimeMsPerSecond` / 1000, averaged over the samples).
    utilization: Option<f64>,
    /// Back-pressured share, 0 to 1, averaged over the subtasks.
    back_pressure: Option<f64>,
    rates: VertexRateFigures,
    /// The busiest subtask's input over the average (1.0 is even).
    skew: Option<f64>,
    bottleneck: bool,
    io_bound: bool,
    /// Busy time varied too much across the samples to trust the sizing.
    unstable: bool,
    reason: &'a str,
}

/// Records per second, summed over the subtasks.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct VertexRateFigures {
    /// Into the vertex; for a source, what it reads from outside the job.
    records_in_per_second: Option<f64>,
    records_out_per_second: Option<f64>,
    /// The input the vertex would take at 100% busy (docs/autoscaler-model.md).
    true_processing_rate: Option<f64>,
    /// The input it must keep up with once the sources run at the required rate.
    target_rate: Option<f64>,
}

impl<'a> From<&'a VertexReport> for VertexAdvice<'a> {
    fn from(vertex: &'a VertexReport) -> Self {
        VertexAdvice {
            id: &vertex.id,
            name: &vertex.name,
            parallelism: vertex.parallelism,
            advised_parallelism: vertex.recommended,
            unbounded_demand: vertex.unbounded_demand,
            utilization: vertex.busy_ms_per_second.map(|ms| ms / MS_PER_SECOND),
            back_pressure: vertex
                .back_pressured_ms_per_second
                .map(|ms| ms / MS_PER_SECOND),
            rates: VertexRateFigures {
                records_in_per_second: vertex.input_rate,
                records_out_per_second: vertex.output_rate,
                true_processing_rate: vertex.true_processing_rate,
                target_rate: vertex.target_rate,
            },
            skew: vertex.skew,
            bottleneck: vertex.bottleneck,
            io_bound: vertex.io_bound,
            unstable: vertex.unstable,
            reason: &vertex.why,
        }
    }
}

/// Every vertex's advice, in the analysis' (topological) order.
pub(crate) fn vertex_advice(analysis: &Analysis) -> Vec<VertexAdvice<'_>> {
    analysis.vertices.iter().map(VertexAdvice::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::analysis::{AnalysisOptions, analyse};

    #[test]
    fn each_vertex_carries_the_reports_values_with_times_as_shares() {
        let analysis = analyse(
            &crate::cluster::analysis::tests::saturated_job(1),
            AnalysisOptions {
                input_rate: Some(50_000.0),
                ..AnalysisOptions::default()
            },
        );
        let advice = vertex_advice(&analysis);
        assert_eq!(advice.len(), analysis.vertices.len());
        for (data, report) in advice.iter().zip(&analysis.vertices) {
            assert_eq!(data.advised_parallelism, report.recommended);
            assert_eq!(data.reason, report.why);
            assert_eq!(
                data.utilization,
                report.busy_ms_per_second.map(|ms| ms / 1000.0)
            );
            assert_eq!(data.rates.true_processing_rate, report.true_processing_rate);
        }
        let json = serde_json::to_value(&advice).unwrap();
        let aggregate = &json[1];
        assert_eq!(aggregate["id"], "agg");
        assert_eq!(aggregate["advised_parallelism"], 8);
        assert!(
            aggregate["utilization"]
                .as_f64()
                .is_some_and(|share| share > 0.0 && share <= 1.0),
            "{json:#}"
        );
    }
}
