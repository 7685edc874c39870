//! The live-metrics parsers and analysis on REST responses recorded from real Flink 2.3.0 and 1.20.3 clusters
//! (tests/fixtures/rest, scripts/capture-rest-fixtures.sh): the datagen job at 2,000,000 rows/s, whose keyed
//! aggregation is saturated and whose source is back-pressured. Offline.

use std::collections::BTreeMap;

use flinktune::rest::parse;
use flinktune::{AnalysisOptions, analyse};
use flinktune::{ClusterSnapshot, Sample};
use serde_json::Value;

use crate::support::repo_root;

fn load(version: &str, file: &str) -> Value {
    let path = repo_root().join(format!("tests/fixtures/rest/{version}/{file}"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The snapshot the collector would build from these responses.
fn snapshot(version: &str) -> ClusterSnapshot {
    let index = load(version, "index.json");
    let overview = parse::overview(&load(version, "overview.json")).unwrap();
    let job = parse::job_graph(&load(version, "job.json")).unwrap();
    let samples = (1..=3)
        .map(|k| {
            let vertices: BTreeMap<String, _> = index["vertices"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(i, vertex)| {
                    let answer = load(
                        version,
                        &format!("vertex_{i}_subtasks_metrics_sample{k}.json"),
                    );
                    let metrics = parse::vertex_metrics(&parse::aggregates(&answer).unwrap());
                    (vertex["id"].as_str().unwrap().to_string(), metrics)
                })
                .collect();
            let taskmanagers = parse::taskmanager_metrics(
                &parse::aggregates(&load(
                    version,
                    &format!("taskmanagers_metrics_sample{k}.json"),
                ))
                .unwrap(),
            );
            Sample {
                at: k * 10_000,
                vertices,
                taskmanagers,
            }
        })
        .collect();
    ClusterSnapshot {
        flink_version: overview.flink_version,
        slots_total: overview.slots_total,
        slots_available: overview.slots_available,
        taskmanagers: parse::taskmanagers(&load(version, "taskmanagers.json")).unwrap(),
        job,
        samples,
        checkpoints: parse::checkpoints(
            &load(version, "checkpoints.json"),
            Some(&load(version, "checkpoints_config.json")),
        )
        .unwrap(),
        configuration: parse::configuration(&load(version, "job_jobmanager_config.json"))
            .unwrap_or_default(),
        restarted_while_sampled: false,
    }
}

#[test]
fn recorded_clusters_show_the_saturated_aggregation_as_the_bottleneck() {
    for version in ["2.3.0", "1.20.3"] {
        let snapshot = snapshot(version);
        assert_eq!(snapshot.flink_version, version);
        assert!(snapshot.checkpoints.completed > 0, "{version}");
        let analysis = analyse(&snapshot, AnalysisOptions::default());
        let bottleneck = analysis.bottleneck.clone().unwrap_or_default();
        assert!(
            bottleneck.starts_with("GroupAggregate"),
            "{version}: {bottleneck}"
        );
        let aggregation = analysis
            .vertices
            .iter()
            .find(|v| v.name.starts_with("GroupAggregate"))
            .unwrap();
        // Saturated at parallelism 2: keeping up with what the source emits now needs more than 2 subtasks.
        assert!(
            aggregation.recommended > aggregation.parallelism,
            "{version}: {aggregation:?}"
        );
        let source = analysis
            .vertices
            .iter()
            .find(|v| v.name.starts_with("Source"))
            .unwrap();
        assert!(
            source.back_pressured_ms_per_second.unwrap() > 900.0,
            "{version}: {source:?}"
        );
        assert_eq!(analysis.vertices[0].name, source.name, "sources come first");
    }
}

#[test]
fn recorded_barriers_are_read_and_not_blamed_when_they_pass_in_under_a_second() {
    for version in ["2.3.0", "1.20.3"] {
        let snapshot = snapshot(version);
        assert_eq!(snapshot.checkpoints.exactly_once, Some(true), "{version}");
        assert!(
            snapshot.checkpoints.state_size_max.unwrap() > 0.0,
            "{version}"
        );
        let aggregation = snapshot
            .job
            .vertices
            .iter()
            .find(|v| v.name.starts_with("GroupAggregate"))
            .unwrap();
        // 0.1 to 0.5 s behind the back-pressured channel from the one source subtask (one input channel: no
        // alignment), while the checkpoints themselves take about a second of a 5 s interval.
        for sample in &snapshot.samples {
            let metrics = &sample.vertices[&aggregation.id];
            let delay = metrics.checkpoint_start_delay_ns.max.unwrap();
            assert!(delay > 0.0 && delay < 1e9, "{version}: {delay}");
            assert_eq!(metrics.checkpoint_alignment_ns.max, Some(0.0), "{version}");
        }
        let analysis = analyse(&snapshot, AnalysisOptions::default());
        assert!(
            !analysis
                .findings
                .iter()
                .any(|f| f.message.contains("barriers")),
            "{version}: {:?}",
            analysis.findings
        );
    }
}

#[test]
fn nan_percentiles_before_the_first_checkpoint_parse() {
    for version in ["2.3.0", "1.20.3"] {
        let stats =
            parse::checkpoints(&load(version, "checkpoints_before_first.json"), None).unwrap();
        assert_eq!(stats.completed, 0);
        assert_eq!(stats.duration_p50_ms, None);
    }
}
