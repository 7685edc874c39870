//! Job profiles: what the user tells flinktune about the job, as hints the rules turn into settings. Seven profiles
//! ship in `profiles/*.yaml` (embedded in the binary); users write their own in the same format and override single
//! fields with flags. A profile is plain data; reading one from YAML is [`file`], the shipped set is [`embedded`].

pub(crate) mod embedded;
pub(crate) mod file;
pub(crate) mod serde_support;

use std::time::Duration;

use serde::Serialize;

use crate::flink::MemorySize;
use crate::flink::job_options::{RestartStrategyKind, StateBackendKind};

/// The hints of one job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobProfile {
    /// The profile's name (its file stem), for headers and reasons.
    pub name: String,
    pub description: String,
    pub workload: Workload,
    pub runtime: Runtime,
    pub purpose: Purpose,
    /// The whole job's state (all operators, all subtasks), as it sits in checkpoints; `None` when neither the
    /// profile nor a flag says, which the advisor treats as its own case (it plans for small state and says so)
    /// instead of assuming a size (issue 11: a silent 10 GiB made a small-state job 3x slower).
    #[serde(serialize_with = "crate::profile::serde_support::optional_memory_size_bytes")]
    pub state_size: Option<MemorySize>,
    /// Records per second into the job at its peak.
    pub input_rate: Option<u64>,
    /// Records per second one parallel instance of the slowest operator handles, if measured.
    pub slot_throughput: Option<u64>,
    /// Partitions (Kafka) or shards of the main source.
    pub source_partitions: Option<u32>,
    /// Sinks that commit transactionally on checkpoints (Kafka EXACTLY_ONCE, two-phase commit file sinks).
    pub exactly_once_sinks: bool,
    /// The end-to-end latency the job must keep.
    #[serde(serialize_with = "crate::profile::serde_support::optional_duration")]
    pub latency_target: Option<Duration>,
    /// How long a recovery (restart plus replay) may take.
    #[serde(serialize_with = "crate::profile::serde_support::duration")]
    pub recovery_time_objective: Duration,
    /// The job must resume from its state after a host dies or a redeploy.
    pub restore: bool,
    /// A checkpoint interval chosen by the user, which then wins over the rule.
    #[serde(serialize_with = "crate::profile::serde_support::optional_duration")]
    pub checkpoint_interval: Option<Duration>,
    pub checkpoint_dir: Option<String>,
    pub savepoint_dir: Option<String>,
    pub state_backend: BackendChoice,
    pub restart_strategy: RestartChoice,
    /// Direct memory each slot's connectors allocate (Netty-based clients, some SDKs): becomes task off-heap memory.
    #[serde(serialize_with = "crate::profile::serde_support::memory_size_bytes")]
    pub connector_direct_memory: MemorySize,
    pub deployment: Deployment,
    pub mode: Mode,
    /// What one TaskManager uploads to checkpoint storage per second ([`DEFAULT_UPLOAD_BANDWIDTH`]).
    #[serde(serialize_with = "crate::profile::serde_support::memory_size_bytes")]
    pub upload_bandwidth: MemorySize,
    /// What one TaskManager downloads from checkpoint storage per second on restore ([`DEFAULT_DOWNLOAD_BANDWIDTH`]).
    #[serde(serialize_with = "crate::profile::serde_support::memory_size_bytes")]
    pub download_bandwidth: MemorySize,
    /// The share of the state, in percent, rewritten between two checkpoints: what an incremental checkpoint
    /// uploads ([`DEFAULT_STATE_CHANGE_PERCENT`]).
    pub state_change_percent: u8,
    /// The ZooKeeper ensemble for high availability on standalone and YARN (`host:port,...`); only the user knows it.
    pub zookeeper_quorum: Option<String>,
    /// The share, in percent, of a busy task's time spent waiting on external systems (synchronous calls, sleeps);
    /// `None`: the workload's figure ([`Workload::io_wait_percent`]). Decides how many slots a core carries
    /// (src/advisor/slots.rs); `recommend --from-cluster` measures it.
    pub io_wait_percent: Option<u8>,
}

