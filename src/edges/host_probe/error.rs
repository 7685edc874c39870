//! Why a host description is refused. Probing itself never fails (what cannot be read is reported as unknown), so
//! these are only about the flags, and each message names the flag to fix.

/// A flag describing the host has a value flinktune cannot plan with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HostError {
    #[error("--cores must be a positive number of CPUs, got {0}")]
    Cores(f64),
    #[error(
        "--cores {0} is below the smallest CPU share flinktune plans a TaskManager for ({min}): its \
         taskmanager.cpu.cores would round to 0, which Flink refuses; pass the CPUs Flink may use, at least \
         --cores {min} (e.g. --cores 0.5)",
        min = crate::host::MIN_USABLE_CORES
    )]
    TooFewCores(f64),
    #[error("--memory must be larger than 0 bytes, got {0}")]
    Memory(String),
    #[error("--hosts must be at least 1, got {0}")]
    Hosts(u32),
}
