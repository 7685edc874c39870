//! `flinktune metrics`'s arguments and their request.

use super::cluster_args::ClusterArgs;
use super::host_args::ReportFormatArg;
use crate::cluster::analysis::AnalysisOptions;
use crate::commands::metrics::MetricsRequest;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct MetricsArgs {
    #[command(flatten)]
    cluster: ClusterArgs,

    /// Records per second the sources must sustain [default: what they emit now].
    #[arg(long, value_name = "N")]
    input_rate: Option<f64>,

    /// Busy share each vertex should run at after the change.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.7)]
    target_utilization: f64,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

impl MetricsArgs {
    pub(super) fn into_request(self) -> Result<MetricsRequest, Error> {
        if !(self.target_utilization > 0.0 && self.target_utilization <= 1.0) {
            return Err(Error::Flag(
                "--target-utilization",
                "must be above 0 and at most 1".to_string(),
            ));
        }
        let cluster = self.cluster.into_request().ok_or(Error::Flag(
            "--from-cluster",
            "metrics needs the REST URL of a running cluster".to_string(),
        ))?;
        Ok(MetricsRequest {
            cluster,
            options: AnalysisOptions {
                target_utilization: self.target_utilization,
                input_rate: self.input_rate,
            },
            json: self.format == ReportFormatArg::Json,
        })
    }
}
