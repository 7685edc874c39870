//! `flinktune metrics` output: a per-vertex table (parallelism now and advised, busy, backpressure, rates, skew, why)
//! and the cluster findings, or the same as JSON, each vertex as data (src/cluster/vertex_advice.rs).

use crate::text::escape::one_line;
use crate::text::table::{self, Layout};

use serde::Serialize;

use super::analysis::{Analysis, ClusterFinding};
use super::vertex_advice::{VertexAdvice, vertex_advice};

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.0}"))
}

pub(crate) fn table(analysis: &Analysis, layout: Layout) -> String {
    let mut out = format!(
        "Flink {}, job {} ({}), {} sample{}; bottleneck: {}\n\n",
        one_line(&analysis.flink_version),
        one_line(&analysis.job_name),
        one_line(&analysis.job_id),
        analysis.samples,
        if analysis.samples == 1 { "" } else { "s" },
        one_line(analysis.bottleneck.as_deref().unwrap_or("none"))
    );
    let mut table = table::table(
        layout,
        [
            "vertex",
            "parallelism",
            "busy ms/s",
            "backpressure ms/s",
            "in rec/s",
            "out rec/s",
            "skew",
            "why",
        ],
    );
    for vertex in &analysis.vertices {
        table.add_row([
            vertex.name.clone(),
            if vertex.recommended == vertex.parallelism {
                vertex.parallelism.to_string()
            } else {
                format!("{} -> {}", vertex.parallelism, vertex.recommended)
            },
            format!(
                "{}{}",
                number(vertex.busy_ms_per_second),
                if vertex.unstable { " (unstable)" } else { "" }
            ),
            number(vertex.back_pressured_ms_per_second),
            number(vertex.input_rate),
            number(vertex.output_rate),
            vertex.skew.map_or_else(String::new, |s| format!("{s:.1}x")),
            vertex.why.clone(),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    if !analysis.findings.is_empty() {
        let mut findings = table::table(layout, ["area", "finding", "fix"]);
        for finding in &analysis.findings {
            let fix = match &finding.setting {
                Some((key, value)) => format!(
                    "{} ({}: {value})",
                    finding.fix,
                    key.spelled_for(
                        analysis
                            .flink_version
                            .parse()
                            .unwrap_or(crate::flink::FlinkVersion::DEFAULT)
                    )
                ),
                None => finding.fix.clone(),
            };
            findings.add_row([
                format!("{:?}", finding.area).to_lowercase(),
                finding.message.clone(),
                fix,
            ]);
        }
        out.push('\n');
        out.push_str(&findings.to_string());
        out.push('\n');
    }
    out
}

/// The JSON document: the job, the per-vertex advice as data ([`vertex_advice`]) and the cluster findings.
#[derive(Serialize)]
struct JsonAnalysis<'a> {
    flink_version: &'a str,
    job_id: &'a str,
    job_name: &'a str,
    samples: usize,
    bottleneck: Option<&'a str>,
    vertices: Vec<VertexAdvice<'a>>,
    findings: &'a [ClusterFinding],
}

pub(crate) fn json(analysis: &Analysis) -> String {
    crate::text::json::pretty(&JsonAnalysis {
        flink_version: &analysis.flink_version,
        job_id: &analysis.job_id,
        job_name: &analysis.job_name,
        samples: analysis.samples,
        bottleneck: analysis.bottleneck.as_deref(),
        vertices: vertex_advice(analysis),
        findings: &analysis.findings,
    })
}
