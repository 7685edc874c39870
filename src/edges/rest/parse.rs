//! Pure functions from the JSON of each REST endpoint to the model of [`crate::cluster`]. They accept the shapes of
//! Flink 1.15 to 2.3: fields added later are optional, and a number may arrive as a JSON number or as a string
//! ("NaN", "Infinity" and "-Infinity" before the first checkpoint or when a gauge has no value), which counts as
//! missing when it is not finite.

use std::collections::BTreeMap;

use serde_json::Value;

use super::metric_names as names;
use crate::cluster::{
    Aggregate, CheckpointStats, Edge, JobGraph, TaskManagerInfo, TaskManagerMetrics, Vertex,
    VertexMetrics,
};

/// What was wrong with a response; the caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

fn missing(what: &str) -> ParseError {
    ParseError(format!("no {what}"))
}

/// A finite number from a JSON number or a numeric string; `None` for "NaN", infinities, null and anything else.
pub(crate) fn number(value: &Value) -> Option<f64> {
    let parsed = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    parsed.filter(|n| n.is_finite())
}

/// The largest metric value we believe: every metric flinktune reads (times per second, rates, record counts, bytes,
/// CPU load) is non-negative and far below this; beyond it a server's value (e.g. -1e308) is noise, and using it
/// printed 300-digit numbers and negative percentages.
const METRIC_CEILING: f64 = 1e18;

/// A metric value in `[0, METRIC_CEILING]`; anything else counts as missing.
fn metric_number(value: &Value, key: &str) -> Option<f64> {
    field_number(value, key).filter(|n| (0.0..=METRIC_CEILING).contains(n))
}

fn field_number(value: &Value, key: &str) -> Option<f64> {
    value.get(key).and_then(number)
}

/// A non-negative integer (numbers beyond u64 or negative ones count as missing).
fn field_u64(value: &Value, key: &str) -> Option<u64> {
    let field = value.get(key)?;
    field.as_u64().or_else(|| {
        number(field)
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n < u64::MAX as f64)
            .map(|n| n as u64)
    })
}

fn field_u32(value: &Value, key: &str) -> Option<u32> {
    field_u64(value, key).and_then(|n| u32::try_from(n).ok())
}

fn field_str<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn array<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>, ParseError> {
    value
        .as_array()
        .ok_or_else(|| ParseError(format!("{what} is not a JSON array")))
}

/// `GET /overview`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub flink_version: String,
    pub taskmanagers: u32,
    pub slots_total: u32,
    pub slots_available: u32,
}

pub fn overview(value: &Value) -> Result<Overview, ParseError> {
    Ok(Overview {
        flink_version: field_str(value, "flink-version")
            .ok_or_else(|| missing("flink-version"))?
            .to_string(),
        taskmanagers: field_u32(value, "taskmanagers").unwrap_or(0),
        slots_total: field_u32(value, "slots-total").ok_or_else(|| missing("slots-total"))?,
        slots_available: field_u32(value, "slots-available").unwrap_or(0),
    })
}

/// `GET /taskmanagers`. Sizes Flink does not report (before 1.12's memoryConfiguration) are 0.
pub fn taskmanagers(value: &Value) -> Result<Vec<TaskManagerInfo>, ParseError> {
    let list = value
        .get("taskmanagers")
        .ok_or_else(|| missing("taskmanagers"))?;
    array(list, "taskmanagers")?
        .iter()
        .map(|tm| {
            let hardware = tm.get("hardware").unwrap_or(&Value::Null);
            let memory = tm.get("memoryConfiguration").unwrap_or(&Value::Null);
            let size = |key| field_u64(memory, key).unwrap_or(0);
            Ok(TaskManagerInfo {
                id: field_str(tm, "id")
                    .ok_or_else(|| missing("taskmanagers[].id"))?
                    .to_string(),
                slots: field_u32(tm, "slotsNumber").unwrap_or(0),
                free_slots: field_u32(tm, "freeSlots").unwrap_or(0),
                cpu_cores: field_number(hardware, "cpuCores").unwrap_or(0.0),
                physical_memory: field_u64(hardware, "physicalMemory").unwrap_or(0),
                total_process_memory: size("totalProcessMemory"),
                total_flink_memory: size("totalFlinkMemory"),
                task_heap: size("taskHeap"),
                managed_memory: size("managedMemory"),
                network_memory: size("networkMemory"),
                jvm_metaspace: size("jvmMetaspace"),
            })
        })
        .collect()
}

/// One line of `GET /jobs/overview`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JobSummary {
    pub id: String,
    pub name: String,
    pub state: String,
}

