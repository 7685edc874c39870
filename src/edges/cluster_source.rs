//! Reading a running cluster (an effect at the edge): the REST client configured from the command line and the
//! environment (credentials only from `FLINKTUNE_REST_*` or a file, never from argv), sampling with a progress bar on
//! stderr when it is a terminal, and the host a recommendation sizes when it comes from the cluster's TaskManagers.

use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cluster::ClusterSnapshot;
use crate::edges::host_probe::HostOverrides;
use crate::edges::rest::auth::Auth;
use crate::edges::rest::client::{RestClient, RestConfig};
use crate::edges::rest::collect::{METRIC_REFRESH, Progress, Sampling, collect};
use crate::error::Error;
use crate::flink::MemorySize;
use crate::host::{DiskKind, Fact, HostSpec, Source};

/// Where and how to read a cluster.
#[derive(Debug, Clone)]
pub(crate) struct ClusterRequest {
    pub url: String,
    pub job: Option<String>,
    pub samples: u32,
    pub interval: Duration,
    pub request_timeout: Duration,
    pub concurrency: usize,
    /// A file holding a bearer token (first line).
    pub token_file: Option<PathBuf>,
    pub ca_cert: Option<PathBuf>,
    pub client_identity: Option<PathBuf>,
}

impl ClusterRequest {
    /// Connects, samples and returns the snapshot.
    pub(crate) fn snapshot(&self) -> Result<ClusterSnapshot, Error> {
        if self.samples > 1 && self.interval < METRIC_REFRESH {
            return Err(Error::SampleInterval(METRIC_REFRESH.as_secs()));
        }
        let mut config = RestConfig::new(self.url.clone());
        config.auth = match &self.token_file {
            Some(file) => Auth::Bearer(Auth::read_secret_file(file)?),
            None => Auth::from_env(),
        };
        config.request_timeout = self.request_timeout;
        config.concurrency = self.concurrency.max(1);
        config.ca_cert = self.ca_cert.clone();
        config.client_identity = self.client_identity.clone();
        let client = RestClient::new(config)?;
        let samples = self.samples.max(1);
        let bar = sampling_bar(samples);
        let snapshot = collect(
            &client,
            self.job.as_deref(),
            Sampling::new(samples, self.interval),
            |progress| match progress {
                Progress::Sampled(taken) => {
                    bar.set_position(u64::from(taken));
                    bar.set_message("");
                }
                Progress::Waiting(left) => {
                    bar.set_message(format!("next in {} s", left.as_secs_f64().ceil()));
                }
                Progress::RatesFilling(left) => {
                    bar.set_message(format!(
                        "the job has run under a minute; Flink's rates cover one in {} s",
                        left.as_secs_f64().ceil()
                    ));
                }
            },
        );
        bar.finish_and_clear();
        Ok(snapshot?)
    }
}

/// A bar on stderr over the samples; drawn only when stderr is a terminal (indicatif hides it otherwise).
fn sampling_bar(samples: u32) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(u64::from(samples)), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("sampling [{bar:30}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    // Drawn at once: the first sample comes after the job's graph and a refresh of Flink's metric store.
    bar.tick();
    bar
}

/// The host the cluster's TaskManagers run on, for flags that do not say otherwise: each TaskManager's CPUs and
/// physical memory as the JVM reports them (`/taskmanagers` hardware), one host per TaskManager.
pub(crate) fn host_from_cluster(
    snapshot: &ClusterSnapshot,
    overrides: &HostOverrides,
) -> Option<HostSpec> {
    let widest = snapshot
        .taskmanagers
        .iter()
        .max_by(|a, b| a.cpu_cores.total_cmp(&b.cpu_cores))?;
    let source = || Source::Host("the cluster's /taskmanagers hardware".to_string());
    let cores = overrides.cores.unwrap_or(widest.cpu_cores).max(1.0);
    let memory = overrides
        .memory
        .unwrap_or_else(|| MemorySize::from_bytes(widest.physical_memory));
    let mut host = HostSpec::planned(cores, memory, overrides.disk.unwrap_or(DiskKind::Unknown));
    if overrides.cores.is_none() {
        host.logical_cores = Fact::new(cores.ceil() as u32, source());
        host.cpu_limit = None;
    }
    if overrides.memory.is_none() {
        host.total_memory = Fact::new(memory, source());
        host.memory_limit = None;
    }
    host.hosts = if overrides.hosts > 1 {
        overrides.hosts
    } else {
        u32::try_from(snapshot.taskmanagers.len())
            .unwrap_or(1)
            .max(1)
    };
    host.jobmanager_on_host = overrides.jobmanager_on_host;
    Some(host)
}
