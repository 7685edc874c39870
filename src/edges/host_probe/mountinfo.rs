//! `/proc/self/mountinfo`, which both the cgroup reader (where the cgroup hierarchies are mounted) and the disk
//! reader (which device holds a directory) need. The format is proc(5), "/proc/pid/mountinfo":
//! `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
//! — mount id, parent id, major:minor, root of the mount within its filesystem, mount point, mount options, zero or
//! more optional fields ended by `-`, filesystem type, mount source, super options. Paths escape space, tab, newline
//! and backslash as octal (`\040`).

use std::path::{Path, PathBuf};

/// One line of mountinfo, the fields flinktune uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    pub major: u32,
    pub minor: u32,
    /// The directory of the filesystem that is mounted (for cgroup mounts, the cgroup that is the mount's root).
    pub root: String,
    pub mount_point: PathBuf,
    pub fs_type: String,
    /// What was mounted, e.g. "/dev/sda1".
    pub source: String,
    /// Filesystem-specific options; for cgroup v1 these name the controllers ("rw,cpu,cpuacct").
    pub super_options: Vec<String>,
}

/// The mounts in `text`, in file order (a later mount on the same point hides an earlier one). Lines that do not
/// follow the format are skipped.
pub(crate) fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Mount> {
    let (before, after) = line.split_once(" - ")?;
    let mut fields = before.split(' ');
    let _mount_id = fields.next()?;
    let _parent_id = fields.next()?;
    let (major, minor) = fields.next()?.split_once(':')?;
    let root = unescape(fields.next()?);
    let mount_point = PathBuf::from(unescape(fields.next()?));
    let mut tail = after.split(' ');
    let fs_type = tail.next()?.to_string();
    let source = unescape(tail.next()?);
    let super_options = tail
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect();
    Some(Mount {
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
        root,
        mount_point,
        fs_type,
        source,
        super_options,
    })
}

/// Undoes the kernel's octal escapes (`\040` is a space); anything else is kept as written.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 4)
            .filter(|_| bytes[i] == b'\\')
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u8::from_str_radix(digits, 8).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mount that holds `path` (absolute, symlinks resolved): the longest mount point that is a prefix of it, the
/// last one listed when several mounts share that point.
pub(crate) fn mount_containing<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .filter(|mount| path.starts_with(&mount.mount_point))
        .fold(None, |best: Option<&Mount>, mount| match best {
            Some(best)
                if best.mount_point.components().count()
                    > mount.mount_point.components().count() =>
            {
                Some(best)
            }
            _ => Some(mount),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu,cpuacct
41 31 0:38 /docker/abc /sys/fs/cgroup/unified rw,relatime shared:9 master:2 - cgroup2 cgroup2 rw
50 27 8:17 / /mnt/my\\040disk rw - xfs /dev/sdb1 rw
garbage line
";

    #[test]
    fn parses_fields_optional_fields_and_escapes() {
        let mounts = parse_mountinfo(SAMPLE);
        assert_eq!(mounts.len(), 5);
        assert_eq!(
            mounts[2].super_options,
            vec!["rw".to_string(), "cpu".into(), "cpuacct".into()]
        );
        assert_eq!(mounts[3].root, "/docker/abc");
        assert_eq!(mounts[3].fs_type, "cgroup2");
        assert_eq!(mounts[4].mount_point, PathBuf::from("/mnt/my disk"));
        assert_eq!((mounts[4].major, mounts[4].minor), (8, 17));
        assert_eq!(mounts[4].source, "/dev/sdb1");
    }

    #[test]
    fn finds_the_longest_mount_point_prefix() {
        let mounts = parse_mountinfo(SAMPLE);
        let at = |p: &str| mount_containing(&mounts, Path::new(p)).map(|m| m.fs_type.as_str());
        assert_eq!(at("/var/lib/flink"), Some("ext4"));
        assert_eq!(at("/sys/fs/cgroup/cpu/docker"), Some("cgroup"));
        assert_eq!(at("/mnt/my disk/rocksdb"), Some("xfs"));
        assert_eq!(
            at("/mnt/my diskette"),
            Some("ext4"),
            "prefixes are whole components"
        );
        assert_eq!(mount_containing(&[], Path::new("/")), None);
    }
}
