//! The kind of disk under the directory that will hold Flink's local state (RocksDB): an SSD and a spinning disk
//! want different RocksDB settings, so the advisor needs to know which one the state lands on.
//!
//! The route is the kernel's: the mount holding the directory (longest mount point in /proc/self/mountinfo, proc(5)),
//! its device number, `/sys/dev/block/MAJ:MIN` (Documentation/ABI/stable/sysfs-block: a link to the device's
//! directory) and the device's `queue/rotational` (Documentation/ABI/stable/sysfs-block, "queue/rotational":
//! 1 rotational, 0 not). A partition has no queue of its own; its parent disk's applies. Filesystems without a block
//! device (overlay, tmpfs, network filesystems) say nothing about the disk below, so they are unknown.
//!
//! Everything is read below a `root` directory so that tests run on fake trees.

use std::path::{Path, PathBuf};

use crate::edges::host_probe::cgroup::PROC_SELF_MOUNTINFO;
use crate::edges::host_probe::mountinfo::{Mount, mount_containing, parse_mountinfo};
use crate::host::{DiskKind, Fact, Source};

/// Where sysfs links each block device by its number (sysfs-block: "/sys/dev/block/MAJ:MIN").
const SYS_DEV_BLOCK: &str = "/sys/dev/block";
/// Where sysfs lists block devices and partitions by name, for filesystems that report no device number (btrfs).
const SYS_CLASS_BLOCK: &str = "/sys/class/block";
/// The major number of anonymous devices: the filesystem is not on a block device (Documentation/admin-guide/
/// devices.txt, "0 Unnamed devices").
const UNNAMED_DEVICE_MAJOR: u32 = 0;
/// How a mount source names a block device.
const DEV_PREFIX: &str = "/dev/";
/// `queue/rotational` of a solid-state device.
const NOT_ROTATIONAL: &str = "0";
/// `queue/rotational` of a spinning disk.
const ROTATIONAL: &str = "1";

/// The kind of disk that holds `state_dir` (which need not exist yet: its nearest existing ancestor decides),
/// reading mountinfo and sysfs below `root` (`/` on a real system). Never fails: what cannot be resolved is
/// [`DiskKind::Unknown`], with a source that says why when there is a reason to give.
pub(crate) fn detect_disk_kind(root: &Path, state_dir: &Path) -> Fact<DiskKind> {
    let unknown = Fact::new(DiskKind::Unknown, Source::Unknown);
    let Some(path) = resolve_existing(root, state_dir) else {
        return unknown;
    };
    let mounts = std::fs::read_to_string(under(root, Path::new(PROC_SELF_MOUNTINFO)))
        .map(|text| parse_mountinfo(&text))
        .unwrap_or_default();
    let Some(mount) = mount_containing(&mounts, &path) else {
        return unknown;
    };
    let Some(link) = device_link(mount) else {
        return Fact::new(
            DiskKind::Unknown,
            Source::Host(format!("{} filesystem", mount.fs_type)),
        );
    };
    let Ok(device) = under(root, &link).canonicalize() else {
        return Fact::new(
            DiskKind::Unknown,
            Source::Host(format!("{} not found", link.display())),
        );
    };
    rotational(&device).unwrap_or(unknown)
}

/// `path` below `root`, for a `path` as it is on the real system.
fn under(root: &Path, path: &Path) -> PathBuf {
    root.join(path.strip_prefix("/").unwrap_or(path))
}

/// The real-system path of `state_dir`'s nearest existing ancestor (itself if it exists), symlinks resolved.
pub(super) fn resolve_existing(root: &Path, state_dir: &Path) -> Option<PathBuf> {
    let absolute = if state_dir.is_absolute() {
        state_dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(state_dir)
    };
    let root = root.canonicalize().ok()?;
    let existing = absolute
        .ancestors()
        .find_map(|dir| under(&root, dir).canonicalize().ok())?;
    let inside = existing.strip_prefix(&root).ok()?;
    Some(Path::new("/").join(inside))
}

