//! Cluster-wide advice from the samples: memory (GC pressure, heap, managed and metaspace use), checkpoints (interval
//! and timeout from measured durations, incremental, unaligned under backpressure), network memory for the
//! recommended parallelisms, slots and TaskManagers needed (per slot sharing group), and operator chains broken by a
//! FORWARD edge. Each finding can carry the setting that fixes it, which `recommend --from-cluster` folds in.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::advisor::checkpointing::STEPS;
use crate::advisor::layout::network_need;
use crate::cluster::series::SeriesStats;
use crate::cluster::{Aggregate, ClusterSnapshot};
use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{VersionedKey, checkpointing, cluster, state};
use crate::flink::options::taskmanager as tm;
use crate::flink::{FlinkVersion, MemorySize};

use super::parallelism::ParallelismAdvice;
use super::vertex_rates::VertexRates;

/// GC time from which the heap is too small for the job (10% of wall time).
pub(crate) const GC_PRESSURE_MS_PER_SECOND: f64 = 100.0;
/// Heap use from which the heap runs full.
pub(crate) const HEAP_FULL: f64 = 0.9;
/// Managed memory used below this share by RocksDB is over-reserved.
pub(crate) const MANAGED_UNUSED: f64 = 0.2;
/// A checkpoint taking more than this share of the interval leaves the job little time between checkpoints.
pub(crate) const CHECKPOINT_SHARE_OF_INTERVAL: f64 = 0.5;
/// Barrier travel and alignment time from which checkpoints suffer from backpressure.
pub(crate) const SLOW_BARRIER_MS: f64 = 1000.0;
/// Full state from which incremental checkpoints matter.
pub(crate) const LARGE_STATE_BYTES: f64 = (1u64 << 30) as f64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Capacity,
    Memory,
    Network,
    Checkpoints,
    Chaining,
}

/// The option a finding's fix sets: spelled the same in every release, or renamed between releases.
#[derive(Debug, Clone, Copy)]
pub enum FixKey {
    Stable(&'static str),
    Versioned(VersionedKey),
}

impl FixKey {
    /// The key `version` reads (the newest spelling where the release predates the option).
    pub fn spelled_for(self, version: FlinkVersion) -> &'static str {
        match self {
            FixKey::Stable(key) => key,
            FixKey::Versioned(key) => key.for_version(version),
        }
    }
}

impl PartialEq for FixKey {
    fn eq(&self, other: &Self) -> bool {
        self.spelled_for(FlinkVersion::line(2, 3)) == other.spelled_for(FlinkVersion::line(2, 3))
    }
}

