//! What the machine offers to Flink: CPUs, memory and the kind of disk that will hold local state, including the
//! limits of the container the process runs in. Every value is a [`Fact`] that says where it came from, because a
//! recommendation built on "24 GiB" must be able to say whether that was the host, the cgroup or a flag.
//!
//! The types here are plain data, so the advisor can plan for any machine without touching this one. Probing the
//! machine is an edge ([`crate::edges::host_probe`]); [`report`] renders the result.

pub(crate) mod report;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::flink::MemorySize;

/// The flags that override what is probed; they are also the sources of the facts they set.
pub(crate) const CORES_FLAG: &str = "--cores";
pub(crate) const MEMORY_FLAG: &str = "--memory";
pub(crate) const DISK_FLAG: &str = "--disk";
pub(crate) const DISK_SPACE_FLAG: &str = "--disk-space";

/// Where a fact came from (shown in `flinktune host` and in recommendation reasons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "lowercase")]
pub enum Source {
    /// The host itself: a library or a file, e.g. "sysinfo", "/sys/block/nvme0n1/queue/rotational".
    Host(String),
    /// A cgroup file, as the path is on the real system, e.g. "/sys/fs/cgroup/cpu.max".
    Cgroup(String),
    /// A command-line flag, e.g. "--cores".
    Flag(&'static str),
    /// Nothing could be found out.
    Unknown,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Host(what) | Source::Cgroup(what) => f.write_str(what),
            Source::Flag(flag) => f.write_str(flag),
            Source::Unknown => f.write_str("unknown"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Fact<T> {
    pub fn new(value: T, source: Source) -> Self {
        Fact { value, source }
    }
}

/// The kind of disk under the local state directory: RocksDB on an HDD wants different settings than on an SSD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiskKind {
    Ssd,
    Hdd,
    Unknown,
}

impl fmt::Display for DiskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DiskKind::Ssd => "SSD",
            DiskKind::Hdd => "HDD",
            DiskKind::Unknown => "unknown",
        })
    }
}

/// What one host offers to Flink. Sizes are [`MemorySize`]s (serialized as bytes); CPUs are counts of CPUs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostSpec {
    pub logical_cores: Fact<u32>,
    pub physical_cores: Option<Fact<u32>>,
    /// Container CPU limit in CPUs: cgroup quota/period (fractions kept, e.g. 1.5) or the cpuset's CPU count, the
    /// smaller; None = no limit.
    pub cpu_limit: Option<Fact<f64>>,
    pub total_memory: Fact<MemorySize>,
    pub available_memory: Option<Fact<MemorySize>>,
    /// Container memory limit; None = unlimited ("max" in cgroup v2, the huge page-aligned value in v1).
    pub memory_limit: Option<Fact<MemorySize>>,
    pub disk: Fact<DiskKind>,
    /// The directory that will hold local state (RocksDB), whose disk kind was detected.
    pub state_dir: PathBuf,
    /// Free space on the filesystem that holds `state_dir`, for the local state of every TaskManager on the host
    /// (RocksDB's files, local recovery's copy); None = unknown (a host described by flags without `--disk-space`).
    pub disk_space: Option<Fact<MemorySize>>,
    /// Number of identical hosts in the cluster (>= 1).
    pub hosts: u32,
    /// A JobManager runs on this host too.
    pub jobmanager_on_host: bool,
}

impl HostSpec {
    /// A host described by flags instead of probed, for planning a machine that is not this one (and for tests):
    /// `cores` (fractions allowed) and `memory` are both the totals and the limits, with `--cores`, `--memory` and
    /// `--disk` as sources; one host, no JobManager, state in ".". Callers validate `cores` (see
    /// `HostOverrides::validate` in the host probe); a non-positive or non-finite value makes a host with 0 logical cores.
    pub fn planned(cores: f64, memory: MemorySize, disk: DiskKind) -> Self {
        HostSpec {
            logical_cores: Fact::new(whole_cores(cores), Source::Flag(CORES_FLAG)),
            physical_cores: None,
            cpu_limit: Some(Fact::new(cores, Source::Flag(CORES_FLAG))),
            total_memory: Fact::new(memory, Source::Flag(MEMORY_FLAG)),
            available_memory: None,
            memory_limit: Some(Fact::new(memory, Source::Flag(MEMORY_FLAG))),
            disk: Fact::new(disk, Source::Flag(DISK_FLAG)),
            state_dir: PathBuf::from("."),
            disk_space: None,
            hosts: 1,
            jobmanager_on_host: false,
        }
    }

