//! The HTTP client for Flink's REST API. Synchronous to its callers: it owns a current-thread tokio runtime and blocks
//! on it. Every GET is idempotent, so connect errors, timeouts and 5xx answers are retried with jittered exponential
//! backoff; batches run at most `concurrency` requests at a time (Flink's REST server has 4 threads by default,
//! `rest.server.numThreads`), and no body is read past `max_response_bytes`. Redirects are reported, not followed
//! (`failure.rs` says why).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::Url;
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::backoff::{self, Backoff};
use super::base_url::normalize_url;
use super::failure::{Failure, Limits, error_chain};
use super::tls_failure::TlsSetup;
use super::{Auth, RestError};
use crate::edges::input_limits::{InputKind, read_bytes};

/// Default connect timeout.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default timeout of one attempt, from sending the request to the last byte of the body.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Default attempts per GET (the first and two retries).
pub(crate) const ATTEMPTS: u32 = 3;
/// Default requests in flight: Flink's `rest.server.numThreads` defaults to 4.
pub(crate) const CONCURRENCY: usize = 4;
/// Default response size cap. A 1000-vertex job's details are well under 4 MiB.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;
/// Characters of an error response's body quoted in the error.
const BODY_EXCERPT_CHARS: usize = 200;
/// Bytes of an error response's body read at most.
const ERROR_BODY_BYTES: u64 = 4096;

/// How to reach the REST endpoint. Build with [`RestConfig::new`] and adjust the fields.
#[derive(Debug, Clone)]
pub struct RestConfig {
    /// `http://host:8081`, `https://host/prefix/`, or `host:8081` (http is assumed).
    pub url: String,
    pub auth: Auth,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// At least 1.
    pub attempts: u32,
    /// At least 1.
    pub concurrency: usize,
    pub max_response_bytes: u64,
    /// First backoff wait; doubles per retry (jittered), capped at `backoff::CAP`.
    pub backoff_base: Duration,
    /// PEM file with the CA certificate(s) that signed the REST endpoint's certificate (`security.ssl.rest.*`),
    /// trusted in addition to the system's roots.
    pub ca_cert: Option<PathBuf>,
    /// PEM file with the client certificate and its private key, for REST SSL with client authentication.
    pub client_identity: Option<PathBuf>,
}

impl RestConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            auth: Auth::None,
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            attempts: ATTEMPTS,
            concurrency: CONCURRENCY,
            max_response_bytes: MAX_RESPONSE_BYTES,
            backoff_base: backoff::BASE,
            ca_cert: None,
            client_identity: None,
        }
    }
}

pub struct RestClient {
    runtime: tokio::runtime::Runtime,
    shared: Arc<Shared>,
}

struct Shared {
    http: reqwest::Client,
    base: Url,
    auth: Auth,
    tls: TlsSetup,
    limits: Limits,
    attempts: u32,
    backoff_base: Duration,
    semaphore: Semaphore,
    requests_sent: AtomicU64,
}

impl fmt::Debug for RestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestClient")
            .field("base", &self.shared.base.as_str())
            .field("auth", &self.shared.auth)
            .finish_non_exhaustive()
    }
}

impl RestClient {
    pub fn new(config: RestConfig) -> Result<Self, RestError> {
        // Held before anything can fail, so that no message printed after this point can show them.
        match &config.auth {
            Auth::None => {}
            Auth::Bearer(token) => crate::edges::secrets::hold(token),
            Auth::Basic { user, password } => {
                crate::edges::secrets::hold(password);
                crate::edges::secrets::hold(&crate::text::redact::basic_encoding(user, password));
            }
        }
        let base = normalize_url(&config.url)?;
        // reqwest is built without a default crypto provider (see Cargo.toml); installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("flinktune/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_cert {
            let pem = read_file("CA certificate file", path)?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| tls_error("CA certificate file", path, &e))?;
            if certs.is_empty() {
                return Err(RestError::Tls {
                    what: "CA certificate file",
                    path: path.clone(),
                    reason: "no PEM certificate in it".to_string(),
                });
            }
            builder = builder.tls_certs_merge(certs);
        }
        if let Some(path) = &config.client_identity {
            let pem = read_file("client certificate file", path)?;
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                tls_error(
                    "client certificate file (PEM certificate and private key)",
                    path,
                    &e,
                )
            })?;
            builder = builder.identity(identity);
        }
        // rustls parses the certificates only here: a CA file with bad base64 fails now, and the message must name it.
        let http =
            builder
                .build()
                .map_err(|e| match (&config.ca_cert, &config.client_identity) {
                    (Some(path), _) => tls_error("CA certificate file", path, &e),
                    (None, Some(path)) => tls_error("client certificate file", path, &e),
                    (None, None) => RestError::Setup(error_chain(&e)),
                })?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| RestError::Setup(e.to_string()))?;
        Ok(Self {
            runtime,
            shared: Arc::new(Shared {
                http,
                base,
                auth: config.auth,
                tls: TlsSetup {
                    ca_cert: config.ca_cert,
                    client_identity: config.client_identity.is_some(),
                },
                limits: Limits {
                    request_timeout: config.request_timeout,
                    max_response_bytes: config.max_response_bytes,
                },
                attempts: config.attempts.max(1),
                backoff_base: config.backoff_base,
                semaphore: Semaphore::new(config.concurrency.max(1)),
                requests_sent: AtomicU64::new(0),
            }),
        })
    }

    /// The normalised base URL (always ends with `/`).
    pub fn base_url(&self) -> &str {
        self.shared.base.as_str()
    }

    /// HTTP requests sent so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.shared.requests_sent.load(Ordering::Relaxed)
    }

    /// GET one path (relative to the base URL, e.g. `/jobs/overview`), parsed as JSON.
    pub fn get(&self, path: &str) -> Result<Value, RestError> {
        let shared = Arc::clone(&self.shared);
        self.runtime.block_on(fetch(shared, path.to_string()))
    }

    /// GET several paths, at most `concurrency` at a time; the results in the order of `paths`.
    pub fn get_many(&self, paths: &[String]) -> Vec<Result<Value, RestError>> {
        self.runtime.block_on(async {
            let mut tasks = JoinSet::new();
            for (index, path) in paths.iter().enumerate() {
                let shared = Arc::clone(&self.shared);
                let path = path.clone();
                tasks.spawn(async move { (index, fetch(shared, path).await) });
            }
            let mut results: Vec<Option<Result<Value, RestError>>> =
                paths.iter().map(|_| None).collect();
            let mut task_failure = None;
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok((index, result)) => {
                        if let Some(slot) = results.get_mut(index) {
                            *slot = Some(result);
                        }
                    }
                    Err(e) => task_failure = Some(e.to_string()),
                }
            }
            results
                .into_iter()
                .zip(paths)
                .map(|(result, path)| {
                    result.unwrap_or_else(|| {
                        Err(RestError::Task {
                            path: path.clone(),
                            reason: task_failure.clone().unwrap_or_default(),
                        })
                    })
                })
                .collect()
        })
    }
}

