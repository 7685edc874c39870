//! `flinktune metrics --from-cluster URL`: sample a running job and report what each vertex needs (src/cluster/).

use crate::cluster::analysis::{AnalysisOptions, analyse};
use crate::cluster::report;
use crate::commands::outcome::Outcome;
use crate::edges::cluster_source::ClusterRequest;
use crate::error::Error;
use crate::text::table::Layout;

#[derive(Debug, Clone)]
pub(crate) struct MetricsRequest {
    pub cluster: ClusterRequest,
    pub options: AnalysisOptions,
    pub json: bool,
}

pub(crate) fn run(request: &MetricsRequest, layout: Layout) -> Result<Outcome, Error> {
    text(request, layout).map(Outcome::clean)
}

fn text(request: &MetricsRequest, layout: Layout) -> Result<String, Error> {
    let snapshot = request.cluster.snapshot()?;
    let analysis = analyse(&snapshot, request.options);
    Ok(if request.json {
        report::json(&analysis)
    } else {
        report::table(&analysis, layout)
    })
}
