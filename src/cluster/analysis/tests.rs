//! The analysis on a hand-built snapshot of the shape the real test job has: a datagen source feeding a keyed
//! aggregation (HASH) that is saturated, with the source back-pressured.

use std::collections::BTreeMap;

use super::*;
use crate::cluster::{
    Aggregate, CheckpointStats, Edge, JobGraph, Sample, TaskManagerInfo, TaskManagerMetrics,
    Vertex, VertexMetrics,
};

fn agg(value: f64) -> Aggregate {
    Aggregate {
        min: Some(value),
        max: Some(value),
        avg: Some(value),
        sum: Some(value),
    }
}

fn per_subtask(value: f64, parallelism: f64) -> Aggregate {
    Aggregate {
        min: Some(value),
        max: Some(value),
        avg: Some(value),
        sum: Some(value * parallelism),
    }
}

pub(crate) fn saturated_job(aggregation_parallelism: u32) -> ClusterSnapshot {
    let p = f64::from(aggregation_parallelism);
    let source = VertexMetrics {
        busy_time_ms_per_second: Aggregate::default(),
        back_pressured_time_ms_per_second: agg(900.0),
        idle_time_ms_per_second: agg(0.0),
        records_in_per_second: agg(0.0),
        records_out_per_second: agg(10_000.0),
        source_records_out_per_second: Some(10_000.0),
        pending_records: None,

        ..VertexMetrics::default()
    };
    let aggregation = VertexMetrics {
        busy_time_ms_per_second: per_subtask(1000.0, p),
        back_pressured_time_ms_per_second: agg(0.0),
        idle_time_ms_per_second: agg(0.0),
        records_in_per_second: per_subtask(10_000.0 / p, p),
        records_out_per_second: per_subtask(5_000.0 / p, p),
        source_records_out_per_second: None,
        pending_records: None,

        ..VertexMetrics::default()
    };
    let sample = |at| Sample {
        at,
        vertices: BTreeMap::from([
            ("src".to_string(), source.clone()),
            ("agg".to_string(), aggregation.clone()),
        ]),
        taskmanagers: TaskManagerMetrics {
            cpu_load: agg(0.9),
            ..TaskManagerMetrics::default()
        },
    };
    ClusterSnapshot {
        flink_version: "2.3.0".into(),
        slots_total: 4,
        slots_available: 4 - aggregation_parallelism.min(4),
        taskmanagers: vec![TaskManagerInfo {
            id: "tm-1".into(),
            slots: 4,
            free_slots: 2,
            cpu_cores: 2.0,
            physical_memory: 24 << 30,
            total_process_memory: 2 << 30,
            total_flink_memory: 1 << 30,
            task_heap: 256 << 20,
            managed_memory: 512 << 20,
            network_memory: 128 << 20,
            jvm_metaspace: 256 << 20,
        }],
        job: JobGraph {
            id: "job".into(),
            name: "datagen".into(),
            state: "RUNNING".into(),
            running_since: Some(0),
            running_for_ms: Some(3_600_000),
            vertices: vec![
                Vertex {
                    id: "src".into(),
                    name: "Source: source_events".into(),
                    parallelism: 1,
                    max_parallelism: 128,
                    slot_sharing_group: None,
                    source_partitions: None,
                },
                Vertex {
                    id: "agg".into(),
                    name: "GroupAggregate -> Sink: sink_counts".into(),
                    parallelism: aggregation_parallelism,
                    max_parallelism: 128,
                    slot_sharing_group: None,
                    source_partitions: None,
                },
            ],
            edges: vec![Edge {
                from: "src".into(),
                to: "agg".into(),
                ship_strategy: "HASH".into(),
            }],
        },
        samples: vec![sample(0), sample(10_000), sample(20_000)],
        checkpoints: CheckpointStats::default(),
        configuration: BTreeMap::new(),
    }
}

/// The snapshot with the source back-pressured `ms_per_second` in every sample.
fn with_source_back_pressure(mut snapshot: ClusterSnapshot, ms_per_second: f64) -> ClusterSnapshot {
    for sample in &mut snapshot.samples {
        sample
            .vertices
            .get_mut("src")
            .unwrap()
            .back_pressured_time_ms_per_second = agg(ms_per_second);
    }
    snapshot
}

