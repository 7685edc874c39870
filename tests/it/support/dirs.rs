//! Where the tests read and write: the repository (for the data folders under tests/) and fresh directories under
//! cargo's target tmp dir.

use std::path::PathBuf;

/// A fresh temporary directory under the target dir (kept for inspection after a failure).
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh directory whose path has the same length on every machine and checkout, for output that wraps text
/// holding the path it was written in (a file's comments name the directory `recommend` ran in). Under `/tmp`, not
/// `$TMPDIR`, whose length varies; the process id, zero-padded, keeps concurrent test runs apart.
pub(crate) fn fixed_length_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(format!("/tmp/flinktune-it-{:010}", std::process::id())).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The repository root (where scripts/ and the tests' data folders live).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
