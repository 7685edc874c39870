//! TEMPORARY stand-in for the host-detection module being written on branch host-detection (same API).
use std::path::PathBuf;

use crate::flink::MemorySize;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Source {
    Host(String),
    Cgroup(String),
    Flag(&'static str),
    Unknown,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fact<T> {
    pub value: T,
    pub source: Source,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiskKind {
    Ssd,
    Hdd,
    Unknown,
}
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HostSpec {
    pub logical_cores: Fact<u32>,
    pub physical_cores: Option<Fact<u32>>,
    pub cpu_limit: Option<Fact<f64>>,
    #[serde(skip)]
    pub total_memory: Fact<MemorySize>,
    #[serde(skip)]
    pub available_memory: Option<Fact<MemorySize>>,
    #[serde(skip)]
    pub memory_limit: Option<Fact<MemorySize>>,
    pub disk: Fact<DiskKind>,
    pub state_dir: PathBuf,
    pub hosts: u32,
    pub jobmanager_on_host: bool,
}
impl HostSpec {
    pub fn usable_cores(&self) -> Fact<f64> {
        match &self.cpu_limit {
            Some(limit) if limit.value < f64::from(self.logical_cores.value) => limit.clone(),
            _ => Fact { value: f64::from(self.logical_cores.value), source: self.logical_cores.source.clone() },
        }
    }
    pub fn usable_memory(&self) -> Fact<MemorySize> {
        match &self.memory_limit {
            Some(limit) if limit.value < self.total_memory.value => limit.clone(),
            _ => self.total_memory.clone(),
        }
    }
    pub fn planned(cores: f64, memory: MemorySize, disk: DiskKind) -> HostSpec {
        HostSpec {
            logical_cores: Fact { value: cores.ceil() as u32, source: Source::Flag("--cores") },
            physical_cores: None,
            cpu_limit: Some(Fact { value: cores, source: Source::Flag("--cores") }),
            total_memory: Fact { value: memory, source: Source::Flag("--memory") },
            available_memory: None,
            memory_limit: Some(Fact { value: memory, source: Source::Flag("--memory") }),
            disk: Fact { value: disk, source: Source::Flag("--disk") },
            state_dir: PathBuf::from("."),
            hosts: 1,
            jobmanager_on_host: false,
        }
    }
}
