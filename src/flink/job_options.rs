//! The options flinktune writes beyond memory: slots and parallelism, state backend and RocksDB, checkpointing,
//! restart strategy, failover. Flink renamed several between 1.15 and 2.3 and keeps the old names as deprecated
//! fallbacks, so each key here is a list of spellings with the release that introduced each; flinktune always writes
//! the newest spelling the target release knows (docs/flink-config-keys.md, checked against the generated catalogue
//! src/flink/catalogue/options.tsv).

use std::time::Duration;

use crate::flink::version::FlinkVersion;

/// An option key whose spelling depends on the Flink release.
#[derive(Debug, Clone, Copy)]
pub struct VersionedKey {
    /// `(first release, key)`, oldest first.
    spellings: &'static [(FlinkVersion, &'static str)],
}

impl VersionedKey {
    const fn renamed(spellings: &'static [(FlinkVersion, &'static str)]) -> Self {
        VersionedKey { spellings }
    }

    /// The key `version` reads as its primary name, or `None` when the option does not exist there yet.
    pub fn spelled_for(&self, version: FlinkVersion) -> Option<&'static str> {
        self.spellings
            .iter()
            .rev()
            .find(|(since, _)| version.at_least_line(*since))
            .map(|(_, key)| *key)
    }

    /// Every spelling, newest first: what a config written for any release may use (old ones stay fallbacks).
    pub fn all_spellings(&self) -> impl Iterator<Item = &'static str> {
        self.spellings.iter().rev().map(|(_, key)| *key)
    }

    /// The key to write for `version`: its own spelling, or the newest where the option is younger than the release
    /// (callers check availability with [`Self::spelled_for`] where it matters).
    pub fn for_version(&self, version: FlinkVersion) -> &'static str {
        self.spelled_for(version).unwrap_or(self.newest())
    }

    /// The newest spelling, for messages that name the option independently of a release.
    pub fn newest(&self) -> &'static str {
        self.spellings.last().map_or("", |(_, key)| key)
    }
}

macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident = [$(($major:literal, $minor:literal, $key:literal)),+ $(,)?];)+) => {
        $(
            $(#[$doc])*
            pub(crate) const $name: VersionedKey = VersionedKey::renamed(&[$((FlinkVersion::line($major, $minor), $key)),+]);
        )+
    };
}

/// Slots, parallelism, CPU (`TaskManagerOptions`, `CoreOptions`, `PipelineOptions`).
pub(crate) mod cluster {
    use super::*;
    keys! {
        PARALLELISM_DEFAULT = [(1, 15, "parallelism.default")];
        /// "Must be less than or equal to 32768" (PipelineOptions); -1 means derived per operator.
        MAX_PARALLELISM = [(1, 15, "pipeline.max-parallelism")];
        RUNTIME_MODE = [(1, 15, "execution.runtime-mode")];
        FAILOVER_STRATEGY = [(1, 15, "jobmanager.execution.failover-strategy")];
        /// Per-vertex parallelism, `vertex-id:parallelism,...` (a Map option, 1.17+).
        VERTEX_PARALLELISM_OVERRIDES = [(1, 17, "pipeline.jobvertex-parallelism-overrides")];
        /// Operator chaining on or off (`PipelineOptions.OPERATOR_CHAINING`): `.enabled` from 1.18.
        OPERATOR_CHAINING = [(1, 15, "pipeline.operator-chaining"), (1, 18, "pipeline.operator-chaining.enabled")];
    }
}

/// Where a submission goes (`RestOptions`, `KubernetesConfigOptions`, `YarnConfigOptions`).
pub(crate) mod deployment {
    use super::*;
    keys! {
        REST_ADDRESS = [(1, 15, "rest.address")];
        REST_PORT = [(1, 15, "rest.port")];
        KUBERNETES_CLUSTER_ID = [(1, 15, "kubernetes.cluster-id")];
        /// `kubernetes.container.image` until 1.16, `.ref` from 1.17.
        KUBERNETES_IMAGE = [(1, 15, "kubernetes.container.image"), (1, 17, "kubernetes.container.image.ref")];
        YARN_APPLICATION_ID = [(1, 15, "yarn.application.id")];
        /// Where a standalone TaskManager finds its JobManager (default `localhost`).
        JOBMANAGER_RPC_ADDRESS = [(1, 15, "jobmanager.rpc.address")];
    }

