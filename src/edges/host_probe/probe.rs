//! The edge where flinktune looks at the machine it runs on: CPU count and memory from sysinfo, container limits
//! from the cgroup files, the disk kind from sysfs, and the user's flags on top (a flag always wins, so that a
//! machine other than this one can be planned).

use std::path::{Path, PathBuf};

use sysinfo::{CpuRefreshKind, MemoryRefreshKind, RefreshKind, System};

use super::{HostError, detect_disk_kind, free_space, read_cgroup_limits};
use crate::flink::MemorySize;
use crate::host::{
    CORES_FLAG, DISK_FLAG, DISK_SPACE_FLAG, DiskKind, Fact, HostSpec, MEMORY_FLAG, Source,
    whole_cores,
};

/// sysinfo as a source.
const SYSINFO: &str = "sysinfo";

/// What the user said about the host, overriding what is probed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HostOverrides {
    /// `--cores`: logical cores (rounded up) and the CPU limit (exactly this, fractions allowed).
    pub cores: Option<f64>,
    /// `--memory`: total memory and the memory limit.
    pub memory: Option<MemorySize>,
    /// `--disk`: the disk kind under the state directory.
    pub disk: Option<DiskKind>,
    /// `--disk-space`: free space for local state on each host.
    pub disk_space: Option<MemorySize>,
    /// `--hosts`: identical hosts in the cluster.
    pub hosts: u32,
    /// A JobManager runs on this host too.
    pub jobmanager_on_host: bool,
    /// The directory that will hold local state, whose disk is probed.
    pub state_dir: PathBuf,
}

impl Default for HostOverrides {
    /// Probe everything: one host, no JobManager on it, state in the current directory.
    fn default() -> Self {
        HostOverrides {
            cores: None,
            memory: None,
            disk: None,
            disk_space: None,
            hosts: 1,
            jobmanager_on_host: false,
            state_dir: PathBuf::from("."),
        }
    }
}

impl HostOverrides {
    /// Refuses values no host can have: cores not a positive finite number, zero memory, fewer than one host.
    pub(crate) fn validate(&self) -> Result<(), HostError> {
        if let Some(cores) = self.cores
            && !(cores.is_finite() && cores > 0.0)
        {
            return Err(HostError::Cores(cores));
        }
        if let Some(cores) = self.cores
            && cores < crate::host::MIN_USABLE_CORES
        {
            return Err(HostError::TooFewCores(cores));
        }
        if let Some(memory) = self.memory
            && memory == MemorySize::ZERO
        {
            return Err(HostError::Memory(memory.human_readable()));
        }
        if self.hosts == 0 {
            return Err(HostError::Hosts(self.hosts));
        }
        Ok(())
    }
}

/// Describes this machine as Flink will see it, with `overrides` applied.
pub(crate) fn probe(overrides: &HostOverrides) -> Result<HostSpec, HostError> {
    probe_at(Path::new("/"), overrides)
}

/// [`probe`] with cgroup files and sysfs read below `root` instead of `/`. CPU count and memory always come from
/// the running system (sysinfo cannot be pointed elsewhere).
pub(crate) fn probe_at(root: &Path, overrides: &HostOverrides) -> Result<HostSpec, HostError> {
    overrides.validate()?;
    let limits = read_cgroup_limits(root);
    // Only what is needed: the CPU list without usage sampling, and RAM without swap.
    let system = System::new_with_specifics(
        RefreshKind::nothing()
            .with_cpu(CpuRefreshKind::nothing())
            .with_memory(MemoryRefreshKind::nothing().with_ram()),
    );

    let (logical_cores, physical_cores, cpu_limit) = match overrides.cores {
        Some(cores) => (
            Fact::new(whole_cores(cores), Source::Flag(CORES_FLAG)),
            None,
            Some(Fact::new(cores, Source::Flag(CORES_FLAG))),
        ),
        None => (
            logical_cores(&system),
            System::physical_core_count()
                .and_then(|count| u32::try_from(count).ok())
                .map(|count| Fact::new(count, Source::Host(SYSINFO.into()))),
            limits.cpu,
        ),
    };

    let (total_memory, available_memory, memory_limit) = match overrides.memory {
        Some(memory) => (
            Fact::new(memory, Source::Flag(MEMORY_FLAG)),
            None,
            Some(Fact::new(memory, Source::Flag(MEMORY_FLAG))),
        ),
        None => (
            sysinfo_memory(system.total_memory())
                .unwrap_or(Fact::new(MemorySize::ZERO, Source::Unknown)),
            sysinfo_memory(system.available_memory()),
            limits.memory,
        ),
    };

    let disk = match overrides.disk {
        Some(kind) => Fact::new(kind, Source::Flag(DISK_FLAG)),
        // A host described by flags is another machine (or a pod): this one's disk says nothing about it (issue 11,
        // case 11).
        None if overrides.cores.is_some() || overrides.memory.is_some() => {
            Fact::new(DiskKind::Unknown, Source::Unknown)
        }
        None => detect_disk_kind(root, &overrides.state_dir),
    };
    let described = overrides.cores.is_some() || overrides.memory.is_some();
    let disk_space = match overrides.disk_space {
        Some(space) => Some(Fact::new(space, Source::Flag(DISK_SPACE_FLAG))),
        // As with the disk kind: a described host is another machine, and only real paths have free space.
        None if described || root != Path::new("/") => None,
        None => free_space(&overrides.state_dir),
    };

    Ok(HostSpec {
        logical_cores,
        physical_cores,
        cpu_limit,
        total_memory,
        available_memory,
        memory_limit,
        disk,
        state_dir: overrides.state_dir.clone(),
        disk_space,
        hosts: overrides.hosts,
        jobmanager_on_host: overrides.jobmanager_on_host,
    })
}

