//! Which metrics flinktune asks Flink for, and what their names reveal. Flink's aggregated metric endpoints answer
//! `[]` when any requested name is missing, so a request lists only names that the vertex's (or TaskManagers')
//! listing showed; a Kafka or Pulsar source's partition count is read from the names alone, as the autoscaler does
//! (docs/flink-rest-and-metrics.md, "Metric names").

use std::collections::BTreeSet;

pub(crate) const BUSY_TIME: &str = "busyTimeMsPerSecond";
pub(crate) const BACK_PRESSURED_TIME: &str = "backPressuredTimeMsPerSecond";
pub(crate) const IDLE_TIME: &str = "idleTimeMsPerSecond";
pub(crate) const RECORDS_IN_RATE: &str = "numRecordsInPerSecond";
pub(crate) const RECORDS_OUT_RATE: &str = "numRecordsOutPerSecond";
/// Prefix of a source operator's own metrics (`Source__<name>.<metric>`).
pub(crate) const SOURCE_PREFIX: &str = "Source__";
/// FLIP-33 backlog of a source: `<operator>.pendingRecords`.
pub(crate) const PENDING_RECORDS_SUFFIX: &str = ".pendingRecords";
/// Nanoseconds from a checkpoint's trigger until its first barrier reached the task (the last checkpoint's): barriers
/// queue behind in-flight buffers, so it grows with backpressure.
pub(crate) const CHECKPOINT_START_DELAY: &str = "checkpointStartDelayNanos";
/// Nanoseconds the task's last barrier alignment took (tasks with network inputs only).
pub(crate) const CHECKPOINT_ALIGNMENT_TIME: &str = "checkpointAlignmentTime";
/// RocksDB's native size gauges, one per column family of each stateful operator, when the job turns them on
/// (`state.backend.rocksdb.metrics.*`): `<operator>.<state name>.rocksdb_estimate-live-data-size` in the aggregated
/// subtask listing (Flink 2.3.0, seen on a real cluster; the property's dot becomes `_`; docs/flink-rest-and-metrics.md).
pub(crate) const ROCKSDB_LIVE_DATA_SUFFIX: &str = ".rocksdb_estimate-live-data-size";
pub(crate) const ROCKSDB_SST_FILES_SUFFIX: &str = ".rocksdb_total-sst-files-size";
pub(crate) const ROCKSDB_MEMTABLES_SUFFIX: &str = ".rocksdb_cur-size-all-mem-tables";
/// Task metrics requested for every vertex that has them. Every task with network inputs has all of them (Flink
/// 1.15 to 2.3: the recorded listings in tests/fixtures/rest), so they are asked for without listing its names.
pub(crate) const TASK_METRICS: [&str; 7] = [
    BUSY_TIME,
    BACK_PRESSURED_TIME,
    IDLE_TIME,
    RECORDS_IN_RATE,
    RECORDS_OUT_RATE,
    CHECKPOINT_START_DELAY,
    CHECKPOINT_ALIGNMENT_TIME,
];

pub(crate) const TM_HEAP_USED: &str = "Status.JVM.Memory.Heap.Used";
pub(crate) const TM_HEAP_MAX: &str = "Status.JVM.Memory.Heap.Max";
pub(crate) const TM_MANAGED_USED: &str = "Status.Flink.Memory.Managed.Used";
pub(crate) const TM_METASPACE_USED: &str = "Status.JVM.Memory.Metaspace.Used";
/// Newer Flink only; the autoscaler probes for it.
pub(crate) const TM_GC_TIME: &str = "Status.JVM.GarbageCollector.All.TimeMsPerSecond";
pub(crate) const TM_CPU_LOAD: &str = "Status.JVM.CPU.Load";
pub(crate) const TM_METRICS: [&str; 6] = [
    TM_HEAP_USED,
    TM_HEAP_MAX,
    TM_MANAGED_USED,
    TM_METASPACE_USED,
    TM_GC_TIME,
    TM_CPU_LOAD,
];

/// Is `name` a source operator's output rate (`Source__<op>.numRecordsOutPerSecond`)?
pub(crate) fn is_source_records_out(name: &str) -> bool {
    name.starts_with(SOURCE_PREFIX) && name.ends_with(&format!(".{RECORDS_OUT_RATE}"))
}

pub(crate) fn is_pending_records(name: &str) -> bool {
    name.ends_with(PENDING_RECORDS_SUFFIX)
}

pub(crate) fn is_rocksdb_size(name: &str) -> bool {
    [
        ROCKSDB_LIVE_DATA_SUFFIX,
        ROCKSDB_SST_FILES_SUFFIX,
        ROCKSDB_MEMTABLES_SUFFIX,
    ]
    .iter()
    .any(|suffix| name.ends_with(suffix))
}

/// The names to request for a vertex, out of those its listing showed: the task metrics, every source output rate,
/// every pending-records gauge and every RocksDB size gauge. Sorted, without duplicates.
pub(crate) fn vertex_request(available: &[String]) -> Vec<String> {
    let wanted: BTreeSet<&String> = available
        .iter()
        .filter(|name| {
            TASK_METRICS.contains(&name.as_str())
                || is_source_records_out(name)
                || is_pending_records(name)
                || is_rocksdb_size(name)
        })
        .collect();
    wanted.into_iter().cloned().collect()
}

/// The TaskManager metric names to request, out of those the listing showed, in [`TM_METRICS`] order.
pub(crate) fn taskmanager_request(available: &[String]) -> Vec<String> {
    TM_METRICS
        .iter()
        .filter(|name| available.iter().any(|a| a == *name))
        .map(|name| name.to_string())
        .collect()
}