impl JobProfile {
    /// The I/O wait the slot rule plans with: the profile's, else the workload's.
    pub(crate) fn io_wait(&self) -> u8 {
        self.io_wait_percent
            .unwrap_or_else(|| self.workload.io_wait_percent())
    }
}

/// The most I/O wait the slot rule takes: at 99% a core carries a hundred waiting tasks, past which Flink's async I/O
/// is the lever, not more threads.
pub(crate) const MAX_IO_WAIT_PERCENT: u8 = 99;

/// Upload rate per TaskManager to checkpoint storage, when the profile does not say: 100 MiB/s is a conservative
/// figure for one JVM writing to S3-compatible storage or HDFS over a 1-10 Gbit/s link with Flink's default
/// single upload thread per state handle (Flink docs, "Tuning Checkpoints and Large State"; users report 50-300 MB/s).
pub(crate) const DEFAULT_UPLOAD_BANDWIDTH: MemorySize = MemorySize::mebibytes(100);
/// Download rate per TaskManager on restore: reads are usually faster than writes on object stores; 200 MiB/s.
pub(crate) const DEFAULT_DOWNLOAD_BANDWIDTH: MemorySize = MemorySize::mebibytes(200);
/// Share of the state rewritten between checkpoints: keyed aggregations touch a minority of keys per interval; 10%
/// plus RocksDB compaction output is the planning figure (Flink docs on incremental checkpoints: "proportional to the
/// changes since the last checkpoint").
pub(crate) const DEFAULT_STATE_CHANGE_PERCENT: u8 = 10;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// The spellings a profile file or flag accepts.
            pub const ACCEPTED: &'static [&'static str] = &[$($text),+];

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice! {
    /// Where the job spends its time: computing, or waiting on external systems.
    Workload { Cpu = "cpu", Io = "io", Mixed = "mixed" }
}
choice! {
    Runtime { Streaming = "streaming", Batch = "batch" }
}
choice! {
    /// Production jobs get durable, failure-tolerant settings; development sessions get fast feedback.
    Purpose { Production = "production", Development = "development" }
}
choice! {
    Deployment { Standalone = "standalone", Yarn = "yarn", Kubernetes = "kubernetes" }
}
choice! {
    /// Flink's deployment modes: a shared session cluster, a cluster per job (1.x only), or an application cluster.
    Mode { Session = "session", PerJob = "per-job", Application = "application" }
}
choice! {
    /// `auto` lets the state-backend rule decide.
    BackendChoice { Auto = "auto", HashMap = "hashmap", RocksDb = "rocksdb", ForSt = "forst" }
}
choice! {
    /// `auto` lets the restart rule decide.
    RestartChoice {
        Auto = "auto",
        Off = "off",
        FixedDelay = "fixed-delay",
        FailureRate = "failure-rate",
        ExponentialDelay = "exponential-delay",
    }
}

impl BackendChoice {
    pub fn fixed(self) -> Option<StateBackendKind> {
        match self {
            BackendChoice::Auto => None,
            BackendChoice::HashMap => Some(StateBackendKind::HashMap),
            BackendChoice::RocksDb => Some(StateBackendKind::RocksDb),
            BackendChoice::ForSt => Some(StateBackendKind::ForSt),
        }
    }
}

impl RestartChoice {
    pub fn fixed(self) -> Option<RestartStrategyKind> {
        match self {
            RestartChoice::Auto => None,
            RestartChoice::Off => Some(RestartStrategyKind::Off),
            RestartChoice::FixedDelay => Some(RestartStrategyKind::FixedDelay),
            RestartChoice::FailureRate => Some(RestartStrategyKind::FailureRate),
            RestartChoice::ExponentialDelay => Some(RestartStrategyKind::ExponentialDelay),
        }
    }
}

impl Workload {
    /// The I/O wait a workload implies when the profile gives none: CPU-bound and mixed none (one slot per core,
    /// Flink's guidance); IO-bound half, two slots per core (the operators' rule of thumb for IO-bound jobs).
    pub(crate) fn io_wait_percent(self) -> u8 {
        match self {
            Workload::Cpu | Workload::Mixed => 0,
            Workload::Io => 50,
        }
    }
}