#[test]
fn the_saturated_aggregation_is_the_bottleneck_and_grows() {
    // Back-pressured 40% of the time (Flink's "low"): the source emits what it has, the demand is its rate.
    let snapshot = with_source_back_pressure(saturated_job(1), 400.0);
    let analysis = analyse(&snapshot, AnalysisOptions::default());
    assert_eq!(
        analysis.bottleneck.as_deref(),
        Some("GroupAggregate -> Sink: sink_counts")
    );
    let aggregation = &analysis.vertices[1];
    assert!(aggregation.bottleneck);
    // 10,000 rec/s at 100% busy on one subtask; 70% target: ceil(1 / 0.7) = 2 subtasks, which divides 128.
    assert_eq!(aggregation.true_processing_rate, Some(10_000.0));
    assert_eq!(aggregation.target_rate, Some(10_000.0));
    assert_eq!(aggregation.recommended, 2);
    assert!(!aggregation.unbounded_demand);
    assert_eq!(
        analysis.vertices[0].recommended, 1,
        "the source is back-pressured, not slow"
    );
}

#[test]
fn a_source_the_job_holds_back_gives_the_bottleneck_every_slot() {
    // Back-pressured 90% of the time, no backlog metric, no rate asked: the datagen source emits only what the
    // aggregation takes, so 10,000 rec/s says nothing of the demand.
    let analysis = analyse(&saturated_job(1), AnalysisOptions::default());
    let aggregation = &analysis.vertices[1];
    assert!(aggregation.bottleneck);
    assert!(aggregation.unbounded_demand);
    assert_eq!(aggregation.target_rate, None);
    assert_eq!(aggregation.recommended, 4, "the cluster's 4 slots");
    assert!(
        aggregation.why.contains("--input-rate"),
        "{}",
        aggregation.why
    );

    // Held back only 40% of the time, or with a rate asked for, or a backlog the source reports: sized on rates.
    let held_little = analyse(
        &with_source_back_pressure(saturated_job(1), 400.0),
        AnalysisOptions::default(),
    );
    assert!(!held_little.vertices[1].unbounded_demand);
    let asked = AnalysisOptions {
        input_rate: Some(20_000.0),
        ..AnalysisOptions::default()
    };
    assert!(!analyse(&saturated_job(1), asked).vertices[1].unbounded_demand);
    let mut with_backlog = saturated_job(1);
    for sample in &mut with_backlog.samples {
        sample.vertices.get_mut("src").unwrap().pending_records = Some(5_000.0);
    }
    assert!(!analyse(&with_backlog, AnalysisOptions::default()).vertices[1].unbounded_demand);
}

#[test]
fn a_required_input_rate_sizes_the_whole_pipeline() {
    let options = AnalysisOptions {
        input_rate: Some(50_000.0),
        ..AnalysisOptions::default()
    };
    let analysis = analyse(&saturated_job(1), options);
    // 50,000 / (0.7 x 10,000) = 7.14 -> 8 (and 8 divides the 128 key groups).
    assert_eq!(analysis.vertices[1].target_rate, Some(50_000.0));
    assert_eq!(analysis.vertices[1].recommended, 8);
    assert!(
        analysis
            .findings
            .iter()
            .any(|f| f.area == Area::Capacity && f.message.contains("need 8 slots")),
        "{:?}",
        analysis.findings
    );
}

#[test]
fn a_source_gets_no_more_subtasks_than_partitions_and_its_reason_says_so() {
    let mut snapshot = saturated_job(1);
    snapshot.job.vertices[0].source_partitions = Some(2);
    let options = AnalysisOptions {
        input_rate: Some(500_000.0),
        ..AnalysisOptions::default()
    };
    let source = &analyse(&snapshot, options).vertices[0];
    // 500,000 / (0.7 x 100,000 at 100% busy) wants 8 subtasks; 2 partitions keep only 2 busy.
    assert_eq!(source.recommended, 2);
    assert!(
        source.why.contains("8 subtasks") && source.why.contains("at most its 2 source partitions"),
        "{}",
        source.why
    );
}

#[test]
fn an_idle_job_is_not_scaled_down_below_the_cap() {
    let mut snapshot = with_source_back_pressure(saturated_job(10), 0.0);
    for sample in &mut snapshot.samples {
        let aggregation = sample.vertices.get_mut("agg").unwrap();
        aggregation.busy_time_ms_per_second = per_subtask(50.0, 10.0);
    }
    let analysis = analyse(&snapshot, AnalysisOptions::default());
    // Wanted: 10 x 10,000/(0.7 x 200,000) = 0.7 -> capped at a 60% cut: 4 (and 4 divides 128).
    assert_eq!(analysis.vertices[1].recommended, 4);
}

#[test]
fn sink_first_plans_are_read_in_topological_order() {
    let mut snapshot = saturated_job(1);
    snapshot.job.vertices.reverse();
    let analysis = analyse(&snapshot, AnalysisOptions::default());
    assert_eq!(analysis.vertices[0].id, "src");
    // The source's unbounded demand reaches the aggregation only through the source, placed first.
    assert!(analysis.vertices[1].unbounded_demand);
    assert_eq!(analysis.vertices[1].recommended, 4);
}

