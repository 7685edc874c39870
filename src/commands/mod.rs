//! One file per subcommand: each takes its validated request, calls the pure core and the edges it needs, and
//! returns a [`outcome::Outcome`] (stdout text, stderr lines, exit status), so that `lib.rs` only dispatches.

pub mod check;
pub mod explain;
pub mod memory;
pub mod metrics;
pub mod migrate;
pub mod profiles;
pub mod recommend;
pub mod submit;