async fn fetch(shared: Arc<Shared>, path: String) -> Result<Value, RestError> {
    let url = shared
        .base
        .join(path.trim_start_matches('/'))
        .map_err(|e| RestError::InvalidUrl {
            url: path.clone(),
            reason: e.to_string(),
        })?;
    let mut backoff = Backoff::from_clock(shared.backoff_base, backoff::CAP);
    let mut attempt = 1;
    loop {
        let outcome = {
            let _permit = shared
                .semaphore
                .acquire()
                .await
                .map_err(|e| RestError::Task {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
            shared.requests_sent.fetch_add(1, Ordering::Relaxed);
            match tokio::time::timeout(
                shared.limits.request_timeout,
                attempt_once(&shared, url.clone()),
            )
            .await
            {
                Ok(outcome) => outcome,
                Err(_elapsed) => Err(Failure::Timeout),
            }
        };
        match outcome {
            Ok(value) => return Ok(value),
            Err(failure) if failure.retryable() && attempt < shared.attempts => {
                tokio::time::sleep(backoff.delay(attempt)).await;
                attempt += 1;
            }
            Err(failure) => return Err(failure.into_error(shared.limits, path, attempt)),
        }
    }
}

async fn attempt_once(shared: &Shared, url: Url) -> Result<Value, Failure> {
    let request = shared
        .http
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json");
    let request = match &shared.auth {
        Auth::None => request,
        Auth::Basic { user, password } => request.basic_auth(user, Some(password)),
        Auth::Bearer(token) => request.bearer_auth(token),
    };
    let mut response = request
        .send()
        .await
        .map_err(|e| Failure::transport(e, &shared.tls))?;
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|value| value.to_str().ok());
        return Err(Failure::redirect(&url, status.as_u16(), location));
    }
    if !status.is_success() {
        let body = read_body(&mut response, ERROR_BODY_BYTES, true, &shared.tls).await?;
        let text = String::from_utf8_lossy(&body);
        return Err(Failure::Status {
            status: status.as_u16(),
            // A server's text inside our one-line message: no control character may reach the terminal.
            body: crate::text::escape::one_line(
                &text.chars().take(BODY_EXCERPT_CHARS).collect::<String>(),
            )
            .into_owned(),
        });
    }
    let body = read_body(
        &mut response,
        shared.limits.max_response_bytes,
        false,
        &shared.tls,
    )
    .await?;
    serde_json::from_slice(&body).map_err(|e| Failure::InvalidJson(e.to_string()))
}

/// Reads the body up to `limit` bytes: past it, `truncate` keeps the first `limit` bytes, otherwise it fails.
async fn read_body(
    response: &mut reqwest::Response,
    limit: u64,
    truncate: bool,
    tls: &TlsSetup,
) -> Result<Vec<u8>, Failure> {
    if !truncate
        && response
            .content_length()
            .is_some_and(|length| length > limit)
    {
        return Err(Failure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Failure::transport(e, tls))?
    {
        let room = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_sub(body.len());
        if chunk.len() > room {
            if truncate {
                body.extend_from_slice(chunk.get(..room).unwrap_or_default());
                break;
            }
            return Err(Failure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn read_file(what: &'static str, path: &Path) -> Result<Vec<u8>, RestError> {
    read_bytes(path, InputKind::Pem, false).map_err(|error| RestError::from_input(what, error))
}

fn tls_error(what: &'static str, path: &Path, error: &reqwest::Error) -> RestError {
    RestError::Tls {
        what,
        path: path.to_path_buf(),
        reason: error_chain(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tls_files_name_the_file() {
        let mut config = RestConfig::new("https://jm:8081");
        config.ca_cert = Some(PathBuf::from("/nonexistent/ca.pem"));
        let error = RestClient::new(config).unwrap_err().to_string();
        assert!(
            error.contains("CA certificate file /nonexistent/ca.pem"),
            "{error}"
        );
    }

    #[test]
    fn client_debug_hides_the_token() {
        let mut config = RestConfig::new("http://jm:8081");
        config.auth = Auth::Bearer("topsecret".into());
        let client = RestClient::new(config.clone()).unwrap();
        assert!(!format!("{client:?} {config:?}").contains("topsecret"));
    }
}
