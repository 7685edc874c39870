//! Test support: a throwaway filesystem root in the temp directory, so the cgroup and disk readers run on trees
//! written by the test instead of the machine's own /proc and /sys.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh directory, removed when dropped.
pub(crate) struct FakeTree {
    pub root: PathBuf,
}

impl FakeTree {
    pub(super) fn new(name: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let root = std::env::temp_dir().join(format!(
            "flinktune-host-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        FakeTree { root }
    }

    /// Writes `contents` to `path` (absolute, as on the real system) under the fake root.
    pub(super) fn file(&self, path: &str, contents: &str) -> &Self {
        let full = self.path(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
        self
    }

    pub(super) fn dir(&self, path: &str) -> &Self {
        std::fs::create_dir_all(self.path(path)).unwrap();
        self
    }

    /// A symbolic link at `link` pointing to `target` (written as given, so relative targets stay relative).
    pub(super) fn symlink(&self, link: &str, target: &str) -> &Self {
        let full = self.path(link);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, full).unwrap();
        self
    }

    pub(super) fn path(&self, path: &str) -> PathBuf {
        self.root.join(Path::new(path.trim_start_matches('/')))
    }
}

impl Drop for FakeTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
