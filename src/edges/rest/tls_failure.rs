//! Why a TLS connection to the REST endpoint failed, told as what to change. reqwest reports a failed handshake as
//! "client error (Connect)" with rustls's error somewhere down its source chain; found there, the failure is named
//! (an untrusted server certificate, a client certificate the endpoint demands or rejects, ...) with the flag that
//! fixes it, and is not retried: a handshake fails the same way every time.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;

use rustls::{AlertDescription, CertificateError};

/// What the client brought to the handshake, which decides the advice.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsSetup {
    /// `--ca-cert`, when given.
    pub ca_cert: Option<PathBuf>,
    /// Whether a client certificate (`--client-cert`) was presented.
    pub client_identity: bool,
}

/// A failed TLS handshake with the REST endpoint. `reason` is rustls's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsFailure {
    /// The endpoint's certificate chains to no trusted CA (or is otherwise invalid as a chain).
    UntrustedServer {
        reason: String,
        ca_cert: Option<PathBuf>,
    },
    /// The endpoint's certificate does not name the URL's host.
    WrongHost { reason: String },
    /// The endpoint's certificate is expired or not yet valid.
    OutsideValidity { reason: String },
    /// The endpoint ended the handshake with an alert about the client certificate, and none was presented.
    ClientCertificateRequired { reason: String },
    /// The endpoint ended the handshake with an alert about the client certificate that was presented.
    ClientCertificateRejected { reason: String },
    /// What came back was not TLS at all.
    NotTls { reason: String },
    /// The endpoint found no protocol version or cipher suite in common.
    Incompatible {
        reason: String,
        client_identity: bool,
    },
    /// Anything else rustls reports.
    Other { reason: String },
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UntrustedServer {
                reason,
                ca_cert: None,
            } => write!(
                f,
                "the REST endpoint's TLS certificate is not trusted ({reason}); pass --ca-cert FILE with the PEM \
                 certificate of the CA that signed it"
            ),
            Self::UntrustedServer {
                reason,
                ca_cert: Some(path),
            } => write!(
                f,
                "the REST endpoint's TLS certificate is not trusted ({reason}): neither the CA in --ca-cert {} nor \
                 the system's CAs signed it; pass --ca-cert with the CA that did",
                path.display()
            ),
            Self::WrongHost { reason } => write!(
                f,
                "the REST endpoint's TLS certificate is not valid for the URL's host ({reason}); pass --from-cluster \
                 with a host name the certificate lists"
            ),
            Self::OutsideValidity { reason } => write!(
                f,
                "the REST endpoint's TLS certificate is outside its validity period ({reason}); the endpoint needs a \
                 current certificate (or this machine's clock is wrong)"
            ),
            Self::ClientCertificateRequired { reason } => write!(
                f,
                "the REST endpoint ended the TLS handshake over the client certificate flinktune did not present \
                 ({reason}): it likely requires client authentication; pass --client-cert FILE with a PEM \
                 certificate signed by a CA the endpoint trusts and its private key"
            ),
            Self::ClientCertificateRejected { reason } => write!(
                f,
                "the REST endpoint rejected the client certificate of --client-cert ({reason}); pass one signed by a \
                 CA in the endpoint's truststore"
            ),
            Self::NotTls { reason } => write!(
                f,
                "the endpoint did not answer in TLS ({reason}); if it serves plain HTTP, pass an http:// URL"
            ),
            Self::Incompatible {
                reason,
                client_identity,
            } => {
                write!(
                    f,
                    "the REST endpoint ended the TLS handshake ({reason}): it may accept no protocol version or \
                     cipher suite flinktune speaks (TLS 1.3, or TLS 1.2 with ECDHE and AES-GCM or ChaCha20)"
                )?;
                if !client_identity {
                    f.write_str(
                        ", or it may require a client certificate (pass --client-cert FILE)",
                    )?;
                }
                Ok(())
            }
            Self::Other { reason } => write!(f, "TLS with the REST endpoint failed: {reason}"),
        }
    }
}

/// The TLS failure behind `error`, if rustls's error is anywhere in its source chain (directly, or inside I/O
/// errors, which is how tokio-rustls and hyper-rustls hand it on).
pub(crate) fn classify(error: &(dyn StdError + 'static), setup: &TlsSetup) -> Option<TlsFailure> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(tls) = as_rustls(current) {
            return Some(from_rustls(tls, setup));
        }
        cause = current.source();
    }
    None
}

/// rustls's error itself, or inside I/O errors (hyper-rustls wraps tokio-rustls's I/O error in another one; an I/O
/// error's `source` skips the error it wraps, so each is opened with `get_ref`).
fn as_rustls<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let inner = error.downcast_ref::<std::io::Error>()?.get_ref()?;
    as_rustls(inner)
}

