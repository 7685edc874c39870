//! Helpers shared by the integration tests: the built binary, real Flink distributions and clusters, the test job, a
//! fake Flink REST server, and Flink's own memory computation and config loader (the oracles) to compare against.

pub(crate) mod cluster;
pub(crate) mod config_gen;
mod dirs;
pub(crate) mod fake_flink;
pub(crate) mod flink;
pub(crate) mod flink_config;
pub(crate) mod flink_factories;
mod flinktune;
pub(crate) mod job;

pub(crate) use self::dirs::{fixed_length_dir, repo_root, temp_dir};
pub(crate) use self::flinktune::{Flinktune, Host, Run};
