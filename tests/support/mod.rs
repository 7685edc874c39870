//! Helpers shared by the integration tests: the built binary, real Flink distributions, and Flink's own memory
//! computation (the oracle) to compare against.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod cluster;
pub mod config_gen;
pub mod flink;
pub mod flink_config;
pub mod job;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `flinktune` binary cargo built for this test run, with a clean Flink environment.
pub fn flinktune() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flinktune"));
    for var in [
        "FLINK_CONF_DIR",
        "FLINK_HOME",
        "FLINK_TM_HEAP",
        "FLINK_JM_HEAP",
        "NO_COLOR",
    ] {
        command.env_remove(var);
    }
    command
}

pub fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("run flinktune");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// A fresh temporary directory under the target dir (kept for inspection after a failure).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The repository root (where scripts/ lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
