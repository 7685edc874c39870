//! Reading a running job from Flink's REST API: the only place flinktune talks HTTP. The client owns a
//! current-thread tokio runtime, so callers stay synchronous; what comes back is turned into the plain data of
//! [`crate::cluster`] by pure parsers, so the analysis never sees JSON or the network.

pub(crate) mod auth;
pub(crate) mod backoff;
pub(crate) mod base_url;
pub(crate) mod client;
pub(crate) mod collect;
pub(crate) mod error;
mod failure;
pub(crate) mod metric_names;
pub(crate) mod parse;
pub(crate) mod tls_failure;

pub use auth::Auth;
pub use client::{RestClient, RestConfig};
pub use error::RestError;