fn from_rustls(error: &rustls::Error, setup: &TlsSetup) -> TlsFailure {
    let reason = error.to_string().replace(['\n', '\r'], " ");
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsFailure::WrongHost { reason }
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TlsFailure::OutsideValidity { reason },
            _ => TlsFailure::UntrustedServer {
                reason,
                ca_cert: setup.ca_cert.clone(),
            },
        },
        rustls::Error::AlertReceived(alert) if about_client_certificate(*alert) => {
            if setup.client_identity {
                TlsFailure::ClientCertificateRejected { reason }
            } else {
                TlsFailure::ClientCertificateRequired { reason }
            }
        }
        rustls::Error::AlertReceived(
            AlertDescription::HandshakeFailure
            | AlertDescription::ProtocolVersion
            | AlertDescription::InsufficientSecurity,
        )
        | rustls::Error::PeerIncompatible(_) => TlsFailure::Incompatible {
            reason,
            client_identity: setup.client_identity,
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            TlsFailure::NotTls { reason }
        }
        _ => TlsFailure::Other { reason },
    }
}

/// Alerts a server sends when the client's certificate is missing or not acceptable: JDK servers (Flink's REST
/// endpoint) send `bad_certificate` for a missing certificate over TLS 1.2 and `certificate_required` over TLS 1.3,
/// `certificate_unknown` for one they cannot verify.
fn about_client_certificate(alert: AlertDescription) -> bool {
    matches!(
        alert,
        AlertDescription::BadCertificate
            | AlertDescription::CertificateRequired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateRevoked
            | AlertDescription::UnknownCA
            | AlertDescription::AccessDenied
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rustls error as reqwest's chain carries it: inside tokio-rustls's I/O error inside hyper-rustls's, under
    /// hyper's connect error.
    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("client error (Connect)")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    fn classified(error: rustls::Error, setup: &TlsSetup) -> TlsFailure {
        let tokio_rustls = std::io::Error::new(std::io::ErrorKind::InvalidData, error);
        let wrapped = Outer(std::io::Error::other(tokio_rustls));
        classify(&wrapped, setup).unwrap()
    }

    #[test]
    fn unknown_issuer_names_ca_cert() {
        let failure = classified(
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            &TlsSetup::default(),
        );
        assert_eq!(
            failure.to_string(),
            "the REST endpoint's TLS certificate is not trusted (invalid peer certificate: UnknownIssuer); pass \
             --ca-cert FILE with the PEM certificate of the CA that signed it"
        );
        let setup = TlsSetup {
            ca_cert: Some(PathBuf::from("other-ca.pem")),
            client_identity: false,
        };
        let failure = classified(
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            &setup,
        );
        assert!(
            failure.to_string().contains("--ca-cert other-ca.pem"),
            "{failure}"
        );
    }

    #[test]
    fn certificate_alerts_name_client_cert() {
        for alert in [
            AlertDescription::BadCertificate,
            AlertDescription::CertificateRequired,
        ] {
            let failure = classified(rustls::Error::AlertReceived(alert), &TlsSetup::default());
            assert!(
                matches!(failure, TlsFailure::ClientCertificateRequired { .. }),
                "{failure:?}"
            );
            assert!(failure.to_string().contains("--client-cert FILE"));
        }
        let setup = TlsSetup {
            ca_cert: None,
            client_identity: true,
        };
        let failure = classified(
            rustls::Error::AlertReceived(AlertDescription::CertificateUnknown),
            &setup,
        );
        assert_eq!(
            failure.to_string(),
            "the REST endpoint rejected the client certificate of --client-cert (received fatal alert: \
             CertificateUnknown); pass one signed by a CA in the endpoint's truststore"
        );
    }

    #[test]
    fn other_failures() {
        let setup = TlsSetup::default();
        let host = classified(
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
            &setup,
        );
        assert!(matches!(host, TlsFailure::WrongHost { .. }), "{host:?}");
        let expired = classified(
            rustls::Error::InvalidCertificate(CertificateError::Expired),
            &setup,
        );
        assert!(
            matches!(expired, TlsFailure::OutsideValidity { .. }),
            "{expired:?}"
        );
        let plain = classified(
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            &setup,
        );
        assert!(plain.to_string().contains("http://"), "{plain}");
        let suites = classified(
            rustls::Error::AlertReceived(AlertDescription::HandshakeFailure),
            &setup,
        );
        assert!(suites.to_string().contains("cipher suite"), "{suites}");
        assert!(suites.to_string().contains("--client-cert"), "{suites}");
    }

    #[test]
    fn no_rustls_error_no_tls_failure() {
        let refused = Outer(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(classify(&refused, &TlsSetup::default()), None);
    }

    #[test]
    fn failures_are_one_line() {
        let failure = classified(
            rustls::Error::General("line one\nline two".into()),
            &TlsSetup::default(),
        );
        assert!(!failure.to_string().contains('\n'), "{failure}");
    }
}
