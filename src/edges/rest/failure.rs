//! Why one attempt of a GET failed, and whether trying again can help: timeouts, refused connections and 5xx answers
//! can pass; a failed TLS handshake, a redirect, a 4xx answer or a bad body will not.

use std::time::Duration;

use reqwest::Url;

use super::RestError;
use super::tls_failure::{TlsFailure, TlsSetup, classify};

/// Why one attempt failed.
pub(super) enum Failure {
    Timeout,
    Connect(String),
    Tls(TlsFailure),
    Redirect {
        status: u16,
        location: String,
        to_https: bool,
    },
    Status {
        status: u16,
        body: String,
    },
    InvalidJson(String),
    TooLarge,
}

/// The client's limits, quoted by the errors that hit them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub request_timeout: Duration,
    pub max_response_bytes: u64,
}

impl Failure {
    pub(super) fn retryable(&self) -> bool {
        match self {
            Self::Timeout | Self::Connect(_) => true,
            Self::Status { status, .. } => *status >= 500,
            Self::Tls(_) | Self::Redirect { .. } | Self::InvalidJson(_) | Self::TooLarge => false,
        }
    }

    /// A transport error of reqwest: a timeout, a TLS failure found in its source chain, or a connection failure.
    pub(super) fn transport(error: reqwest::Error, tls: &TlsSetup) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if let Some(failure) = classify(&error, tls) {
            Self::Tls(failure)
        } else {
            Self::Connect(error_chain(&error.without_url()))
        }
    }

    /// A 3xx answer to `url`, which the client does not follow: Flink's REST endpoint with SSL on answers plain HTTP
    /// with a redirect to https://, and reqwest would drop the credentials on such a redirect anyway. The target is
    /// shown without user info, query or fragment.
    pub(super) fn redirect(url: &Url, status: u16, location: Option<&str>) -> Self {
        let target = location.and_then(|location| url.join(location).ok());
        let to_https =
            url.scheme() == "http" && target.as_ref().is_some_and(|t| t.scheme() == "https");
        let location = target.map_or_else(
            || "an address it did not give".to_string(),
            |mut target| {
                target.set_query(None);
                target.set_fragment(None);
                let _ = target.set_username("");
                let _ = target.set_password(None);
                target.to_string()
            },
        );
        Self::Redirect {
            status,
            location,
            to_https,
        }
    }

    pub(super) fn into_error(self, limits: Limits, path: String, attempts: u32) -> RestError {
        match self {
            Self::Timeout => RestError::Timeout {
                path,
                attempts,
                timeout: limits.request_timeout,
            },
            Self::Connect(reason) => RestError::Connect {
                path,
                attempts,
                reason,
            },
            Self::Tls(failure) => RestError::Handshake { path, failure },
            Self::Redirect {
                status,
                location,
                to_https,
            } => RestError::Redirect {
                path,
                status,
                location,
                to_https,
            },
            Self::Status { status, body } => RestError::Status {
                path,
                status,
                attempts,
                body,
            },
            Self::InvalidJson(reason) => RestError::InvalidJson { path, reason },
            Self::TooLarge => RestError::TooLarge {
                path,
                limit_bytes: limits.max_response_bytes,
            },
        }
    }
}

/// "outer: inner: root cause", without URLs.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect_error(from: &str, location: Option<&str>) -> String {
        let url = Url::parse(from).unwrap();
        let limits = Limits {
            request_timeout: Duration::from_secs(1),
            max_response_bytes: 1,
        };
        Failure::redirect(&url, 301, location)
            .into_error(limits, "/jobs/overview".into(), 1)
            .to_string()
    }

    #[test]
    fn http_to_https_redirect_names_the_https_url() {
        let error = redirect_error(
            "http://localhost:8081/jobs/overview",
            Some("https://127.0.0.1:8081/jobs/overview"),
        );
        assert_eq!(
            error,
            "GET /jobs/overview was redirected (HTTP 301) to https://127.0.0.1:8081/jobs/overview, which flinktune \
             does not follow: the REST endpoint serves HTTPS (REST SSL is on); pass --from-cluster https://... \
             (with --ca-cert FILE if a private CA signed its certificate)"
        );
    }

    #[test]
    fn redirect_target_without_secrets() {
        let error = redirect_error(
            "https://flink.example/jobs/overview",
            Some("/login?token=s3cret#x"),
        );
        assert!(
            error.contains("to https://flink.example/login, which"),
            "{error}"
        );
        assert!(!error.contains("s3cret"), "{error}");
        assert!(error.contains("pass --from-cluster with"), "{error}");
        let error = redirect_error("https://flink.example/jobs/overview", None);
        assert!(error.contains("an address it did not give"), "{error}");
    }

    #[test]
    fn tls_and_redirects_are_not_retried() {
        let tls = Failure::Tls(TlsFailure::Other { reason: "x".into() });
        assert!(!tls.retryable());
        assert!(!Failure::redirect(&Url::parse("http://a/").unwrap(), 302, None).retryable());
        assert!(Failure::Connect("refused".into()).retryable());
    }
}