/// Distinct (cluster, topic, partition) of a Kafka source or (topic, partition) of a Pulsar source in the names,
/// `None` when there are none (not such a source, or its readers have no split yet).
pub(crate) fn source_partitions(names: &[String]) -> Option<u32> {
    let partitions: BTreeSet<(String, String, u64)> = names
        .iter()
        .filter_map(|name| kafka_partition(name).or_else(|| pulsar_partition(name)))
        .collect();
    u32::try_from(partitions.len())
        .ok()
        .filter(|count| *count > 0)
}

/// `….KafkaSourceReader.[kafkaCluster.<c>.]topic.<t>.partition.<n>.currentOffset`.
fn kafka_partition(name: &str) -> Option<(String, String, u64)> {
    const READER: &str = ".KafkaSourceReader.";
    let rest = &name[name.find(READER)? + READER.len()..];
    let rest = rest.strip_suffix(".currentOffset")?;
    let (cluster, rest) = match rest.strip_prefix("kafkaCluster.") {
        Some(after) => {
            let (cluster, rest) = after.split_once('.')?;
            let valid = !cluster.is_empty()
                && cluster
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            if !valid {
                return None;
            }
            (cluster.to_string(), rest)
        }
        None => (String::new(), rest),
    };
    let rest = rest.strip_prefix("topic.")?;
    let (topic, partition) = rest.rsplit_once(".partition.")?;
    if topic.is_empty() {
        return None;
    }
    Some((cluster, topic.to_string(), digits(partition)?))
}

/// `….PulsarConsumer.<topic>-partition-<n>.<…>.numMsgsReceived`.
fn pulsar_partition(name: &str) -> Option<(String, String, u64)> {
    const CONSUMER: &str = ".PulsarConsumer.";
    let rest = &name[name.find(CONSUMER)? + CONSUMER.len()..];
    let rest = rest.strip_suffix(".numMsgsReceived")?;
    // The topic is greedy in the autoscaler's regex: the last "-partition-<digits>." wins.
    let mut search_end = rest.len();
    while let Some(at) = rest[..search_end].rfind("-partition-") {
        let after = &rest[at + "-partition-".len()..];
        if let Some((number, _)) = after.split_once('.')
            && let Some(partition) = digits(number)
            && at > 0
        {
            return Some((String::new(), rest[..at].to_string(), partition));
        }
        search_end = at;
    }
    None
}

fn digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kafka_partitions_with_and_without_cluster() {
        let listing = names(&[
            "Source__kafka.KafkaSourceReader.topic.orders.partition.0.currentOffset",
            "Source__kafka.KafkaSourceReader.topic.orders.partition.1.currentOffset",
            "Source__kafka.KafkaSourceReader.topic.orders.partition.1.committedOffset",
            "Source__kafka.KafkaSourceReader.topic.my.dotted.topic.partition.7.currentOffset",
            "Source__kafka.KafkaSourceReader.kafkaCluster.eu-1.topic.orders.partition.0.currentOffset",
            "busyTimeMsPerSecond",
        ]);
        assert_eq!(source_partitions(&listing), Some(4));
    }

    #[test]
    fn pulsar_partitions() {
        let listing = names(&[
            "Source__p.PulsarConsumer.persistent://public/default/t-partition-0.abc.numMsgsReceived",
            "Source__p.PulsarConsumer.persistent://public/default/t-partition-1.abc.numMsgsReceived",
            "Source__p.PulsarConsumer.persistent://public/default/t-partition-1.def.numMsgsReceived",
        ]);
        assert_eq!(source_partitions(&listing), Some(2));
    }

    #[test]
    fn no_partitions_is_none() {
        assert_eq!(source_partitions(&names(&["busyTimeMsPerSecond"])), None);
        assert_eq!(
            source_partitions(&names(&[
                "x.KafkaSourceReader.topic.t.partition.x.currentOffset"
            ])),
            None
        );
    }

    #[test]
    fn requests_only_what_exists() {
        let listing = names(&[
            "numRecordsIn",
            "busyTimeMsPerSecond",
            "Source__src[1].numRecordsOutPerSecond",
            "Source__src[1].numRecordsOut",
            "Source__src[1].pendingRecords",
            "idleTimeMsPerSecond",
            // A real 2.3.0 listing's RocksDB gauges (a keyed state `last` and the timer column family).
            "StatefulUpdate.last.rocksdb_estimate-live-data-size",
            "StatefulUpdate._timer_state/event_user-timers.rocksdb_total-sst-files-size",
            "StatefulUpdate.last.rocksdb_cur-size-all-mem-tables",
            "StatefulUpdate.last.rocksdb_num-running-compactions",
        ]);
        assert_eq!(
            vertex_request(&listing),
            names(&[
                "Source__src[1].numRecordsOutPerSecond",
                "Source__src[1].pendingRecords",
                "StatefulUpdate._timer_state/event_user-timers.rocksdb_total-sst-files-size",
                "StatefulUpdate.last.rocksdb_cur-size-all-mem-tables",
                "StatefulUpdate.last.rocksdb_estimate-live-data-size",
                "busyTimeMsPerSecond",
                "idleTimeMsPerSecond",
            ])
        );
        let tm = names(&[
            "Status.JVM.CPU.Load",
            "Status.JVM.Memory.Heap.Used",
            "Status.JVM.Threads.Count",
        ]);
        assert_eq!(
            taskmanager_request(&tm),
            names(&["Status.JVM.Memory.Heap.Used", "Status.JVM.CPU.Load"])
        );
    }
}
