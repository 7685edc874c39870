//! Container limits: the CPU and memory the process's cgroups allow, which inside Docker or Kubernetes are what
//! Flink really gets, whatever the host has. Both cgroup versions are read, including hybrid hosts that mount v1
//! controllers next to an empty v2 hierarchy, and the most restrictive value wins.
//!
//! Where the files are (Documentation/admin-guide/cgroup-v2.rst, "Processes"; cgroup-v1/cgroups.rst, section 3):
//! `/proc/self/cgroup` names the process's cgroup per hierarchy (`0::/path` for v2, `4:cpu,cpuacct:/path` for v1),
//! and `/proc/self/mountinfo` says where each hierarchy is mounted and which cgroup is the mount's root. Limits nest:
//! a parent's limit applies to its children, so every level from the process's cgroup up to the mount is read.
//!
//! Everything is read below a `root` directory so that tests run on fake trees; sources name the files as they are
//! on the real system. A file that is missing, unreadable or garbled is no limit, never an error.

use std::path::{Component, Path, PathBuf};

use crate::edges::host_probe::cgroup_files::{
    count_cpu_list, parse_cfs_quota, parse_cpu_max, parse_memory_limit_in_bytes, parse_memory_max,
};
use crate::edges::host_probe::mountinfo::{Mount, parse_mountinfo};
use crate::flink::MemorySize;
use crate::host::{Fact, Source};

/// The process's own cgroup memberships (proc(7), "/proc/pid/cgroup").
const PROC_SELF_CGROUP: &str = "/proc/self/cgroup";
/// The process's view of the mounts (proc(5), "/proc/pid/mountinfo").
pub(crate) const PROC_SELF_MOUNTINFO: &str = "/proc/self/mountinfo";
/// The CPUs the kernel has online (Documentation/ABI/testing/sysfs-devices-system-cpu), in cpuset list format.
const ONLINE_CPUS: &str = "/sys/devices/system/cpu/online";

const V2_FS_TYPE: &str = "cgroup2";
const V1_FS_TYPE: &str = "cgroup";
/// The hierarchy id of the v2 line in /proc/self/cgroup (cgroup-v2.rst: "0::$PATH").
const V2_HIERARCHY_ID: &str = "0";

/// The limits found; `None` is no limit.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct CgroupLimits {
    /// CPUs: quota / period (fractions kept) or the number of CPUs in the cpuset, the smallest over all levels.
    pub cpu: Option<Fact<f64>>,
    pub memory: Option<Fact<MemorySize>>,
}

/// Reads the container limits of the current process from the cgroup files below `root` (`/` on a real system).
pub(crate) fn read_cgroup_limits(root: &Path) -> CgroupLimits {
    let tree = Tree { root };
    let mounts = tree
        .read(Path::new(PROC_SELF_MOUNTINFO))
        .map(|text| parse_mountinfo(&text))
        .unwrap_or_default();
    let memberships = tree
        .read(Path::new(PROC_SELF_CGROUP))
        .map(|text| parse_proc_cgroup(&text))
        .unwrap_or_default();
    let online_cpus = tree
        .read(Path::new(ONLINE_CPUS))
        .and_then(|text| count_cpu_list(&text));

    let mut cpu: Vec<Fact<f64>> = Vec::new();
    let mut cpusets: Vec<Fact<u32>> = Vec::new();
    let mut memory: Vec<Fact<MemorySize>> = Vec::new();

    if let Some(cgroup) = memberships
        .iter()
        .find(|m| m.hierarchy_id == V2_HIERARCHY_ID && m.controllers.is_empty())
        && let Some(mount) = mounts.iter().rev().find(|m| m.fs_type == V2_FS_TYPE)
    {
        for dir in tree.levels(mount, &cgroup.path) {
            cpu.extend(tree.fact(&dir.join("cpu.max"), parse_cpu_max));
            cpusets.extend(tree.fact(&dir.join("cpuset.cpus.effective"), count_cpu_list));
            memory.extend(tree.fact(&dir.join("memory.max"), parse_memory_max));
        }
    }

    for (controller, cgroup, mount) in v1_hierarchies(&memberships, &mounts) {
        for dir in tree.levels(mount, &cgroup.path) {
            match controller {
                V1Controller::Cpu => {
                    let quota = dir.join("cpu.cfs_quota_us");
                    let limit = tree
                        .read(&quota)
                        .zip(tree.read(&dir.join("cpu.cfs_period_us")));
                    if let Some(cpus) = limit.and_then(|(q, p)| parse_cfs_quota(&q, &p)) {
                        cpu.push(Fact::new(cpus, cgroup_source(&quota)));
                    }
                }
                V1Controller::Cpuset => {
                    cpusets.extend(tree.fact(&dir.join("cpuset.cpus"), count_cpu_list));
                }
                V1Controller::Memory => memory.extend(tree.fact(
                    &dir.join("memory.limit_in_bytes"),
                    parse_memory_limit_in_bytes,
                )),
            }
        }
    }

    // A cpuset holding every online CPU restricts nothing (the root cgroup's always does).
    cpu.extend(
        cpusets
            .into_iter()
            .filter(|fact| online_cpus.is_none_or(|online| fact.value < online))
            .map(|fact| Fact::new(f64::from(fact.value), fact.source)),
    );
    CgroupLimits {
        cpu: smallest(cpu, |a, b| a < b),
        memory: smallest(memory, |a, b| a < b),
    }
}