pub(crate) fn jobs_overview(value: &Value) -> Result<Vec<JobSummary>, ParseError> {
    let jobs = value.get("jobs").ok_or_else(|| missing("jobs"))?;
    array(jobs, "jobs")?
        .iter()
        .map(|job| {
            Ok(JobSummary {
                id: field_str(job, "jid")
                    .ok_or_else(|| missing("jobs[].jid"))?
                    .to_string(),
                name: field_str(job, "name").unwrap_or_default().to_string(),
                state: field_str(job, "state").unwrap_or_default().to_string(),
            })
        })
        .collect()
}

/// `GET /jobs/:jid`: vertices in the plan's order (topological, sources first), then any the plan leaves out;
/// edges from `plan.nodes[].inputs[]`.
pub fn job_graph(value: &Value) -> Result<JobGraph, ParseError> {
    let job_max_parallelism = field_u32(value, "maxParallelism");
    let mut by_id: BTreeMap<String, Vertex> = BTreeMap::new();
    let mut listed_order = Vec::new();
    for vertex in array(
        value.get("vertices").ok_or_else(|| missing("vertices"))?,
        "vertices",
    )? {
        let id = field_str(vertex, "id")
            .ok_or_else(|| missing("vertices[].id"))?
            .to_string();
        // Parallelism 0 is no running vertex: every ratio over it would divide by zero.
        let parallelism = field_u32(vertex, "parallelism")
            .filter(|p| *p > 0)
            .ok_or_else(|| missing("vertices[].parallelism (a positive count)"))?;
        listed_order.push(id.clone());
        by_id.insert(
            id.clone(),
            Vertex {
                id,
                name: field_str(vertex, "name").unwrap_or_default().to_string(),
                parallelism,
                max_parallelism: field_u32(vertex, "maxParallelism")
                    .or(job_max_parallelism)
                    .unwrap_or(parallelism),
                slot_sharing_group: field_str(vertex, "slotSharingGroupId").map(str::to_string),
                source_partitions: None,
            },
        );
    }
    let nodes = match value.get("plan").and_then(|plan| plan.get("nodes")) {
        Some(nodes) => array(nodes, "plan.nodes")?.as_slice(),
        None => &[],
    };
    let mut vertices = Vec::with_capacity(by_id.len());
    let mut edges = Vec::new();
    for node in nodes {
        let Some(id) = field_str(node, "id") else {
            continue;
        };
        if let Some(vertex) = by_id.remove(id) {
            vertices.push(vertex);
        }
        for input in node
            .get("inputs")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if let Some(from) = field_str(input, "id") {
                edges.push(Edge {
                    from: from.to_string(),
                    to: id.to_string(),
                    ship_strategy: field_str(input, "ship_strategy")
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
    }
    vertices.extend(listed_order.iter().filter_map(|id| by_id.remove(id)));
    let running_since = value
        .get("timestamps")
        .and_then(|t| field_u64(t, "RUNNING"))
        .filter(|ms| *ms > 0);
    Ok(JobGraph {
        id: field_str(value, "jid")
            .ok_or_else(|| missing("jid"))?
            .to_string(),
        name: field_str(value, "name").unwrap_or_default().to_string(),
        state: field_str(value, "state").unwrap_or_default().to_string(),
        running_since,
        running_for_ms: running_since
            .zip(field_u64(value, "now"))
            .map(|(since, now)| now.saturating_sub(since)),
        vertices,
        edges,
    })
}

/// `[{id}]` of a metric listing (`.../metrics` without `get`).
pub(crate) fn metric_names(value: &Value) -> Result<Vec<String>, ParseError> {
    Ok(array(value, "the metric listing")?
        .iter()
        .filter_map(|entry| field_str(entry, "id").map(str::to_string))
        .collect())
}

/// `[{id,min,max,avg,sum[,skew]}]` of an aggregated metric endpoint, by name; `[]` (a requested metric had no value)
/// gives an empty map.
pub fn aggregates(value: &Value) -> Result<BTreeMap<String, Aggregate>, ParseError> {
    Ok(array(value, "the aggregated metrics")?
        .iter()
        .filter_map(|entry| {
            let id = field_str(entry, "id")?;
            let aggregate = Aggregate {
                min: metric_number(entry, "min"),
                max: metric_number(entry, "max"),
                avg: metric_number(entry, "avg"),
                sum: metric_number(entry, "sum"),
            };
            Some((id.to_string(), aggregate))
        })
        .collect())
}

/// A vertex's metrics from its aggregates.
pub fn vertex_metrics(aggregates: &BTreeMap<String, Aggregate>) -> VertexMetrics {
    let get = |name: &str| aggregates.get(name).copied().unwrap_or_default();
    let sum_of = |matches: fn(&str) -> bool| {
        aggregates
            .iter()
            .filter(|(name, _)| matches(name))
            .filter_map(|(_, aggregate)| aggregate.sum)
            .reduce(|a, b| a + b)
    };
    VertexMetrics {
        busy_time_ms_per_second: get(names::BUSY_TIME),
        back_pressured_time_ms_per_second: get(names::BACK_PRESSURED_TIME),
        idle_time_ms_per_second: get(names::IDLE_TIME),
        records_in_per_second: get(names::RECORDS_IN_RATE),
        records_out_per_second: get(names::RECORDS_OUT_RATE),
        source_records_out_per_second: sum_of(names::is_source_records_out),
        pending_records: sum_of(names::is_pending_records),
        checkpoint_start_delay_ns: get(names::CHECKPOINT_START_DELAY),
        checkpoint_alignment_ns: get(names::CHECKPOINT_ALIGNMENT_TIME),
        rocksdb_state_bytes: rocksdb_state_bytes(aggregates),
    }
}

/// RocksDB's live data, summed over the subtasks, or its memtables where they hold more (a state not yet flushed
/// to an SST file); not their sum, since a memtable mostly holds new values of keys the SST files have (measured on a
/// real 2.3.0 job rewriting 49 MiB of values: live data 55 MB, the sum 111 MiB). The SST files' total size (live
/// data and data compaction has yet to drop) where the live-data gauge is off.
fn rocksdb_state_bytes(aggregates: &BTreeMap<String, Aggregate>) -> Option<f64> {
    let sum_of = |suffix: &str| {
        aggregates
            .iter()
            .filter(|(name, _)| name.ends_with(suffix))
            .filter_map(|(_, aggregate)| aggregate.sum)
            .filter(|bytes| bytes.is_finite() && *bytes >= 0.0)
            .reduce(|a, b| a + b)
    };
    match sum_of(names::ROCKSDB_LIVE_DATA_SUFFIX) {
        Some(live) => Some(live.max(sum_of(names::ROCKSDB_MEMTABLES_SUFFIX).unwrap_or(0.0))),
        None => sum_of(names::ROCKSDB_SST_FILES_SUFFIX),
    }
}

/// TaskManager metrics from `/taskmanagers/metrics?agg=min,max,avg`.
pub fn taskmanager_metrics(aggregates: &BTreeMap<String, Aggregate>) -> TaskManagerMetrics {
    let get = |name: &str| aggregates.get(name).copied().unwrap_or_default();
    TaskManagerMetrics {
        heap_used: get(names::TM_HEAP_USED),
        heap_max: get(names::TM_HEAP_MAX),
        managed_used: get(names::TM_MANAGED_USED),
        metaspace_used: get(names::TM_METASPACE_USED),
        gc_time_ms_per_second: get(names::TM_GC_TIME),
        cpu_load: get(names::TM_CPU_LOAD),
    }
}

/// Flink reports a disabled interval as Long.MAX_VALUE.
const DISABLED_INTERVAL_MS: u64 = i64::MAX as u64;

/// `GET /jobs/:jid/checkpoints` and, when checkpointing is enabled, `/checkpoints/config`. Percentiles before the
/// first completed checkpoint ("NaN", or 0 with no checkpoint behind it) are `None`.
pub fn checkpoints(stats: &Value, config: Option<&Value>) -> Result<CheckpointStats, ParseError> {
    let counts = stats.get("counts").ok_or_else(|| missing("counts"))?;
    let completed = field_u64(counts, "completed").unwrap_or(0);
    let summary = stats
        .get("summary")
        .filter(|_| completed > 0)
        .unwrap_or(&Value::Null);
    let statistic =
        |name: &str, which: &str| summary.get(name).and_then(|s| field_number(s, which));
    let config = config.unwrap_or(&Value::Null);
    Ok(CheckpointStats {
        completed,
        failed: field_u64(counts, "failed").unwrap_or(0),
        interval_ms: field_u64(config, "interval").filter(|ms| *ms < DISABLED_INTERVAL_MS),
        timeout_ms: field_u64(config, "timeout"),
        unaligned: config.get("unaligned_checkpoints").and_then(Value::as_bool),
        duration_p50_ms: statistic("end_to_end_duration", "p50"),
        duration_max_ms: statistic("end_to_end_duration", "max"),
        checkpointed_size_p50: statistic("checkpointed_size", "p50"),
        state_size_p50: statistic("state_size", "p50"),
        state_size_max: statistic("state_size", "max"),
        exactly_once: field_str(config, "mode")
            .map(|mode| mode.eq_ignore_ascii_case("exactly_once")),
        last_failure: stats
            .get("latest")
            .and_then(|latest| latest.get("failed"))
            .and_then(|failed| field_str(failed, "failure_message"))
            .map(str::to_string),
    })
}

/// `[{key,value}]` of `/jobs/:jid/jobmanager/config` or `/jobmanager/config`.
pub fn configuration(value: &Value) -> Result<BTreeMap<String, String>, ParseError> {
    Ok(array(value, "the configuration")?
        .iter()
        .filter_map(|entry| {
            let key = field_str(entry, "key")?;
            let value = match entry.get("value")? {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((key.to_string(), value))
        })
        .collect())
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