    /// Options that configure the cluster's processes rather than a job: a session cluster takes them from its own
    /// file and ignores them in a submission (Flink docs: "On session clusters, the provided configuration will only
    /// be used for configuring execution parameters"); `env.*` are read by the start scripts.
    pub(crate) fn is_process_option(key: &str) -> bool {
        key.starts_with("taskmanager.")
            || key.starts_with("jobmanager.memory.")
            || key.starts_with("env.")
    }
}

/// State backend and local state (`StateBackendOptions`, `CheckpointingOptions`, `RocksDBOptions`).
pub(crate) mod state {
    use super::*;
    keys! {
        /// `state.backend` until 1.16, `state.backend.type` from 1.17 (the old key stays a fallback through 2.3).
        BACKEND = [(1, 15, "state.backend"), (1, 17, "state.backend.type")];
        /// Moved under `execution.checkpointing` in 1.20.
        INCREMENTAL = [(1, 15, "state.backend.incremental"), (1, 20, "execution.checkpointing.incremental")];
        CHECKPOINT_DIR = [(1, 15, "state.checkpoints.dir"), (1, 20, "execution.checkpointing.dir")];
        SAVEPOINT_DIR = [(1, 15, "state.savepoints.dir"), (1, 20, "execution.checkpointing.savepoint-dir")];
        ROCKSDB_PREDEFINED_OPTIONS = [(1, 15, "state.backend.rocksdb.predefined-options")];
        ROCKSDB_THREADS = [(1, 15, "state.backend.rocksdb.thread.num")];
        ROCKSDB_WRITE_BUFFER_RATIO = [(1, 15, "state.backend.rocksdb.memory.write-buffer-ratio")];
        ROCKSDB_HIGH_PRIORITY_POOL_RATIO = [(1, 15, "state.backend.rocksdb.memory.high-prio-pool-ratio")];
        ROCKSDB_PARTITIONED_INDEX_FILTERS = [(1, 15, "state.backend.rocksdb.memory.partitioned-index-filters")];
        ROCKSDB_TIMER_SERVICE = [(1, 15, "state.backend.rocksdb.timer-service.factory")];
        ROCKSDB_LOCAL_DIR = [(1, 15, "state.backend.rocksdb.localdir")];
        /// Threads per stateful operator that upload and download RocksDB files (`RocksDBOptions`, default 4; one
        /// spelling in every release 1.15 to 2.3).
        ROCKSDB_TRANSFER_THREADS = [(1, 15, "state.backend.rocksdb.checkpoint.transfer.thread.num")];
        /// RocksDB's native size metrics (`RocksDBNativeMetricOptions`, off by default, one spelling 1.15 to 2.3):
        /// the live data in its SST files, the SST files' total size and the memtables' size, per column family.
        ROCKSDB_METRIC_LIVE_DATA = [(1, 15, "state.backend.rocksdb.metrics.estimate-live-data-size")];
        ROCKSDB_METRIC_SST_FILES = [(1, 15, "state.backend.rocksdb.metrics.total-sst-files-size")];
        ROCKSDB_METRIC_MEMTABLES = [(1, 15, "state.backend.rocksdb.metrics.cur-size-all-mem-tables")];
        /// Task-local recovery; `execution.state-recovery.from-local` from 1.20 (the old key stays a fallback).
        LOCAL_RECOVERY = [(1, 15, "state.backend.local-recovery"), (1, 20, "execution.state-recovery.from-local")];
        /// `jobmanager` or `filesystem`; unset means filesystem when a checkpoint directory is set, else jobmanager.
        CHECKPOINT_STORAGE = [(1, 15, "state.checkpoint-storage"), (1, 20, "execution.checkpointing.storage")];
        /// The changelog state backend (`state.changelog.enabled` from 1.20).
        CHANGELOG = [(1, 15, "state.backend.changelog.enabled"), (1, 20, "state.changelog.enabled")];
        /// Where the changelog goes: `memory` (Flink's default, for tests only) or `filesystem`.
        CHANGELOG_STORAGE = [(1, 15, "state.backend.changelog.storage"), (1, 20, "state.changelog.storage")];
        /// The durable directory of the `filesystem` changelog (`FsStateChangelogOptions.BASE_PATH`).
        CHANGELOG_BASE_PATH = [(1, 15, "dstl.dfs.base-path"), (1, 20, "state.changelog.dstl.dfs.base-path")];
    }
}

