//! The flags that point `metrics` and `recommend` at a running cluster. Credentials never come from argv: a bearer
//! token from `--token-file` or `FLINKTUNE_REST_TOKEN`, basic auth from `FLINKTUNE_REST_USER`/`_PASSWORD`.

use std::path::PathBuf;

use std::time::Duration;

use super::values;
use crate::edges::cluster_source::ClusterRequest;

#[derive(Debug, clap::Args)]
pub(super) struct ClusterArgs {
    /// The JobManager's REST endpoint, e.g. http://localhost:8081.
    #[arg(long, value_name = "URL")]
    pub(super) from_cluster: Option<String>,

    /// The job to read [default: the only running job].
    #[arg(long, value_name = "ID", requires = "from_cluster")]
    job: Option<String>,

    /// How many metric samples to take.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "from_cluster")]
    samples: u32,

    /// Time between samples (Flink refreshes metrics every 10 s).
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10 s",
        value_parser = values::duration,
        requires = "from_cluster"
    )]
    interval: Duration,

    /// Timeout of one REST request.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10 s",
        value_parser = values::duration,
        requires = "from_cluster"
    )]
    request_timeout: Duration,

    /// REST requests in flight at once (Flink's REST server has 4 threads).
    #[arg(long, value_name = "N", default_value_t = 4, requires = "from_cluster")]
    concurrency: usize,

    /// A file whose first line is a bearer token for the REST endpoint.
    #[arg(long, value_name = "FILE", requires = "from_cluster")]
    token_file: Option<PathBuf>,

    /// PEM file of the CA that signed the REST endpoint's certificate.
    #[arg(long, value_name = "FILE", requires = "from_cluster")]
    ca_cert: Option<PathBuf>,

    /// PEM file with a client certificate and key, for REST SSL with client authentication.
    #[arg(long, value_name = "FILE", requires = "from_cluster")]
    client_cert: Option<PathBuf>,
}

impl ClusterArgs {
    pub(super) fn into_request(self) -> Option<ClusterRequest> {
        let url = self.from_cluster?;
        Some(ClusterRequest {
            url,
            job: self.job,
            samples: self.samples.max(1),
            interval: self.interval,
            request_timeout: self.request_timeout,
            concurrency: self.concurrency,
            token_file: self.token_file,
            ca_cert: self.ca_cert,
            client_identity: self.client_cert,
        })
    }
}
