//! The recorded REST responses of real Flink clusters (tests/fixtures/rest/VERSION, written by
//! scripts/capture-rest-fixtures.sh) are complete and well-formed, so that the tests of the REST parser and of the
//! live-metrics analysis can rely on them: every file is listed in index.json and parses as JSON, each recording has
//! a multi-vertex job with three metric samples per vertex, and its later checkpoint statistics have completed
//! checkpoints while the one taken right after the job started has the "NaN" percentiles of no checkpoint.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The Flink versions recorded; each has a directory of fixtures.
const VERSIONS: [&str; 2] = ["2.3.0", "1.20.3"];

/// How many samples of the per-vertex and TaskManager metrics the script takes.
const SAMPLES: usize = 3;

fn fixture_dir(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rest")
        .join(version)
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn index(version: &str) -> Value {
    read_json(&fixture_dir(version).join("index.json"))
}

#[test]
fn index_lists_every_file_and_every_file_is_json() {
    for version in VERSIONS {
        let dir = fixture_dir(version);
        let index = index(version);
        assert_eq!(index["flink_version"], version, "{}", dir.display());
        let listed: BTreeSet<String> = index["files"]
            .as_object()
            .unwrap_or_else(|| panic!("{version}: index.json has no files map"))
            .iter()
            .map(|(file, path)| {
                let path = path.as_str().unwrap_or_default();
                assert!(path.starts_with('/'), "{version}: {file} -> {path:?}");
                file.clone()
            })
            .collect();
        let present: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "index.json")
            .collect();
        assert_eq!(
            listed,
            present,
            "{version}: index.json vs the files in {}",
            dir.display()
        );
        for file in &present {
            read_json(&dir.join(file));
        }
    }
}

#[test]
fn each_recording_has_a_multi_vertex_job_with_samples_per_vertex() {
    for version in VERSIONS {
        let index = index(version);
        let files = &index["files"];
        let vertices = index["vertices"].as_array().unwrap();
        assert!(
            vertices.len() >= 2,
            "{version}: {} vertices",
            vertices.len()
        );
        let job = read_json(&fixture_dir(version).join("job.json"));
        for (i, vertex) in vertices.iter().enumerate() {
            let id = vertex["id"].as_str().unwrap();
            assert!(
                job["vertices"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v["id"] == id),
                "{version}: vertex {id} not in job.json"
            );
            for k in 1..=SAMPLES {
                let file = format!("vertex_{i}_subtasks_metrics_sample{k}.json");
                let path = files[&file]
                    .as_str()
                    .unwrap_or_else(|| panic!("{version}: no {file}"));
                assert!(
                    path.contains(id),
                    "{version}: {file} is {path}, not of vertex {id}"
                );
                let sample = read_json(&fixture_dir(version).join(&file));
                let names: Vec<&str> = sample
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|m| m["id"].as_str())
                    .collect();
                assert!(
                    names.contains(&"busyTimeMsPerSecond"),
                    "{version}: {file}: {names:?}"
                );
            }
        }
        for k in 1..=SAMPLES {
            let file = format!("taskmanagers_metrics_sample{k}.json");
            let sample = read_json(&fixture_dir(version).join(&file));
            assert!(
                !sample.as_array().unwrap().is_empty(),
                "{version}: {file} is []"
            );
        }
    }
}

#[test]
fn checkpoints_are_recorded_before_the_first_and_after_several() {
    for version in VERSIONS {
        let dir = fixture_dir(version);
        let later = read_json(&dir.join("checkpoints.json"));
        let completed = later["counts"]["completed"].as_u64().unwrap();
        assert!(
            completed > 0,
            "{version}: {completed} completed checkpoints"
        );
        let first = read_json(&dir.join("checkpoints_before_first.json"));
        if first["counts"]["completed"] == 0 {
            // No checkpoint yet: Flink writes the percentiles as the JSON string "NaN", not as numbers.
            assert_eq!(first["summary"]["state_size"]["p50"], "NaN", "{version}");
        }
    }
}
