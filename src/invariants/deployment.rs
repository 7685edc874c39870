//! The plain-data view of a deployment the invariants judge: the configuration resolved as Flink would (memory by
//! `flink::memory`, options with their defaults for the release), the host when known, and the job's hints when
//! known. Built the same way from `recommend`'s settings and from any file `check` reads, so that one function judges
//! both.

use std::time::Duration;

use crate::flink::config::{Configuration, Entry};
use crate::flink::duration::parse_duration;
use crate::flink::job_options::{
    CHECKPOINT_DEFAULT_TIMEOUT, CHECKPOINT_STORAGE_JOBMANAGER, RUNTIME_MODE_BATCH,
    StateBackendKind, VersionedKey, checkpointing, cluster, state,
};
use crate::flink::jvm_options::{Collector, selected_collectors, taskmanager_flags};
use crate::flink::memory::{
    JobManagerMemory, TaskManagerMemory, jobmanager_memory, taskmanager_memory,
};
use crate::flink::options::taskmanager as tm;
use crate::flink::{FlinkVersion, MemorySize};
use crate::host::HostSpec;
use crate::profile::JobProfile;

/// Checkpoint settings as Flink reads them (defaults filled in).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Checkpointing {
    /// The interval as written; zero when written as zero.
    pub interval: Duration,
    pub timeout: Duration,
    pub min_pause: Duration,
    pub tolerated_failures: u32,
    pub directory: Option<String>,
    /// `jobmanager` storage: explicitly, or by default with no directory.
    pub in_jobmanager: bool,
    pub incremental: bool,
    pub changelog: bool,
}

/// What the invariants look at.
#[derive(Debug, Clone)]
pub(crate) struct Deployment {
    pub version: FlinkVersion,
    /// `None` when Flink's memory model rejects the configuration (check's memory rules report that).
    pub taskmanager: Option<TaskManagerMemory>,
    pub jobmanager: Option<JobManagerMemory>,
    pub slots: u32,
    /// The heap is sized by hand (task or framework heap set): the 31 GiB rule then defers to the user.
    pub heap_pinned: bool,
    pub network_min_set: bool,
    pub network_max_set: bool,
    pub parallelism: Option<u32>,
    pub max_parallelism: Option<u32>,
    pub backend: StateBackendKind,
    pub streaming: bool,
    /// `None` when checkpointing is off (no interval).
    pub checkpointing: Option<Checkpointing>,
    pub local_recovery: bool,
    /// The garbage collectors the TaskManagers' JVM options select, each once (none: Java's default, G1).
    pub taskmanager_collectors: Vec<Collector>,
    pub host: Option<HostSpec>,
    pub profile: Option<JobProfile>,
}

