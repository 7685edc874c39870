//! One file per subcommand: each takes its validated request, calls the pure core and the edges it needs, and
//! returns an [`outcome::Outcome`] (stdout text, stderr lines, exit status), so that `lib.rs` only dispatches.

pub(crate) mod check;
pub(crate) mod explain;
pub(crate) mod host;
pub(crate) mod memory;
pub(crate) mod metrics;
pub(crate) mod migrate;
pub(crate) mod outcome;
pub(crate) mod plan;
pub(crate) mod profiles;
pub(crate) mod recommend;
pub(crate) mod submit;