    /// The CPUs Flink may use: the container limit if it is below the logical cores, else the logical cores; with
    /// the winner's source.
    pub fn usable_cores(&self) -> Fact<f64> {
        let logical = f64::from(self.logical_cores.value);
        match &self.cpu_limit {
            Some(limit) if limit.value < logical => limit.clone(),
            _ => Fact::new(logical, self.logical_cores.source.clone()),
        }
    }

    /// The memory Flink may use: the container limit if below total memory, else total; with the winner's source.
    pub fn usable_memory(&self) -> Fact<MemorySize> {
        match &self.memory_limit {
            Some(limit) if limit.value < self.total_memory.value => limit.clone(),
            _ => self.total_memory.clone(),
        }
    }
}

/// The smallest CPU share a TaskManager is planned with: the advisor writes `taskmanager.cpu.cores` to two decimals
/// (src/advisor/layout.rs), so less rounds to 0 CPUs, which Flink refuses ("TaskExecutors need to be started with a
/// positive number of CPU cores").
pub(crate) const MIN_USABLE_CORES: f64 = 0.01;

/// Whole CPUs covering `cores` (1.5 → 2); 0 for anything not positive and finite, saturating at `u32::MAX`.
pub(crate) fn whole_cores(cores: f64) -> u32 {
    if cores.is_finite() && cores > 0.0 {
        // `as` saturates at u32::MAX for larger values.
        cores.ceil() as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_cores_is_the_limit_when_below_the_host() {
        let mut host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        host.logical_cores = Fact::new(8, Source::Host("sysinfo".into()));
        host.cpu_limit = Some(Fact::new(
            1.5,
            Source::Cgroup("/sys/fs/cgroup/cpu.max".into()),
        ));
        assert_eq!(
            host.usable_cores(),
            Fact::new(1.5, Source::Cgroup("/sys/fs/cgroup/cpu.max".into()))
        );
        host.cpu_limit = Some(Fact::new(
            16.0,
            Source::Cgroup("/sys/fs/cgroup/cpu.max".into()),
        ));
        assert_eq!(
            host.usable_cores(),
            Fact::new(8.0, Source::Host("sysinfo".into()))
        );
        host.cpu_limit = None;
        assert_eq!(host.usable_cores().value, 8.0);
    }

    #[test]
    fn usable_memory_is_the_limit_when_below_the_host() {
        let mut host = HostSpec::planned(4.0, MemorySize::gibibytes(24), DiskKind::Hdd);
        host.total_memory = Fact::new(MemorySize::gibibytes(24), Source::Host("sysinfo".into()));
        host.memory_limit = None;
        assert_eq!(host.usable_memory(), host.total_memory);
        let limit = Fact::new(
            MemorySize::gibibytes(4),
            Source::Cgroup("/sys/fs/cgroup/memory.max".into()),
        );
        host.memory_limit = Some(limit.clone());
        assert_eq!(host.usable_memory(), limit);
        host.memory_limit = Some(Fact::new(MemorySize::MAX, Source::Unknown));
        assert_eq!(host.usable_memory(), host.total_memory);
    }

    #[test]
    fn planned_hosts_say_the_flags_are_the_source() {
        let host = HostSpec::planned(2.5, MemorySize::gibibytes(8), DiskKind::Ssd);
        assert_eq!(host.logical_cores.value, 3);
        assert_eq!(host.usable_cores(), Fact::new(2.5, Source::Flag("--cores")));
        assert_eq!(
            host.usable_memory(),
            Fact::new(MemorySize::gibibytes(8), Source::Flag("--memory"))
        );
        assert_eq!(host.disk.source, Source::Flag("--disk"));
        assert_eq!(host.hosts, 1);
    }

    #[test]
    fn whole_cores_rounds_up_and_refuses_nonsense() {
        assert_eq!(whole_cores(0.5), 1);
        assert_eq!(whole_cores(2.0), 2);
        assert_eq!(whole_cores(0.0), 0);
        assert_eq!(whole_cores(f64::NAN), 0);
        assert_eq!(whole_cores(f64::INFINITY), 0);
        assert_eq!(whole_cores(1e20), u32::MAX);
    }
}