/// Every CPU of the host, ignoring the process's affinity and cgroup (those are the limits). Not
/// `std::thread::available_parallelism`, which applies them. That is only the fallback when sysinfo sees no CPU
/// (an unsupported system), and then it says so.
fn logical_cores(system: &System) -> Fact<u32> {
    match u32::try_from(system.cpus().len()) {
        Ok(count) if count > 0 => Fact::new(count, Source::Host(SYSINFO.into())),
        _ => std::thread::available_parallelism()
            .ok()
            .and_then(|count| u32::try_from(count.get()).ok())
            .map(|count| {
                Fact::new(
                    count,
                    Source::Host("std::thread::available_parallelism".into()),
                )
            })
            .unwrap_or(Fact::new(0, Source::Unknown)),
    }
}

/// A sysinfo memory figure; 0 means sysinfo could not read it.
fn sysinfo_memory(bytes: u64) -> Option<Fact<MemorySize>> {
    (bytes > 0).then(|| Fact::new(MemorySize::from_bytes(bytes), Source::Host(SYSINFO.into())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edges::host_probe::fake_tree::FakeTree;

    #[test]
    fn probes_this_machine() {
        let host = probe_at(Path::new("/"), &HostOverrides::default()).unwrap();
        assert!(host.logical_cores.value >= 1, "{host:?}");
        assert!(host.total_memory.value > MemorySize::ZERO, "{host:?}");
        assert!(host.usable_cores().value > 0.0);
        assert!(host.usable_memory().value <= host.total_memory.value);
        assert_eq!(host.hosts, 1);
    }

    #[test]
    fn flags_win_and_are_the_sources() {
        let overrides = HostOverrides {
            cores: Some(1.5),
            memory: Some(MemorySize::gibibytes(6)),
            disk: Some(DiskKind::Hdd),
            disk_space: Some(MemorySize::gibibytes(500)),
            hosts: 3,
            jobmanager_on_host: true,
            state_dir: PathBuf::from("/nowhere"),
        };
        let host = probe(&overrides).unwrap();
        assert_eq!(
            host.disk_space,
            Some(Fact::new(
                MemorySize::gibibytes(500),
                Source::Flag("--disk-space")
            ))
        );
        assert_eq!(host.logical_cores, Fact::new(2, Source::Flag("--cores")));
        assert_eq!(host.physical_cores, None);
        assert_eq!(host.usable_cores(), Fact::new(1.5, Source::Flag("--cores")));
        assert_eq!(
            host.usable_memory(),
            Fact::new(MemorySize::gibibytes(6), Source::Flag("--memory"))
        );
        assert_eq!(host.available_memory, None);
        assert_eq!(host.disk, Fact::new(DiskKind::Hdd, Source::Flag("--disk")));
        assert_eq!((host.hosts, host.jobmanager_on_host), (3, true));
    }

    #[test]
    fn cgroup_limits_from_the_root_are_used() {
        let tree = FakeTree::new("probe-limits");
        tree.file(
            "/proc/self/mountinfo",
            "31 23 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
        )
        .file("/proc/self/cgroup", "0::/\n")
        .file("/sys/fs/cgroup/cpu.max", "50000 100000\n")
        .file("/sys/fs/cgroup/memory.max", "1048576\n");
        let host = probe_at(&tree.root, &HostOverrides::default()).unwrap();
        assert_eq!(
            host.usable_cores(),
            Fact::new(0.5, Source::Cgroup("/sys/fs/cgroup/cpu.max".into()))
        );
        assert_eq!(
            host.usable_memory(),
            Fact::new(
                MemorySize::mebibytes(1),
                Source::Cgroup("/sys/fs/cgroup/memory.max".into())
            )
        );
        assert_eq!(
            host.disk.value,
            DiskKind::Unknown,
            "no mount for the state dir"
        );
    }

    #[test]
    fn bad_flags_are_refused_naming_the_flag() {
        let refuse = |overrides: HostOverrides| probe(&overrides).unwrap_err().to_string();
        assert_eq!(
            refuse(HostOverrides {
                cores: Some(0.0),
                ..HostOverrides::default()
            }),
            "--cores must be a positive number of CPUs, got 0"
        );
        assert_eq!(
            refuse(HostOverrides {
                cores: Some(f64::NAN),
                ..HostOverrides::default()
            }),
            "--cores must be a positive number of CPUs, got NaN"
        );
        assert_eq!(
            refuse(HostOverrides {
                memory: Some(MemorySize::ZERO),
                ..HostOverrides::default()
            }),
            "--memory must be larger than 0 bytes, got 0 bytes"
        );
        assert_eq!(
            refuse(HostOverrides {
                hosts: 0,
                ..HostOverrides::default()
            }),
            "--hosts must be at least 1, got 0"
        );
    }
}