/// Bounded (BATCH) execution (`CoreOptions`, `ExecutionOptions`, `BatchExecutionOptions`): where spills and blocking
/// shuffles go, how stages exchange data, and the adaptive batch scheduler's parallelism bounds.
pub(crate) mod batch {
    use super::*;
    keys! {
        /// Local directories for spilled sorts and hash tables and for blocking shuffle files (`CoreOptions.TMP_DIRS`;
        /// the JVM's `java.io.tmpdir` by default; YARN sets the container's local directories itself).
        TMP_DIRS = [(1, 15, "io.tmp.dirs")];
        /// `ALL_EXCHANGES_BLOCKING` by default; hybrid modes from 1.16.
        SHUFFLE_MODE = [(1, 15, "execution.batch-shuffle-mode")];
        /// The adaptive batch scheduler's upper bound: `jobmanager.adaptive-batch-scheduler.max-parallelism` until
        /// 1.16, `execution.batch.adaptive.auto-parallelism.max-parallelism` from 1.17 (default 128).
        ADAPTIVE_MAX_PARALLELISM = [
            (1, 15, "jobmanager.adaptive-batch-scheduler.max-parallelism"),
            (1, 17, "execution.batch.adaptive.auto-parallelism.max-parallelism"),
        ];
    }

    /// Every exchange written whole to local disk before its consumers start (`BatchShuffleMode`).
    pub(crate) const SHUFFLE_ALL_BLOCKING: &str = "ALL_EXCHANGES_BLOCKING";
    /// Flink's default upper bound of adaptive parallelism (`BatchExecutionOptions`).
    pub(crate) const ADAPTIVE_DEFAULT_MAX_PARALLELISM: u32 = 128;
}

/// High availability (`HighAvailabilityOptions`): a JobManager that fails over keeps its jobs and their latest
/// checkpoint. `high-availability` until 1.16, `high-availability.type` from 1.17 (docs/flink-config-keys.md).
pub(crate) mod high_availability {
    use super::*;
    keys! {
        TYPE = [(1, 15, "high-availability"), (1, 17, "high-availability.type")];
        /// Where the JobManager's metadata (job graphs, checkpoint pointers) goes: durable, shared storage.
        STORAGE_DIR = [(1, 15, "high-availability.storageDir")];
        /// `host:port,host:port` of the ZooKeeper ensemble; no default, Flink refuses to start HA without it.
        ZOOKEEPER_QUORUM = [(1, 15, "high-availability.zookeeper.quorum")];
    }

    /// `HighAvailabilityMode` names.
    pub(crate) const KUBERNETES: &str = "kubernetes";
    pub(crate) const ZOOKEEPER: &str = "zookeeper";
}

/// Checkpointing (`ExecutionCheckpointingOptions` in 1.x, `CheckpointingOptions` in 2.x; docs/flink-config-keys.md,
/// "Checkpointing").
pub(crate) mod checkpointing {
    use super::*;
    keys! {
        /// No default: unset means checkpointing is off.
        INTERVAL = [(1, 15, "execution.checkpointing.interval")];
        MODE = [(1, 15, "execution.checkpointing.mode")];
        TIMEOUT = [(1, 15, "execution.checkpointing.timeout")];
        MIN_PAUSE = [(1, 15, "execution.checkpointing.min-pause")];
        MAX_CONCURRENT = [(1, 15, "execution.checkpointing.max-concurrent-checkpoints")];
        TOLERABLE_FAILURES = [(1, 15, "execution.checkpointing.tolerable-failed-checkpoints")];
        /// `...unaligned` until 1.16, `...unaligned.enabled` from 1.17.
        UNALIGNED = [(1, 15, "execution.checkpointing.unaligned"), (1, 17, "execution.checkpointing.unaligned.enabled")];
        EXTERNALIZED_RETENTION = [(1, 15, "execution.checkpointing.externalized-checkpoint-retention")];
        /// A TaskManager network option (`NettyShuffleEnvironmentOptions`), here for what it does: it sizes in-flight
        /// buffers to about a second of throughput so that barriers pass back-pressured channels sooner.
        BUFFER_DEBLOAT = [(1, 15, "taskmanager.network.memory.buffer-debloat.enabled")];
        /// How long an output buffer may wait to fill before it is sent (`ExecutionOptions`, default 100 ms);
        /// `execution.buffer-timeout.interval` from 1.16.
        BUFFER_TIMEOUT = [(1, 15, "execution.buffer-timeout"), (1, 16, "execution.buffer-timeout.interval")];
    }
}

