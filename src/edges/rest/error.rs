//! Why a REST call or a collection failed, in one line that names the request and what to do about it. Nothing here
//! ever holds a credential: requests are named by their path, never by a URL with user info or a header.

use std::path::PathBuf;
use std::time::Duration;

use super::tls_failure::TlsFailure;

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error(
        "invalid REST URL {url:?}: {reason}; pass the JobManager's REST address, e.g. http://jobmanager:8081"
    )]
    InvalidUrl { url: String, reason: String },

    #[error("cannot read {what} {}: {source}", path.display())]
    File {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file refused before reading: not a regular file, too large, or an empty secret (the text names the file).
    #[error("{what}: {message}")]
    Input { what: &'static str, message: String },

    #[error("{what} {} is not usable: {reason}", path.display())]
    Tls {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },

    #[error("cannot set up the REST client: {0}")]
    Setup(String),

    #[error(
        "GET {path} timed out after {attempts} attempt(s) of {}s each; check that the JobManager's REST endpoint is reachable, or raise the request timeout",
        timeout.as_secs_f64()
    )]
    Timeout {
        path: String,
        attempts: u32,
        timeout: Duration,
    },

    #[error(
        "GET {path} failed after {attempts} attempt(s): {reason}; check the REST URL and that the JobManager is up"
    )]
    Connect {
        path: String,
        attempts: u32,
        reason: String,
    },

    /// A failed TLS handshake: never retried, it fails the same way every time.
    #[error("GET {path}: {failure}")]
    Handshake { path: String, failure: TlsFailure },

    #[error(
        "GET {path} was redirected (HTTP {status}) to {location}, which flinktune does not follow{}",
        redirect_fix(*to_https)
    )]
    Redirect {
        path: String,
        status: u16,
        /// The target without user info, query or fragment.
        location: String,
        /// From http:// to https://: the endpoint has SSL on.
        to_https: bool,
    },

    #[error("GET {path} answered HTTP {status} after {attempts} attempt(s){}: {body}", status_hint(*status))]
    Status {
        path: String,
        status: u16,
        attempts: u32,
        /// The first 200 characters of the response body.
        body: String,
    },

    #[error(
        "GET {path} returned invalid JSON ({reason}); the response was cut short or did not come from Flink's REST API"
    )]
    InvalidJson { path: String, reason: String },

    #[error(
        "GET {path} returned more than {limit_bytes} bytes, far more than Flink's REST API answers for any job; stopped \
         reading (check that --from-cluster points at the JobManager's REST endpoint, not a proxy or another service)"
    )]
    TooLarge { path: String, limit_bytes: u64 },

    #[error("GET {path} answered in an unexpected shape: {reason}")]
    Shape { path: String, reason: String },

    #[error("job {id} is not on this cluster; jobs: {jobs}")]
    JobNotFound { id: String, jobs: String },

    #[error("job {id} is {state}, not RUNNING; flinktune reads metrics from a running job")]
    JobNotRunning { id: String, state: String },

    #[error("no running job on this cluster ({jobs}); start one, or pass --job ID")]
    NoRunningJob { jobs: String },

    #[error("several running jobs; pick one with --job ID: {jobs}")]
    SeveralRunningJobs { jobs: String },

    #[error("GET {path}: the request task stopped unexpectedly ({reason})")]
    Task { path: String, reason: String },
}

fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            " (set FLINKTUNE_REST_TOKEN, or FLINKTUNE_REST_USER and FLINKTUNE_REST_PASSWORD, to what the REST endpoint expects)"
        }
        404 => {
            " (not found: check the job id and that the URL points at the JobManager's REST endpoint)"
        }
        _ => "",
    }
}

fn redirect_fix(to_https: bool) -> &'static str {
    if to_https {
        ": the REST endpoint serves HTTPS (REST SSL is on); pass --from-cluster https://... (with --ca-cert FILE if a \
         private CA signed its certificate)"
    } else {
        "; pass --from-cluster with the REST endpoint's own address"
    }
}

impl RestError {
    /// A file refused or failed by the bounded reader, named as `what` (e.g. "CA certificate file").
    pub(crate) fn from_input(
        what: &'static str,
        error: crate::edges::input_limits::InputError,
    ) -> Self {
        match error {
            crate::edges::input_limits::InputError::Io { path, source } => {
                RestError::File { what, path, source }
            }
            other => RestError::Input {
                what,
                message: other.to_string(),
            },
        }
    }

    /// The path of the request that failed, where there was one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Timeout { path, .. }
            | Self::Connect { path, .. }
            | Self::Handshake { path, .. }
            | Self::Redirect { path, .. }
            | Self::Status { path, .. }
            | Self::InvalidJson { path, .. }
            | Self::TooLarge { path, .. }
            | Self::Shape { path, .. }
            | Self::Task { path, .. } => Some(path),
            _ => None,
        }
    }

    /// An HTTP status the server answered with, if that is why the request failed.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
