//! `flinktune submit`: how to launch the job in its deployment mode, as a POSIX shell command line (`flink run`,
//! `flink run-application` on 1.x, or the standalone application scripts) or a Flink Kubernetes Operator manifest.
//! Pure: the settings come from a recommendation or an emitted file, read at the edge (src/commands/submit.rs).
//!
//! Flink's docs ("Deployment", "Command-Line Interface"): a session cluster runs many jobs and reads only execution
//! settings from a submission, so its process settings stay in the cluster's own file; per-job mode (YARN only, gone
//! in 2.0) and application mode start a cluster for the job, so every setting travels as `-D`. Precedence: config
//! file < `-D` < `-p` < code < operator.

pub(crate) mod command_line;
pub(crate) mod manifest;

use crate::flink::FlinkVersion;
use crate::profile::{Deployment, Mode, Purpose};

/// What a launch needs besides the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JobSpec {
    pub jar: String,
    pub class: Option<String>,
    pub args: Vec<String>,
}

/// Where the job goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub deployment: Deployment,
    pub mode: Mode,
    /// REST endpoint of a standalone session cluster, `host:port`.
    pub jobmanager: String,
    /// YARN application id of a session, or the Kubernetes cluster id.
    pub cluster_id: Option<String>,
    /// Container image for Kubernetes.
    pub image: Option<String>,
    /// Name for the Kubernetes deployment.
    pub name: String,
}

/// Everything a launch is built from.
#[derive(Debug, Clone)]
pub(crate) struct Launch {
    pub version: FlinkVersion,
    pub target: Target,
    /// `(key, value)` in emission order.
    pub settings: Vec<(String, String)>,
    pub parallelism: Option<u32>,
    pub restore: bool,
    /// A streaming job (runs until cancelled) rather than a bounded one.
    pub streaming: bool,
    pub job: JobSpec,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    #[error(
        "per-job mode is gone in Flink {0}: use --mode application (a cluster per application) or --mode session"
    )]
    PerJobGone(String),
    #[error("per-job mode exists only on YARN; on {0} use --mode application or --mode session")]
    PerJobOnlyOnYarn(&'static str),
    #[error("{0} needs --cluster-id (the {1})")]
    NeedsClusterId(&'static str, String),
    #[error(
        "standalone application mode needs --class: standalone-job.sh starts the job by its main class"
    )]
    NeedsClass,
    #[error(
        "upgradeMode savepoint needs a savepoint directory: pass --savepoint-dir URI (the operator refuses the \
         deployment without one)"
    )]
    NeedsSavepointDir,
}

/// The mode a profile's purpose suggests, and why.
pub(crate) fn recommended_mode(purpose: Purpose) -> (Mode, &'static str) {
    match purpose {
        Purpose::Development => (
            Mode::Session,
            "development: a long-running session cluster takes job after job without starting a cluster each time",
        ),
        Purpose::Production => (
            Mode::Application,
            "production: an application cluster per job isolates its failures and resources, and runs main() on \
             the cluster (Flink docs: application mode is recommended for production)",
        ),
    }
}

/// Why the mode in use was chosen: the profile's own mode, against what its purpose suggests.
pub(crate) fn mode_reason(mode: Mode, purpose: Purpose) -> String {
    let (suggested, why) = recommended_mode(purpose);
    if suggested == mode {
        format!("{mode} mode: {why}")
    } else {
        format!(
            "{mode} mode, as the profile or --mode says (its purpose would suggest {suggested}: {why})"
        )
    }
}