#[test]
fn forward_edges_between_equal_parallelisms_are_unchained_hops() {
    let mut snapshot = saturated_job(1);
    snapshot.job.edges[0].ship_strategy = "FORWARD".into();
    let findings = findings::chaining(&snapshot);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("not chained"));
}

#[test]
fn unstable_busy_series_are_flagged() {
    let mut snapshot = saturated_job(1);
    for (index, sample) in snapshot.samples.iter_mut().enumerate() {
        let busy = [100.0, 1000.0, 50.0][index];
        sample
            .vertices
            .get_mut("agg")
            .unwrap()
            .busy_time_ms_per_second = agg(busy);
    }
    assert!(analyse(&snapshot, AnalysisOptions::default()).vertices[1].unstable);
}

/// The slowest task's barrier delay plus alignment, 1.5 s in every sample.
fn with_slow_barriers(mut snapshot: ClusterSnapshot) -> ClusterSnapshot {
    for sample in &mut snapshot.samples {
        let aggregation = sample.vertices.get_mut("agg").unwrap();
        aggregation.checkpoint_start_delay_ns = agg(1.2e9);
        aggregation.checkpoint_alignment_ns = agg(0.3e9);
    }
    snapshot
}

fn checkpoint_settings(snapshot: &ClusterSnapshot) -> Vec<String> {
    analyse(snapshot, AnalysisOptions::default())
        .findings
        .iter()
        .filter(|f| f.area == Area::Checkpoints)
        .filter_map(|f| f.setting.as_ref())
        .map(|(key, value)| {
            format!(
                "{}={value}",
                key.spelled_for(crate::flink::FlinkVersion::line(2, 3))
            )
        })
        .collect()
}

#[test]
fn slow_barriers_under_backpressure_unalign_exactly_once_checkpoints() {
    let mut snapshot = with_slow_barriers(saturated_job(1));
    snapshot.checkpoints.exactly_once = Some(true);
    assert_eq!(
        checkpoint_settings(&snapshot),
        ["execution.checkpointing.unaligned.enabled=true"]
    );
    let analysis = analyse(&snapshot, AnalysisOptions::default());
    let barriers = analysis
        .findings
        .iter()
        .find(|f| f.area == Area::Checkpoints)
        .unwrap();
    assert!(
        barriers
            .message
            .starts_with("checkpoint barriers take 1500 ms"),
        "{}",
        barriers.message
    );
}

#[test]
fn slow_barriers_of_at_least_once_checkpoints_debloat_buffers() {
    let mut snapshot = with_slow_barriers(saturated_job(1));
    snapshot.checkpoints.exactly_once = Some(false);
    assert_eq!(
        checkpoint_settings(&snapshot),
        ["taskmanager.network.memory.buffer-debloat.enabled=true"]
    );
}

#[test]
fn barriers_are_not_blamed_without_backpressure_or_when_already_unaligned() {
    let mut calm = with_slow_barriers(saturated_job(1));
    for sample in &mut calm.samples {
        sample
            .vertices
            .get_mut("src")
            .unwrap()
            .back_pressured_time_ms_per_second = agg(100.0);
    }
    assert!(checkpoint_settings(&calm).is_empty());
    let mut unaligned = with_slow_barriers(saturated_job(1));
    unaligned.checkpoints.unaligned = Some(true);
    assert!(checkpoint_settings(&unaligned).is_empty());
    // Under a second is normal barrier travel.
    let mut quick = saturated_job(1);
    for sample in &mut quick.samples {
        sample
            .vertices
            .get_mut("agg")
            .unwrap()
            .checkpoint_start_delay_ns = agg(0.9e9);
    }
    assert!(checkpoint_settings(&quick).is_empty());
}

#[test]
fn buffers_filling_behind_a_sole_consumer_do_not_lower_its_target() {
    // Shortly after the start the aggregation has taken in less than the source emitted (the rest sits in network
    // buffers); all of the source's output still goes to it.
    let mut snapshot = saturated_job(1);
    for sample in &mut snapshot.samples {
        sample
            .vertices
            .get_mut("agg")
            .unwrap()
            .records_in_per_second = per_subtask(8_000.0, 1.0);
    }
    let options = AnalysisOptions {
        input_rate: Some(20_000.0),
        ..AnalysisOptions::default()
    };
    let analysis = analyse(&snapshot, options);
    assert_eq!(analysis.vertices[1].target_rate, Some(20_000.0));
}