/// Whether `key` is one of the checkpointing options (the `execution.checkpointing.` family).
pub(crate) fn is_checkpointing_option(key: &str) -> bool {
    key.starts_with("execution.checkpointing.")
}

/// Restart strategy (`RestartStrategyOptions`; docs/flink-config-keys.md, "Restart strategy").
pub(crate) mod restart {
    use super::*;
    keys! {
        /// `restart-strategy` until 1.16, `restart-strategy.type` from 1.17.
        STRATEGY = [(1, 15, "restart-strategy"), (1, 17, "restart-strategy.type")];
        FIXED_DELAY_ATTEMPTS = [(1, 15, "restart-strategy.fixed-delay.attempts")];
        FIXED_DELAY_DELAY = [(1, 15, "restart-strategy.fixed-delay.delay")];
        FAILURE_RATE_MAX_FAILURES = [(1, 15, "restart-strategy.failure-rate.max-failures-per-interval")];
        FAILURE_RATE_INTERVAL = [(1, 15, "restart-strategy.failure-rate.failure-rate-interval")];
        FAILURE_RATE_DELAY = [(1, 15, "restart-strategy.failure-rate.delay")];
        EXPONENTIAL_INITIAL_BACKOFF = [(1, 15, "restart-strategy.exponential-delay.initial-backoff")];
        EXPONENTIAL_MAX_BACKOFF = [(1, 15, "restart-strategy.exponential-delay.max-backoff")];
        EXPONENTIAL_MULTIPLIER = [(1, 15, "restart-strategy.exponential-delay.backoff-multiplier")];
        EXPONENTIAL_RESET_THRESHOLD = [(1, 15, "restart-strategy.exponential-delay.reset-backoff-threshold")];
        EXPONENTIAL_JITTER = [(1, 15, "restart-strategy.exponential-delay.jitter-factor")];
        /// New in 1.19.
        EXPONENTIAL_ATTEMPTS_BEFORE_RESET = [(1, 19, "restart-strategy.exponential-delay.attempts-before-reset-backoff")];
    }
}

/// The state backends a release can load by name (`StateBackendLoader`; `forst` is 2.x only,
/// docs/flink-config-keys.md, "State backend and checkpoint storage").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateBackendKind {
    HashMap,
    RocksDb,
    ForSt,
}

impl StateBackendKind {
    pub fn flink_name(self) -> &'static str {
        match self {
            StateBackendKind::HashMap => "hashmap",
            StateBackendKind::RocksDb => "rocksdb",
            StateBackendKind::ForSt => "forst",
        }
    }

    pub fn available_in(self, version: FlinkVersion) -> bool {
        self != StateBackendKind::ForSt || version.is_2x()
    }

    /// The backend a `state.backend.type` value loads, case-insensitively, with the pre-1.13 names that still load
    /// the heap backend (`StateBackendLoader`: `jobmanager` and `filesystem`); `None` for a factory class or anything
    /// else.
    pub(crate) fn from_flink_name(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "hashmap" | "jobmanager" | "filesystem" => Some(StateBackendKind::HashMap),
            "rocksdb" => Some(StateBackendKind::RocksDb),
            "forst" => Some(StateBackendKind::ForSt),
            _ => None,
        }
    }
}

