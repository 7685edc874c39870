//! Free space for local state: what the filesystem holding the state directory (its nearest existing ancestor) has
//! available to unprivileged users, as sysinfo reads it (statvfs `f_bavail`), from the mount with the longest mount
//! point that contains the directory. RocksDB's working files and local recovery's copy land there
//! (src/advisor/estimate/local_disk.rs).

use std::path::Path;

use sysinfo::Disks;

use super::disk::resolve_existing;
use crate::flink::MemorySize;
use crate::host::{Fact, Source};

/// The free space under `state_dir`; `None` when no mount sysinfo lists contains it (overlay roots of some
/// containers, unsupported systems).
pub(crate) fn free_space(state_dir: &Path) -> Option<Fact<MemorySize>> {
    let path = resolve_existing(Path::new("/"), state_dir)?;
    let disks = Disks::new_with_refreshed_list();
    let mounts = disks
        .list()
        .iter()
        .map(|disk| (disk.mount_point(), disk.available_space()));
    let (mount, available) = innermost_mount(&path, mounts)?;
    Some(Fact::new(
        MemorySize::from_bytes(available),
        Source::Host(format!("sysinfo (free space on {})", mount.display())),
    ))
}

/// Of `(mount point, free bytes)`, the mount `path` is on: the longest mount point that contains it.
fn innermost_mount<'a>(
    path: &Path,
    mounts: impl Iterator<Item = (&'a Path, u64)>,
) -> Option<(&'a Path, u64)> {
    mounts
        .filter(|(mount, _)| path.starts_with(mount))
        .max_by_key(|(mount, _)| mount.as_os_str().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_mount_holding_the_directory_decides() {
        let mounts = [
            (Path::new("/"), 10),
            (Path::new("/data"), 500),
            (Path::new("/data/flink"), 80),
            (Path::new("/dat"), 7),
        ];
        let on = |path: &str| innermost_mount(Path::new(path), mounts.iter().copied());
        assert_eq!(
            on("/data/flink/state"),
            Some((Path::new("/data/flink"), 80))
        );
        assert_eq!(on("/data/other"), Some((Path::new("/data"), 500)));
        // "/dat" is not a parent of "/data2": components, not characters.
        assert_eq!(on("/data2"), Some((Path::new("/"), 10)));
        assert_eq!(innermost_mount(Path::new("/x"), std::iter::empty()), None);
    }
}