impl Serialize for FixKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.spelled_for(FlinkVersion::line(2, 3)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterFinding {
    pub area: Area,
    pub message: String,
    pub fix: String,
    /// The setting that applies the fix, when one does.
    pub setting: Option<(FixKey, String)>,
}

fn finding(area: Area, message: String, fix: String) -> ClusterFinding {
    ClusterFinding {
        area,
        message,
        fix,
        setting: None,
    }
}

/// The busiest TaskManager's value, averaged over the samples.
fn busiest(
    snapshot: &ClusterSnapshot,
    pick: fn(&crate::cluster::TaskManagerMetrics) -> &Aggregate,
) -> Option<f64> {
    SeriesStats::of(
        snapshot
            .samples
            .iter()
            .map(|sample| pick(&sample.taskmanagers).max),
    )
    .mean
}

pub(crate) fn memory(snapshot: &ClusterSnapshot) -> Vec<ClusterFinding> {
    let mut findings = Vec::new();
    if let Some(gc) = busiest(snapshot, |t| &t.gc_time_ms_per_second)
        && gc >= GC_PRESSURE_MS_PER_SECOND
    {
        findings.push(finding(
            Area::Memory,
            format!("garbage collection takes {:.0}% of the busiest TaskManager's time", gc / 10.0),
            "give tasks more heap (a lower managed fraction, or a larger process), or move heap state to RocksDB".to_string(),
        ));
    }
    if let (Some(used), Some(max)) = (
        busiest(snapshot, |t| &t.heap_used),
        busiest(snapshot, |t| &t.heap_max),
    ) && max > 0.0
        && used / max >= HEAP_FULL
    {
        findings.push(finding(
            Area::Memory,
            format!("the heap runs {:.0}% full", used / max * 100.0),
            format!("raise {} (or the process size)", tm::TASK_HEAP_MEMORY.key),
        ));
    }
    let rocksdb = state::BACKEND
        .all_spellings()
        .find_map(|key| snapshot.configuration.get(key))
        .is_some_and(|backend| backend.eq_ignore_ascii_case("rocksdb"));
    let managed_total: u64 = snapshot
        .taskmanagers
        .iter()
        .map(|t| t.managed_memory)
        .max()
        .unwrap_or(0);
    if let Some(used) = busiest(snapshot, |t| &t.managed_used)
        && managed_total > 0
    {
        let share = used / managed_total as f64;
        if !rocksdb && used == 0.0 {
            findings.push(ClusterFinding {
                area: Area::Memory,
                message: format!(
                    "{} of managed memory per TaskManager is reserved and unused (no RocksDB, no batch operators)",
                    crate::text::units::show(MemorySize::from_bytes(managed_total))
                ),
                fix: "set the managed fraction to 0 so the heap gets it".to_string(),
                setting: Some((FixKey::Stable(tm::MANAGED_MEMORY_FRACTION.key), "0.0".to_string())),
            });
        } else if rocksdb && share < MANAGED_UNUSED {
            findings.push(finding(
                Area::Memory,
                format!("RocksDB uses {:.0}% of its managed memory", share * 100.0),
                "a lower managed fraction leaves more heap; keep it if the state will grow"
                    .to_string(),
            ));
        }
    }
    if let Some(used) = busiest(snapshot, |t| &t.metaspace_used)
        && let Some(limit) = snapshot.taskmanagers.iter().map(|t| t.jvm_metaspace).max()
        && limit > 0
        && used / limit as f64 >= HEAP_FULL
    {
        let raised = MemorySize::from_bytes((limit * 2).next_multiple_of(1 << 20));
        findings.push(ClusterFinding {
            area: Area::Memory,
            message: format!("metaspace is {:.0}% used", used / limit as f64 * 100.0),
            fix: "raise it before classes of the next job run it out (OutOfMemoryError: Metaspace)"
                .to_string(),
            setting: Some((
                FixKey::Stable(tm::JVM_METASPACE.key),
                crate::advisor::SettingValue::Size(raised).to_string(),
            )),
        });
    }
    findings
}

pub(crate) fn checkpoints(
    snapshot: &ClusterSnapshot,
    rates: &BTreeMap<String, VertexRates>,
) -> Vec<ClusterFinding> {
    let stats = &snapshot.checkpoints;
    let mut findings = Vec::new();
    if let (Some(interval), Some(p50)) = (stats.interval_ms, stats.duration_p50_ms)
        && interval > 0
        && p50 > interval as f64 * CHECKPOINT_SHARE_OF_INTERVAL
    {
        let wanted = Duration::from_millis((p50 * 2.0) as u64);
        let longer = STEPS
            .iter()
            .copied()
            .find(|step| *step >= wanted)
            .unwrap_or(wanted);
        findings.push(ClusterFinding {
            area: Area::Checkpoints,
            message: format!(
                "checkpoints take {} (median) of a {} interval: the job spends much of its time checkpointing",
                FlinkDuration(Duration::from_millis(p50 as u64)),
                FlinkDuration(Duration::from_millis(interval))
            ),
            fix: "lengthen the interval to at least twice the checkpoint duration".to_string(),
            setting: Some((FixKey::Versioned(checkpointing::INTERVAL), FlinkDuration(longer).to_string())),
        });
    }
    if let (Some(timeout), Some(max)) = (stats.timeout_ms, stats.duration_max_ms)
        && (timeout as f64) < max * 2.0
    {
        let raised = Duration::from_millis((max * 3.0) as u64).max(Duration::from_secs(60));
        let raised = Duration::from_secs(raised.as_secs().div_ceil(60) * 60);
        findings.push(ClusterFinding {
            area: Area::Checkpoints,
            message: format!(
                "the slowest checkpoint took {}, close to the {} timeout",
                FlinkDuration(Duration::from_millis(max as u64)),
                FlinkDuration(Duration::from_millis(timeout))
            ),
            fix: "raise the timeout to three times the slowest checkpoint".to_string(),
            setting: Some((
                FixKey::Versioned(checkpointing::TIMEOUT),
                FlinkDuration(raised).to_string(),
            )),
        });
    }
    if stats.failed > 0 {
        findings.push(finding(
            Area::Checkpoints,
            format!(
                "{} of {} checkpoints failed",
                stats.failed,
                stats.failed + stats.completed
            ),
            "look at the JobManager log for the cause (timeouts, storage errors)".to_string(),
        ));
    }
    if let (Some(full), Some(uploaded)) = (stats.state_size_p50, stats.checkpointed_size_p50)
        && full >= LARGE_STATE_BYTES
        && uploaded >= full * 0.9
    {
        findings.push(ClusterFinding {
            area: Area::Checkpoints,
            message: format!(
                "every checkpoint uploads the full {} of state",
                crate::text::units::show(MemorySize::from_bytes(full as u64))
            ),
            fix: "incremental checkpoints upload only what changed (RocksDB)".to_string(),
            setting: Some((FixKey::Versioned(state::INCREMENTAL), "true".to_string())),
        });
    }
    if let Some(slow) = slow_barriers(stats, rates) {
        findings.push(slow);
    }
    findings
}

/// Barriers that queue behind back-pressured buffers: the checkpoint waits for in-flight data to drain before each
/// task can snapshot (Flink docs, "Checkpointing under backpressure"). Unaligned checkpoints let barriers overtake
/// the buffers (exactly-once only); buffer debloating shrinks what is in flight (either mode). Both treat the
/// symptom; the parallelism advice treats the backpressure.
fn slow_barriers(
    stats: &crate::cluster::CheckpointStats,
    rates: &BTreeMap<String, VertexRates>,
) -> Option<ClusterFinding> {
    let back_pressured = rates
        .values()
        .any(|r| r.back_pressure.is_some_and(|bp| bp >= 500.0));
    let slowest = rates
        .values()
        .map(|r| r.barrier_delay_ms.unwrap_or(0.0) + r.alignment_ms.unwrap_or(0.0))
        .fold(0.0, f64::max);
    if !back_pressured || slowest < SLOW_BARRIER_MS || stats.unaligned == Some(true) {
        return None;
    }
    let message = format!(
        "checkpoint barriers take {} to pass the back-pressured buffers (checkpointStartDelayNanos + \
         checkpointAlignmentTime of the slowest task)",
        FlinkDuration(Duration::from_millis(slowest as u64))
    );
    Some(if stats.exactly_once == Some(false) {
        ClusterFinding {
            area: Area::Checkpoints,
            message,
            fix:
                "buffer debloating keeps about a second of data in flight, so barriers pass sooner"
                    .to_string(),
            setting: Some((
                FixKey::Versioned(checkpointing::BUFFER_DEBLOAT),
                "true".to_string(),
            )),
        }
    } else {
        ClusterFinding {
            area: Area::Checkpoints,
            message,
            fix: "unaligned checkpoints let barriers overtake the backlog (exactly-once is kept; buffer debloating \
                  is the alternative that keeps checkpoints small)"
                .to_string(),
            setting: Some((FixKey::Versioned(checkpointing::UNALIGNED), "true".to_string())),
        }
    })
}

/// Slots and TaskManagers the recommended parallelisms need (one slot per subtask of the widest vertex in each slot
/// sharing group), and network memory for the widest shuffle.
pub(crate) fn capacity(
    snapshot: &ClusterSnapshot,
    advice: &BTreeMap<String, ParallelismAdvice>,
) -> Vec<ClusterFinding> {
    let mut findings = Vec::new();
    let mut groups: BTreeMap<&str, u32> = BTreeMap::new();
    for vertex in &snapshot.job.vertices {
        let p = advice
            .get(&vertex.id)
            .map_or(vertex.parallelism, |a| a.recommended);
        let group = vertex.slot_sharing_group.as_deref().unwrap_or("default");
        let widest = groups.entry(group).or_insert(0);
        *widest = (*widest).max(p);
    }
    let needed: u32 = groups.values().sum();
    let slots_per_tm = snapshot
        .taskmanagers
        .iter()
        .map(|t| t.slots)
        .max()
        .unwrap_or(1)
        .max(1);
    if needed > snapshot.slots_total {
        let taskmanagers = needed.div_ceil(slots_per_tm);
        findings.push(finding(
            Area::Capacity,
            format!(
                "the recommended parallelisms need {needed} slots ({} slot sharing group{}); the cluster has {}",
                groups.len(),
                if groups.len() == 1 { "" } else { "s" },
                snapshot.slots_total
            ),
            format!(
                "run {taskmanagers} TaskManagers of {slots_per_tm} slots ({} more), or more slots per TaskManager",
                taskmanagers.saturating_sub(snapshot.taskmanagers.len() as u32)
            ),
        ));
    }
    let widest = advice.values().map(|a| a.recommended).max().unwrap_or(1);
    let need = network_need(slots_per_tm, widest);
    if let Some(network) = snapshot.taskmanagers.iter().map(|t| t.network_memory).min()
        && network > 0
        && need.bytes() > network
    {
        let size = MemorySize::from_bytes(need.bytes().div_ceil(1 << 20) << 20);
        findings.push(ClusterFinding {
            area: Area::Network,
            message: format!(
                "{slots_per_tm} slots shuffling with {widest} subtasks need about {} of network buffers; TaskManagers have {}",
                crate::text::units::show(need),
                crate::text::units::show(MemorySize::from_bytes(network))
            ),
            fix: "raise network memory before rescaling, or the job fails with \"Insufficient number of network buffers\"".to_string(),
            setting: Some((
                FixKey::Stable(tm::NETWORK_MEMORY_MIN.key),
                crate::advisor::SettingValue::Size(size).to_string(),
            )),
        });
    }
    findings
}

/// FORWARD edges between vertices of equal parallelism that Flink did not chain.
pub(crate) fn chaining(snapshot: &ClusterSnapshot) -> Vec<ClusterFinding> {
    // The key as the cluster's release spells it; the newest spelling when the release is one flinktune does not know.
    let chaining_key = snapshot
        .flink_version
        .parse::<FlinkVersion>()
        .map_or(cluster::OPERATOR_CHAINING.newest(), |version| {
            cluster::OPERATOR_CHAINING.for_version(version)
        });
    let job = &snapshot.job;
    let vertex = |id: &str| job.vertices.iter().find(|v| v.id == id);
    job.edges
        .iter()
        .filter(|edge| edge.ship_strategy.eq_ignore_ascii_case("FORWARD"))
        .filter_map(|edge| {
            let (from, to) = (vertex(&edge.from)?, vertex(&edge.to)?);
            (from.parallelism == to.parallelism).then(|| {
                finding(
                    Area::Chaining,
                    format!(
                        "'{}' -> '{}' is a FORWARD edge between equal parallelisms but not chained: every record is \
                         serialized and sent between them",
                        from.name, to.name
                    ),
                    if from.slot_sharing_group != to.slot_sharing_group {
                        "put both in the same slot sharing group".to_string()
                    } else {
                        format!(
                            "remove disableChaining()/startNewChain() there (or {chaining_key}: false)"
                        )
                    },
                )
            })
        })
        .collect()
}