/// One line of /proc/self/cgroup: `hierarchy-ID:controller-list:cgroup-path`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Membership {
    hierarchy_id: String,
    controllers: Vec<String>,
    path: String,
}

fn parse_proc_cgroup(text: &str) -> Vec<Membership> {
    text.lines()
        .filter_map(|line| {
            let (hierarchy_id, rest) = line.split_once(':')?;
            let (controllers, path) = rest.split_once(':')?;
            Some(Membership {
                hierarchy_id: hierarchy_id.to_string(),
                controllers: controllers
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                path: path.to_string(),
            })
        })
        .collect()
}

/// The v1 controllers that limit CPU or memory, with their names in /proc/self/cgroup and in mount options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum V1Controller {
    Cpu,
    Cpuset,
    Memory,
}

impl V1Controller {
    const ALL: [V1Controller; 3] = [
        V1Controller::Cpu,
        V1Controller::Cpuset,
        V1Controller::Memory,
    ];

    fn name(self) -> &'static str {
        match self {
            V1Controller::Cpu => "cpu",
            V1Controller::Cpuset => "cpuset",
            V1Controller::Memory => "memory",
        }
    }
}

/// For each v1 controller the process belongs to, its membership and the mount of its hierarchy.
fn v1_hierarchies<'a>(
    memberships: &'a [Membership],
    mounts: &'a [Mount],
) -> Vec<(V1Controller, &'a Membership, &'a Mount)> {
    V1Controller::ALL
        .into_iter()
        .filter_map(|controller| {
            let name = controller.name();
            let cgroup = memberships
                .iter()
                .find(|m| m.controllers.iter().any(|c| c == name))?;
            let mount = mounts
                .iter()
                .rev()
                .find(|m| m.fs_type == V1_FS_TYPE && m.super_options.iter().any(|o| o == name))?;
            Some((controller, cgroup, mount))
        })
        .collect()
}

/// The first of the smallest values, by `less`.
fn smallest<T>(facts: Vec<Fact<T>>, less: impl Fn(&T, &T) -> bool) -> Option<Fact<T>> {
    facts.into_iter().fold(None, |best, fact| match best {
        Some(best) if !less(&fact.value, &best.value) => Some(best),
        _ => Some(fact),
    })
}

fn cgroup_source(path: &Path) -> Source {
    Source::Cgroup(path.display().to_string())
}

/// The filesystem below `root`, addressed with the paths of the real system.
struct Tree<'a> {
    root: &'a Path,
}

impl Tree<'_> {
    fn real(&self, path: &Path) -> PathBuf {
        self.root.join(path.strip_prefix("/").unwrap_or(path))
    }

    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(self.real(path)).ok()
    }

    /// The value parsed from `path`, sourced to that file.
    fn fact<T>(&self, path: &Path, parse: impl Fn(&str) -> Option<T>) -> Option<Fact<T>> {
        let value = parse(&self.read(path)?)?;
        Some(Fact::new(value, cgroup_source(path)))
    }

    /// The cgroup directories whose limits apply to a process in `cgroup_path` of the hierarchy mounted at `mount`,
    /// deepest first, ending with the mount point. The mount's root is the cgroup it shows (in a container with a
    /// cgroup namespace, or one whose cgroup is bind-mounted, the container's own cgroup); when the process's path
    /// is not below it or does not exist under the mount, the mount point itself is the process's cgroup.
    fn levels(&self, mount: &Mount, cgroup_path: &str) -> Vec<PathBuf> {
        let below_root = Path::new(cgroup_path)
            .strip_prefix(&mount.root)
            .ok()
            .filter(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))));
        let start = below_root
            .map(|rest| mount.mount_point.join(rest))
            .filter(|dir| self.real(dir).is_dir())
            .unwrap_or_else(|| mount.mount_point.clone());
        start
            .ancestors()
            .take_while(|dir| dir.starts_with(&mount.mount_point))
            .map(Path::to_path_buf)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::host_probe::fake_tree::FakeTree;

    const V2_MOUNTINFO: &str = "\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate
