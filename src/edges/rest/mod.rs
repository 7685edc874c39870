//! Reading a running job from Flink's REST API: the only place flinktune talks HTTP. The client owns a
//! current-thread tokio runtime, so callers stay synchronous; what comes back is turned into the plain data of
//! [`crate::cluster`] by pure parsers, so the analysis never sees JSON or the network.

pub mod auth;
pub mod backoff;
pub mod base_url;
pub mod client;
pub mod collect;
pub mod error;
mod failure;
pub mod metric_names;
pub mod parse;
pub mod tls_failure;

pub use auth::Auth;
pub use client::{RestClient, RestConfig};
pub use collect::collect;
pub use error::RestError;
