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

/// The repository root (where scripts/ and the tests' data folders live).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
