//! flinktune's integration tests, one crate (as casey/just lays them out): the binary, the library and `support` are
//! compiled and linked once, and the dead-code lint sees every helper. A module per topic: the commands as users run
//! them (`*_cli`), recorded and fake REST answers (`rest_*`, `fixture_analysis`, `cluster_cli`), the check corpus,
//! properties of the memory model, and, `#[ignore]`d, the tests against real Flink (`flink_*`; run them with
//! `scripts/test.sh`, which passes `--include-ignored`). Snapshots are under `snapshots/`, named after the module.
// Tests state what they expect by unwrapping and panicking, and the real-Flink ones report progress on stdout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod support;

mod audit_cli;
mod bad_input;
mod base_cli;
mod check_corpus;
mod cluster_cli;
mod coherence;
mod conventions_cli;
mod fixture_analysis;
mod flink_base;
mod flink_cluster;
mod flink_config_oracle;
mod flink_differential;
mod flink_estimates;
mod flink_launch_lines;
mod flink_live;
mod flink_migrate;
mod flink_recommend;
mod flink_rocksdb_state;
mod flink_submit;
mod flink_tls;
mod json_formats;
mod memory_cli;
mod no_panic;
mod paths_cli;
mod pins_cli;
mod plan_cli;
mod properties;
mod recommend_cli;
mod release_detection;
mod rest_collect;
mod rest_fixtures;
mod shipped_java_options;