impl Deployment {
    /// The view of `configuration` for `version`, with the host and the job's hints where known.
    pub(crate) fn from_configuration(
        configuration: &Configuration,
        version: FlinkVersion,
        host: Option<&HostSpec>,
        profile: Option<&JobProfile>,
    ) -> Self {
        let taskmanager = taskmanager_memory(configuration, version, None).ok();
        let slots = taskmanager
            .as_ref()
            .map_or(1, |memory| u32::try_from(memory.slots).unwrap_or(1).max(1));
        let word = |key: VersionedKey| {
            lookup(configuration, key).map(|entry| text(entry).to_ascii_lowercase())
        };
        let flag = |key: VersionedKey| word(key).is_some_and(|value| value == "true");
        let duration = |key: VersionedKey| word(key).and_then(|value| parse_duration(&value).ok());
        let backend = match word(state::BACKEND).as_deref() {
            Some("rocksdb") => StateBackendKind::RocksDb,
            Some("forst") => StateBackendKind::ForSt,
            _ => StateBackendKind::HashMap,
        };
        let streaming = word(cluster::RUNTIME_MODE)
            .is_none_or(|mode| mode != RUNTIME_MODE_BATCH.to_ascii_lowercase());
        let directory = lookup(configuration, state::CHECKPOINT_DIR).map(text);
        let checkpointing = duration(checkpointing::INTERVAL).map(|interval| Checkpointing {
            interval,
            timeout: duration(checkpointing::TIMEOUT).unwrap_or(CHECKPOINT_DEFAULT_TIMEOUT),
            min_pause: duration(checkpointing::MIN_PAUSE).unwrap_or(Duration::ZERO),
            tolerated_failures: word(checkpointing::TOLERABLE_FAILURES)
                .and_then(|value| value.parse().ok())
                .unwrap_or(0),
            in_jobmanager: match word(state::CHECKPOINT_STORAGE) {
                Some(storage) => storage == CHECKPOINT_STORAGE_JOBMANAGER,
                None => directory.is_none(),
            },
            directory,
            incremental: flag(state::INCREMENTAL),
            changelog: flag(state::CHANGELOG),
        });
        let integer = |key: VersionedKey| word(key).and_then(|value| value.parse::<i64>().ok());
        Deployment {
            version,
            jobmanager: jobmanager_memory(configuration, version, None).ok(),
            taskmanager,
            slots,
            heap_pinned: configuration.contains(&tm::TASK_HEAP_MEMORY)
                || configuration.contains(&tm::FRAMEWORK_HEAP_MEMORY),
            network_min_set: configuration.contains(&tm::NETWORK_MEMORY_MIN),
            network_max_set: configuration.contains(&tm::NETWORK_MEMORY_MAX),
            parallelism: integer(cluster::PARALLELISM_DEFAULT).and_then(|p| u32::try_from(p).ok()),
            max_parallelism: integer(cluster::MAX_PARALLELISM).and_then(|p| u32::try_from(p).ok()),
            backend,
            streaming,
            checkpointing,
            local_recovery: flag(state::LOCAL_RECOVERY),
            taskmanager_collectors: selected_collectors(&taskmanager_flags(|key| {
                configuration.get(key).map(text)
            })),
            host: host.cloned(),
            profile: profile.cloned(),
        }
    }

    /// TaskManagers the job's subtasks occupy: its parallelism over the slots (at least one).
    pub(crate) fn taskmanagers_used(&self) -> u32 {
        self.parallelism
            .unwrap_or(self.slots)
            .max(1)
            .div_ceil(self.slots.max(1))
            .max(1)
    }

    /// The job's declared (or measured) state per TaskManager it occupies; `None` when unknown.
    pub(crate) fn state_per_taskmanager(&self) -> Option<MemorySize> {
        let state = self.profile.as_ref()?.state_size?;
        Some(MemorySize::from_bytes(
            state.bytes() / u64::from(self.taskmanagers_used()),
        ))
    }

    /// RocksDB or ForSt: state off the heap, in managed memory and on local disk.
    pub(crate) fn state_off_heap(&self) -> bool {
        matches!(
            self.backend,
            StateBackendKind::RocksDb | StateBackendKind::ForSt
        )
    }
}

/// Whether the JobManager shares the TaskManagers' host: when the user says so, and on a single host where nothing
/// else runs it: a development plan (issue 11, case 2: a 3 GiB TaskManager and a 2 GiB JobManager on 4 GiB) and a
/// standalone cluster of one host, whose `start-cluster.sh` starts both there. Uncounted, the outcome bench's
/// one-host plan put a 21.2 GiB TaskManager and the 1.6 GiB JobManager on 23.5 GiB, leaving the OS 0.7 GiB of the
/// 2.4 GiB reserve. YARN and Kubernetes run the JobManager in a container of its own.
pub(crate) fn jobmanager_shares_host(host: &HostSpec, profile: Option<&JobProfile>) -> bool {
    use crate::profile::{Deployment, Purpose};
    host.jobmanager_on_host
        || (host.hosts <= 1
            && profile.is_some_and(|profile| {
                profile.purpose == Purpose::Development
                    || profile.deployment == Deployment::Standalone
            }))
}

/// The entry for an option under any of its spellings, newest first.
fn lookup(configuration: &Configuration, key: VersionedKey) -> Option<&Entry> {
    key.all_spellings()
        .find_map(|spelling| configuration.get(spelling))
}

fn text(entry: &Entry) -> String {
    entry.value.java_string().trim().to_string()
}