/// `restart-strategy.type` values (`RestartStrategyOptions`; each has aliases, these are the documented names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartStrategyKind {
    Off,
    FixedDelay,
    FailureRate,
    ExponentialDelay,
}

impl RestartStrategyKind {
    pub fn flink_name(self) -> &'static str {
        match self {
            RestartStrategyKind::Off => "off",
            RestartStrategyKind::FixedDelay => "fixed-delay",
            RestartStrategyKind::FailureRate => "failure-rate",
            RestartStrategyKind::ExponentialDelay => "exponential-delay",
        }
    }
}

/// The `failure-rate` default delay, the same in every supported release.
pub(crate) const FAILURE_RATE_DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// `exponential-delay` defaults of one release: 1.19 lowered the maximum backoff (5 min to 1 min) and the multiplier
/// (2.0 to 1.5) and added `attempts-before-reset-backoff` (docs/flink-config-keys.md, "Restart strategy").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ExponentialDelayDefaults {
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    pub multiplier: f64,
    pub reset_threshold: Duration,
    pub jitter: f64,
    pub attempts_before_reset: Option<i32>,
}

pub(crate) fn exponential_delay_defaults(version: FlinkVersion) -> ExponentialDelayDefaults {
    let since_1_19 = version.at_least_line(FlinkVersion::line(1, 19));
    ExponentialDelayDefaults {
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(if since_1_19 { 60 } else { 300 }),
        multiplier: if since_1_19 { 1.5 } else { 2.0 },
        reset_threshold: Duration::from_secs(3600),
        jitter: 0.1,
        attempts_before_reset: since_1_19.then_some(i32::MAX),
    }
}

/// `execution.checkpointing.timeout` default in every supported release.
pub(crate) const CHECKPOINT_DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// `state.backend.rocksdb.predefined-options` values (`PredefinedOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RocksDbPredefinedOptions {
    Default,
    SpinningDiskOptimized,
    SpinningDiskOptimizedHighMem,
    FlashSsdOptimized,
}

impl RocksDbPredefinedOptions {
    pub(crate) fn flink_name(self) -> &'static str {
        match self {
            RocksDbPredefinedOptions::Default => "DEFAULT",
            RocksDbPredefinedOptions::SpinningDiskOptimized => "SPINNING_DISK_OPTIMIZED",
            RocksDbPredefinedOptions::SpinningDiskOptimizedHighMem => {
                "SPINNING_DISK_OPTIMIZED_HIGH_MEM"
            }
            RocksDbPredefinedOptions::FlashSsdOptimized => "FLASH_SSD_OPTIMIZED",
        }
    }
}

/// RocksDB's defaults for the managed-memory split (`RocksDBOptions`, all releases).
pub(crate) const ROCKSDB_DEFAULT_WRITE_BUFFER_RATIO: f64 = 0.5;
pub(crate) const ROCKSDB_DEFAULT_HIGH_PRIORITY_POOL_RATIO: f64 = 0.1;
pub(crate) const ROCKSDB_DEFAULT_THREADS: u32 = 2;
pub(crate) const ROCKSDB_DEFAULT_TRANSFER_THREADS: u32 = 4;

/// The enum constants Flink reads for checkpointing and timers (written as Flink's docs show them).
pub(crate) const CHECKPOINTING_MODE_EXACTLY_ONCE: &str = "EXACTLY_ONCE";
pub(crate) const CHECKPOINTING_MODE_AT_LEAST_ONCE: &str = "AT_LEAST_ONCE";
/// `restart-strategy.type` spellings that mean no restarts (`RestartStrategyOptions`).
pub(crate) const RESTART_OFF_ALIASES: [&str; 3] = ["none", "off", "disable"];
pub(crate) const RETAIN_ON_CANCELLATION: &str = "RETAIN_ON_CANCELLATION";
pub(crate) const DELETE_ON_CANCELLATION: &str = "DELETE_ON_CANCELLATION";
pub(crate) const TIMER_SERVICE_ROCKSDB: &str = "ROCKSDB";
/// The durable changelog storage (`StateChangelogOptions.STATE_CHANGE_LOG_STORAGE`).
pub(crate) const CHANGELOG_STORAGE_FILESYSTEM: &str = "filesystem";
pub(crate) const RUNTIME_MODE_BATCH: &str = "BATCH";
pub(crate) const FAILOVER_REGION: &str = "region";

