//! A snapshot of a running job: its graph, its cluster, and one or more samples of its metrics. Field names follow
//! Flink's REST API (docs/flink-rest-and-metrics.md); rates are per second, sizes in bytes, times
//! in milliseconds. A metric Flink did not report, or reported as "NaN", is `None`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSnapshot {
    /// `GET /overview` `flink-version`, e.g. "2.3.0".
    pub flink_version: String,
    pub slots_total: u32,
    pub slots_available: u32,
    pub taskmanagers: Vec<TaskManagerInfo>,
    pub job: JobGraph,
    /// Samples in time order; rates need at least one, variation needs several.
    pub samples: Vec<Sample>,
    pub checkpoints: CheckpointStats,
    /// The job's configuration as the JobManager reports it (`GET /jobs/:id/jobmanager/config` or the execution
    /// config), key to raw value.
    pub configuration: BTreeMap<String, String>,
    /// The job switched to RUNNING again between the read before the first sample and the read after the last:
    /// it failed and restarted, so the samples describe a recovery, not the job at work.
    #[serde(default)]
    pub restarted_while_sampled: bool,
}

/// `GET /taskmanagers` (and `/taskmanagers/:id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskManagerInfo {
    pub id: String,
    pub slots: u32,
    pub free_slots: u32,
    /// `hardware.cpuCores`: what the JVM sees.
    pub cpu_cores: f64,
    /// `hardware.physicalMemory`.
    pub physical_memory: u64,
    /// `memoryConfiguration.*` (bytes).
    pub total_process_memory: u64,
    pub total_flink_memory: u64,
    pub task_heap: u64,
    pub managed_memory: u64,
    pub network_memory: u64,
    pub jvm_metaspace: u64,
}

/// `GET /jobs/:id` and its `plan`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobGraph {
    pub id: String,
    pub name: String,
    pub state: String,
    /// `timestamps.RUNNING`, ms since the epoch.
    pub running_since: Option<u64>,
    /// How long the job had been RUNNING when its details were read: `now` less `timestamps.RUNNING`, both on the
    /// JobManager's clock (a restart moves `RUNNING`).
    #[serde(default)]
    pub running_for_ms: Option<u64>,
    /// In topological order (sources first), as the plan lists them.
    pub vertices: Vec<Vertex>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vertex {
    pub id: String,
    pub name: String,
    pub parallelism: u32,
    pub max_parallelism: u32,
    /// `slotSharingGroupId` where the REST API reports it.
    pub slot_sharing_group: Option<String>,
    /// Partitions of a Kafka or Pulsar source, counted from its metric names.
    pub source_partitions: Option<u32>,
}

/// A plan edge: `plan.nodes[].inputs[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `ship_strategy`: HASH, REBALANCE, FORWARD, RESCALE, BROADCAST, GLOBAL, ...
    pub ship_strategy: String,
}

/// Metrics taken at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// ms since the epoch.
    pub at: u64,
    /// By vertex id.
    pub vertices: BTreeMap<String, VertexMetrics>,
    pub taskmanagers: TaskManagerMetrics,
}

/// Min, max, average and sum over a vertex's subtasks (`/subtasks/metrics?get=...`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Aggregate {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub avg: Option<f64>,
    pub sum: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VertexMetrics {
    pub busy_time_ms_per_second: Aggregate,
    pub back_pressured_time_ms_per_second: Aggregate,
    pub idle_time_ms_per_second: Aggregate,
    pub records_in_per_second: Aggregate,
    pub records_out_per_second: Aggregate,
    /// Sum of `Source__*.numRecordsOutPerSecond` (what a source emits; its `numRecordsIn` is 0).
    pub source_records_out_per_second: Option<f64>,
    /// Sum of `*.pendingRecords` (FLIP-33 backlog of a source).
    pub pending_records: Option<f64>,
    /// `checkpointStartDelayNanos`: how long the last checkpoint's first barrier took to reach each subtask.
    #[serde(default)]
    pub checkpoint_start_delay_ns: Aggregate,
    /// `checkpointAlignmentTime`: how long each subtask's last barrier alignment took (tasks with network inputs).
    #[serde(default)]
    pub checkpoint_alignment_ns: Aggregate,
    /// The vertex's RocksDB state in bytes, summed over its subtasks and column families, when the job turns RocksDB's
    /// size metrics on: the live data of its SST files (or its memtables, where they hold more), or the SST files'
    /// size when only that gauge is on (src/edges/rest/parse.rs).
    #[serde(default)]
    pub rocksdb_state_bytes: Option<f64>,
}

/// `/taskmanagers/metrics?agg=min,max,avg` over all TaskManagers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TaskManagerMetrics {
    pub heap_used: Aggregate,
    pub heap_max: Aggregate,
    pub managed_used: Aggregate,
    pub metaspace_used: Aggregate,
    pub gc_time_ms_per_second: Aggregate,
    /// `Status.JVM.CPU.Load` (0 to 1, the JVM's share of the machine).
    pub cpu_load: Aggregate,
}

/// `GET /jobs/:id/checkpoints` and `/checkpoints/config`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CheckpointStats {
    pub completed: u64,
    pub failed: u64,
    pub interval_ms: Option<u64>,
    pub timeout_ms: Option<u64>,
    pub unaligned: Option<bool>,
    /// `summary.end_to_end_duration` p50 and max, ms.
    pub duration_p50_ms: Option<f64>,
    pub duration_max_ms: Option<f64>,
    /// `summary.checkpointed_size` (what the last checkpoints uploaded; the delta when incremental) p50, bytes.
    pub checkpointed_size_p50: Option<f64>,
    /// `summary.state_size` (the full state) p50, bytes.
    pub state_size_p50: Option<f64>,
    /// `summary.state_size` max: the largest full state a checkpoint held (state grows, so the latest is the largest).
    #[serde(default)]
    pub state_size_max: Option<f64>,
    /// `mode` of `/checkpoints/config`: EXACTLY_ONCE (barriers aligned) rather than AT_LEAST_ONCE.
    #[serde(default)]
    pub exactly_once: Option<bool>,
    /// `latest.failed.failure_message`: why the most recent failed checkpoint failed.
    #[serde(default)]
    pub last_failure: Option<String>,
}
