//! The REST endpoint's base URL as users type it (`jobmanager:8081`, `http://host:8081/`, `https://gateway/flink`),
//! normalised so that request paths join under it, and refused with a clear message when it cannot work or when it
//! carries credentials (they belong in the environment, see [`super::auth`]).

use reqwest::Url;

use super::RestError;

/// `http://host:8081` with a trailing slash, so that relative paths join under any prefix. No credentials in it.
pub(crate) fn normalize_url(url: &str) -> Result<Url, RestError> {
    let invalid = |reason: &str| RestError::InvalidUrl {
        // A URL that failed to parse may still carry `user:password@`.
        url: crate::text::redact::redact(url, &[]),
        reason: reason.to_string(),
    };
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("http://{trimmed}")
    };
    let mut parsed = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        // Do not echo the URL: it holds a secret.
        return Err(RestError::InvalidUrl {
            url: "<redacted>".to_string(),
            reason: "credentials in the URL are not accepted; set FLINKTUNE_REST_USER and FLINKTUNE_REST_PASSWORD instead"
                .to_string(),
        });
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none() {
        return Err(invalid("it has no host"));
    }
    parsed.set_query(None);
    parsed.set_fragment(None);
    if !parsed.path().ends_with('/') {
        let path = format!("{}/", parsed.path());
        parsed.set_path(&path);
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalize_url("localhost:8081").unwrap().as_str(),
            "http://localhost:8081/"
        );
        assert_eq!(
            normalize_url(" http://jm:8081/ ").unwrap().as_str(),
            "http://jm:8081/"
        );
        assert_eq!(
            normalize_url("https://gw/flink").unwrap().as_str(),
            "https://gw/flink/"
        );
        let joined = normalize_url("https://gw/flink")
            .unwrap()
            .join("jobs/overview")
            .unwrap();
        assert_eq!(joined.as_str(), "https://gw/flink/jobs/overview");
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_secrets() {
        assert!(normalize_url("").is_err());
        assert!(normalize_url("ftp://jm:21").is_err());
        let error = normalize_url("http://alice:hunter2@jm:8081")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("hunter2"), "{error}");
        assert!(error.contains("FLINKTUNE_REST_USER"), "{error}");
    }
}
