//! The flags that point `metrics` and `recommend` at a running cluster. Credentials never come from argv: a bearer
//! token from `--token-file` or `FLINKTUNE_REST_TOKEN`, basic auth from `FLINKTUNE_REST_USER`/`_PASSWORD`.

use std::path::PathBuf;

use std::time::Duration;

use super::values;
use crate::edges::cluster_source::ClusterRequest;

/// At least 10 s apart, 10,000 samples take more than a day: more is a typo, refused before anything is allocated.
const MAX_SAMPLES: u32 = 10_000;

/// Far above Flink's 4 REST threads; more only queues requests on the JobManager.
const MAX_CONCURRENCY: i64 = 64;

#[derive(Debug, clap::Args)]
pub(super) struct ClusterArgs {
    /// The JobManager's REST endpoint, e.g. http://localhost:8081.
    #[arg(long, value_name = "URL")]
    pub(super) from_cluster: Option<String>,

    /// The job to read [default: the only running job].
    #[arg(long, value_name = "ID", requires = "from_cluster")]
    job: Option<String>,

    /// How many metric samples to take (1 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SAMPLES)),
        requires = "from_cluster"
    )]
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
        value_parser = values::positive_duration,
        requires = "from_cluster"
    )]
    request_timeout: Duration,

    /// REST requests in flight at once, 1 to 64 (Flink's REST server has 4 threads).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        value_parser = clap::value_parser!(u16).range(1..=MAX_CONCURRENCY),
        requires = "from_cluster"
    )]
    concurrency: u16,

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
            samples: self.samples,
            interval: self.interval,
            request_timeout: self.request_timeout,
            concurrency: usize::from(self.concurrency),
            token_file: self.token_file,
            ca_cert: self.ca_cert,
            client_identity: self.client_cert,
        })
    }
}