/// The sysfs link to the mount's block device; `None` when the filesystem is on none.
fn device_link(mount: &Mount) -> Option<PathBuf> {
    if mount.major == UNNAMED_DEVICE_MAJOR {
        // btrfs reports an anonymous device number but mounts a real device, named in the mount source.
        let name = mount.source.strip_prefix(DEV_PREFIX)?;
        Some(Path::new(SYS_CLASS_BLOCK).join(name))
    } else {
        Some(Path::new(SYS_DEV_BLOCK).join(format!("{}:{}", mount.major, mount.minor)))
    }
}

/// Device name prefixes of paravirtual block devices.
const VIRTUAL_DISK_PREFIXES: [&str; 2] = ["vd", "xvd"];

/// Reads `queue/rotational` of the device, or of its parent disk when the device is a partition.
fn rotational(device: &Path) -> Option<Fact<DiskKind>> {
    let disk = [Some(device), device.parent()]
        .into_iter()
        .flatten()
        .find(|dir| dir.join("queue").is_dir())?;
    let text = std::fs::read_to_string(disk.join("queue").join("rotational")).ok()?;
    let name = disk.file_name()?.to_string_lossy();
    // Paravirtual disks (virtio `vd*`, Xen `xvd*`) report 1 whatever backs them, which on cloud VMs is mostly SSD
    // (issue 11, case 11): their flag says nothing, so the kind is unknown and the source says why.
    let virtual_disk = VIRTUAL_DISK_PREFIXES
        .iter()
        .any(|prefix| name.starts_with(prefix));
    let kind = match text.trim() {
        NOT_ROTATIONAL => DiskKind::Ssd,
        ROTATIONAL if virtual_disk => DiskKind::Unknown,
        ROTATIONAL => DiskKind::Hdd,
        _ => DiskKind::Unknown,
    };
    let shown = if virtual_disk && kind == DiskKind::Unknown {
        format!(
            "/sys/block/{name}/queue/rotational (a virtual disk: its rotational flag is not the backing store's)"
        )
    } else {
        format!("/sys/block/{name}/queue/rotational")
    };
    Some(Fact::new(kind, Source::Host(shown)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::host_probe::fake_tree::FakeTree;

    const MOUNTINFO: &str = "\
27 1 259:0 / / rw,relatime - ext4 /dev/nvme0n1 rw
40 27 8:1 / /data rw,relatime - xfs /dev/sda1 rw
41 40 259:0 /fast /data/fast rw,relatime - ext4 /dev/nvme0n1 rw
42 27 0:50 / /overlay rw - overlay overlay rw,lowerdir=/a,upperdir=/b
43 27 0:51 / /tmp rw - tmpfs tmpfs rw
44 27 0:52 / /pool rw - btrfs /dev/sdb rw
45 27 0:53 / /nfs rw - nfs4 server:/export rw
";

    fn machine(name: &str) -> FakeTree {
        let tree = FakeTree::new(name);
        tree.file(PROC_SELF_MOUNTINFO, MOUNTINFO)
            .file("/sys/devices/pci0/nvme/nvme0n1/queue/rotational", "0\n")
            .symlink("/sys/dev/block/259:0", "../../devices/pci0/nvme/nvme0n1")
            .file("/sys/devices/pci0/ata1/sda/queue/rotational", "1\n")
            .file("/sys/devices/pci0/ata1/sda/sda1/partition", "1\n")
            .symlink("/sys/dev/block/8:1", "../../devices/pci0/ata1/sda/sda1")
            .file("/sys/devices/pci0/ata2/sdb/queue/rotational", "1\n")
            .symlink("/sys/class/block/sdb", "../../devices/pci0/ata2/sdb")
            .dir("/data/fast")
            .dir("/overlay/state")
            .dir("/tmp")
            .dir("/pool")
            .dir("/nfs")
            .symlink("/state-link", "data");
        tree
    }

    fn detect(tree: &FakeTree, dir: &str) -> Fact<DiskKind> {
        detect_disk_kind(&tree.root, Path::new(dir))
    }

    fn host(kind: DiskKind, source: &str) -> Fact<DiskKind> {
        Fact::new(kind, Source::Host(source.into()))
    }

    #[test]
    fn whole_disk_ssd() {
        let tree = machine("disk-ssd");
        assert_eq!(
            detect(&tree, "/var/lib/flink/rocksdb"),
            host(DiskKind::Ssd, "/sys/block/nvme0n1/queue/rotational"),
            "a directory that does not exist yet is judged by its nearest existing ancestor"
        );
    }

    #[test]
    fn partition_reads_its_parent_disk() {
        let tree = machine("disk-partition");
        assert_eq!(
            detect(&tree, "/data/flink"),
            host(DiskKind::Hdd, "/sys/block/sda/queue/rotational")
        );
    }

    #[test]
    fn the_longest_mount_point_wins_and_symlinks_are_followed() {
        let tree = machine("disk-nested");
        assert_eq!(detect(&tree, "/data/fast/rocksdb").value, DiskKind::Ssd);
        assert_eq!(detect(&tree, "/state-link/rocksdb").value, DiskKind::Hdd);
    }

    #[test]
    fn btrfs_is_found_by_its_device_name() {
        let tree = machine("disk-btrfs");
        assert_eq!(
            detect(&tree, "/pool"),
            host(DiskKind::Hdd, "/sys/block/sdb/queue/rotational")
        );
    }

    #[test]
    fn filesystems_without_a_block_device_are_unknown() {
        let tree = machine("disk-virtual");
        assert_eq!(
            detect(&tree, "/overlay/state"),
            host(DiskKind::Unknown, "overlay filesystem")
        );
        assert_eq!(
            detect(&tree, "/tmp/flink"),
            host(DiskKind::Unknown, "tmpfs filesystem")
        );
        assert_eq!(
            detect(&tree, "/nfs"),
            host(DiskKind::Unknown, "nfs4 filesystem")
        );
    }

    #[test]
    fn nothing_to_read_is_unknown() {
        let unknown = Fact::new(DiskKind::Unknown, Source::Unknown);
        let tree = FakeTree::new("disk-empty");
        assert_eq!(detect(&tree, "/data"), unknown);
        tree.file(PROC_SELF_MOUNTINFO, MOUNTINFO).dir("/data");
        assert_eq!(
            detect(&tree, "/data"),
            host(DiskKind::Unknown, "/sys/dev/block/8:1 not found"),
            "no sysfs entry for the device"
        );
        tree.file(PROC_SELF_MOUNTINFO, "nonsense\n");
        assert_eq!(detect(&tree, "/data"), unknown);
    }

    #[test]
    fn a_virtio_disk_reporting_rotational_is_unknown_with_the_reason() {
        let tree = FakeTree::new("virtio");
        tree.file(
            PROC_SELF_MOUNTINFO,
            "27 1 252:0 / / rw,relatime - ext4 /dev/vda1 rw\n",
        )
        .file("/sys/devices/virtio1/block/vda/queue/rotational", "1\n")
        .file("/sys/devices/virtio1/block/vda/vda1/partition", "1\n")
        .symlink(
            "/sys/dev/block/252:0",
            "../../devices/virtio1/block/vda/vda1",
        )
        .dir("/state");
        let fact = detect(&tree, "/state");
        assert_eq!(fact.value, DiskKind::Unknown);
        assert!(
            fact.source.to_string().contains("a virtual disk"),
            "{}",
            fact.source
        );
    }

    #[test]
    fn garbled_rotational_is_unknown_but_sourced() {
        let tree = machine("disk-garbled");
        tree.file("/sys/devices/pci0/nvme/nvme0n1/queue/rotational", "maybe\n");
        assert_eq!(
            detect(&tree, "/"),
            host(DiskKind::Unknown, "/sys/block/nvme0n1/queue/rotational")
        );
    }
}