";

    fn v2(name: &str, cgroup: &str) -> FakeTree {
        let tree = FakeTree::new(name);
        tree.file(PROC_SELF_MOUNTINFO, V2_MOUNTINFO)
            .file(PROC_SELF_CGROUP, &format!("0::{cgroup}\n"))
            .file(ONLINE_CPUS, "0-7\n")
            .file("/sys/fs/cgroup/cpuset.cpus.effective", "0-7\n");
        tree
    }

    fn cgroup(path: &str) -> Source {
        Source::Cgroup(path.into())
    }

    #[test]
    fn v2_unlimited() {
        let tree = v2("v2-unlimited", "/");
        tree.file("/sys/fs/cgroup/cpu.max", "max 100000\n")
            .file("/sys/fs/cgroup/memory.max", "max\n");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());
    }

    #[test]
    fn v2_fractional_quota_in_a_namespaced_container() {
        let tree = v2("v2-fraction", "/");
        tree.file("/sys/fs/cgroup/cpu.max", "150000 100000\n");
        let limits = read_cgroup_limits(&tree.root);
        assert_eq!(
            limits.cpu,
            Some(Fact::new(1.5, cgroup("/sys/fs/cgroup/cpu.max")))
        );
        assert_eq!(limits.memory, None);
    }

    #[test]
    fn v2_nested_limits_take_the_most_restrictive_level() {
        let tree = v2("v2-nested", "/kubepods/pod1/ctr");
        tree.file("/sys/fs/cgroup/kubepods/cpu.max", "max 100000\n")
            .file("/sys/fs/cgroup/kubepods/pod1/cpu.max", "100000 100000\n")
            .file(
                "/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max",
                "300000 100000\n",
            )
            .file("/sys/fs/cgroup/kubepods/pod1/memory.max", "2147483648\n")
            .file("/sys/fs/cgroup/kubepods/pod1/ctr/memory.max", "max\n");
        let limits = read_cgroup_limits(&tree.root);
        assert_eq!(
            limits.cpu,
            Some(Fact::new(
                1.0,
                cgroup("/sys/fs/cgroup/kubepods/pod1/cpu.max")
            ))
        );
        assert_eq!(
            limits.memory,
            Some(Fact::new(
                MemorySize::gibibytes(2),
                cgroup("/sys/fs/cgroup/kubepods/pod1/memory.max")
            ))
        );
    }

    #[test]
    fn v2_cpuset_smaller_than_quota_wins() {
        let tree = v2("v2-cpuset", "/app");
        tree.file("/sys/fs/cgroup/app/cpu.max", "400000 100000\n")
            .file("/sys/fs/cgroup/app/cpuset.cpus.effective", "2-3\n");
        assert_eq!(
            read_cgroup_limits(&tree.root).cpu,
            Some(Fact::new(
                2.0,
                cgroup("/sys/fs/cgroup/app/cpuset.cpus.effective")
            ))
        );
    }

    #[test]
    fn v2_memory_limit() {
        let tree = v2("v2-memory", "/");
        tree.file("/sys/fs/cgroup/memory.max", "4294967296\n");
        assert_eq!(
            read_cgroup_limits(&tree.root).memory,
            Some(Fact::new(
                MemorySize::gibibytes(4),
                cgroup("/sys/fs/cgroup/memory.max")
            ))
        );
    }

    #[test]
    fn v2_path_missing_under_the_mount_falls_back_to_the_mount() {
        // Docker without a cgroup namespace: /proc/self/cgroup names the host path, the mount shows only ours.
        let tree = v2("v2-fallback", "/system.slice/docker-abc.scope");
        tree.file("/sys/fs/cgroup/memory.max", "1073741824\n");
        assert_eq!(
            read_cgroup_limits(&tree.root).memory,
            Some(Fact::new(
                MemorySize::gibibytes(1),
                cgroup("/sys/fs/cgroup/memory.max")
            ))
        );
    }

    const V1_MOUNTINFO: &str = "\
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,relatime - cgroup cgroup rw,cpu,cpuacct
34 31 0:31 /docker/abc /sys/fs/cgroup/cpuset ro,relatime - cgroup cgroup rw,cpuset
35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    const V1_CGROUP: &str = "\
12:memory:/docker/abc
4:cpu,cpuacct:/docker/abc
3:cpuset:/docker/abc
1:name=systemd:/docker/abc
0::/docker/abc
";

    fn v1(name: &str) -> FakeTree {
        let tree = FakeTree::new(name);
        tree.file(PROC_SELF_MOUNTINFO, V1_MOUNTINFO)
            .file(PROC_SELF_CGROUP, V1_CGROUP)
            .file(ONLINE_CPUS, "0-3\n")
            .file("/sys/fs/cgroup/cpuset/cpuset.cpus", "0-3\n")
            .dir("/sys/fs/cgroup/unified");
        tree
    }

    #[test]
    fn v1_quota_and_period() {
        let tree = v1("v1-quota");
        tree.file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "250000\n")
            .file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        assert_eq!(
            read_cgroup_limits(&tree.root).cpu,
            Some(Fact::new(
                2.5,
                cgroup("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us")
            ))
        );
    }

    #[test]
    fn v1_unlimited() {
        for (name, memory) in [
            ("v1-unlimited-page", "9223372036854771712\n"),
            ("v1-unlimited-max", "9223372036854775807\n"),
        ] {
            let tree = v1(name);
            tree.file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n")
                .file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n")
                .file("/sys/fs/cgroup/memory/memory.limit_in_bytes", memory);
            assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());
        }
    }

    #[test]
    fn v1_memory_limit_and_cpuset() {
        let tree = v1("v1-memory");
        tree.file("/sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n")
            .file("/sys/fs/cgroup/cpuset/cpuset.cpus", "1\n");
        let limits = read_cgroup_limits(&tree.root);
        assert_eq!(
            limits.memory,
            Some(Fact::new(
                MemorySize::mebibytes(512),
                cgroup("/sys/fs/cgroup/memory/memory.limit_in_bytes")
            ))
        );
        assert_eq!(
            limits.cpu,
            Some(Fact::new(1.0, cgroup("/sys/fs/cgroup/cpuset/cpuset.cpus")))
        );
    }

    #[test]
    fn v1_on_the_host_walks_up_from_the_process_cgroup() {
        // Like this project's CI machine: v1 controllers mounted at their roots, the process in a child cgroup.
        let tree = FakeTree::new("v1-host");
        tree.file(
            PROC_SELF_MOUNTINFO,
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n",
        )
        .file(PROC_SELF_CGROUP, "4:memory:/jobs/42\n0::/\n")
        .file(
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "9223372036854771712\n",
        )
        .file(
            "/sys/fs/cgroup/memory/jobs/memory.limit_in_bytes",
            "8589934592\n",
        )
        .file(
            "/sys/fs/cgroup/memory/jobs/42/memory.limit_in_bytes",
            "9223372036854771712\n",
        );
        assert_eq!(
            read_cgroup_limits(&tree.root).memory,
            Some(Fact::new(
                MemorySize::gibibytes(8),
                cgroup("/sys/fs/cgroup/memory/jobs/memory.limit_in_bytes")
            ))
        );
    }

    #[test]
    fn no_cgroup_at_all() {
        let tree = FakeTree::new("none");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());
        tree.file(PROC_SELF_CGROUP, "0::/\n");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());
    }

    #[test]
    fn garbage_contents_are_no_limit() {
        let tree = FakeTree::new("garbage");
        tree.file(PROC_SELF_MOUNTINFO, "\u{0}\u{1} nonsense\n- - -\n")
            .file(PROC_SELF_CGROUP, "::::\n0::/../../..\n");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());

        let tree = v2("v2-garbage", "/../escape");
        tree.file("/sys/fs/cgroup/cpu.max", "fast\n")
            .file("/sys/fs/cgroup/memory.max", "-1\n")
            .file("/sys/fs/cgroup/cpuset.cpus.effective", "all of them\n");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());

        let tree = v1("v1-garbage");
        tree.file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000\n")
            .file("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "soon\n")
            .file("/sys/fs/cgroup/memory/memory.limit_in_bytes", "\u{fffd}\n");
        assert_eq!(read_cgroup_limits(&tree.root), CgroupLimits::default());
    }
}