/// The key-group bounds (`KeyGroupRangeAssignment`): max parallelism is at least 128 when derived and at most 32768.
/// `JobManagerCheckpointStorage`'s default `maxStateSize`: it refuses a checkpoint whose state is larger (5 MiB).
pub(crate) const JOBMANAGER_STORAGE_MAX_STATE: crate::flink::MemorySize =
    crate::flink::MemorySize::mebibytes(5);
/// The storage word that keeps checkpoints in the JobManager's heap.
pub(crate) const CHECKPOINT_STORAGE_JOBMANAGER: &str = "jobmanager";
/// `CheckpointCoordinatorConfiguration`: "The minimum checkpoint interval is 10 ms".
pub(crate) const MIN_CHECKPOINT_INTERVAL: Duration = Duration::from_millis(10);

pub(crate) const MAX_PARALLELISM_UPPER_BOUND: u32 = 32_768;
pub(crate) const DERIVED_MAX_PARALLELISM_LOWER_BOUND: u32 = 128;

/// Flink's own derivation when `pipeline.max-parallelism` is unset (`computeDefaultMaxParallelism`;
/// docs/flink-config-files.md, "Default max parallelism"):
/// `min(max(roundUpToPowerOfTwo(p + p / 2), 128), 32768)`.
pub(crate) fn derived_max_parallelism(parallelism: u32) -> u32 {
    let grown = parallelism
        .saturating_add(parallelism / 2)
        .next_power_of_two();
    grown.clamp(
        DERIVED_MAX_PARALLELISM_LOWER_BOUND,
        MAX_PARALLELISM_UPPER_BOUND,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> FlinkVersion {
        text.parse().unwrap()
    }

    #[test]
    fn keys_take_the_newest_spelling_the_release_knows() {
        assert_eq!(state::BACKEND.spelled_for(v("1.16")), Some("state.backend"));
        assert_eq!(
            state::BACKEND.spelled_for(v("1.17")),
            Some("state.backend.type")
        );
        assert_eq!(
            state::BACKEND.spelled_for(v("2.3.0")),
            Some("state.backend.type")
        );
        assert_eq!(
            state::INCREMENTAL.spelled_for(v("1.19")),
            Some("state.backend.incremental")
        );
        assert_eq!(
            state::INCREMENTAL.spelled_for(v("1.20.3")),
            Some("execution.checkpointing.incremental")
        );
        assert_eq!(
            checkpointing::UNALIGNED.spelled_for(v("1.16")),
            Some("execution.checkpointing.unaligned")
        );
        assert_eq!(
            restart::STRATEGY.spelled_for(v("1.18")),
            Some("restart-strategy.type")
        );
        assert_eq!(
            restart::EXPONENTIAL_ATTEMPTS_BEFORE_RESET.spelled_for(v("1.18")),
            None
        );
        assert!(
            restart::EXPONENTIAL_ATTEMPTS_BEFORE_RESET
                .spelled_for(v("1.19"))
                .is_some()
        );
    }

    #[test]
    fn exponential_delay_defaults_changed_in_1_19() {
        assert_eq!(
            exponential_delay_defaults(v("1.18")).max_backoff,
            Duration::from_secs(300)
        );
        assert_eq!(exponential_delay_defaults(v("1.18")).multiplier, 2.0);
        assert_eq!(
            exponential_delay_defaults(v("1.19")).max_backoff,
            Duration::from_secs(60)
        );
        assert_eq!(
            exponential_delay_defaults(v("2.3")).attempts_before_reset,
            Some(i32::MAX)
        );
    }

    #[test]
    fn derived_max_parallelism_matches_flink() {
        for (p, expected) in [
            (1, 128),
            (85, 128),
            (86, 256),
            (171, 256),
            (200, 512),
            (1000, 2048),
            (21_845, 32_768),
        ] {
            assert_eq!(derived_max_parallelism(p), expected, "p={p}");
        }
    }
}
