//! `recommend --from-cluster` on a real Flink 2.3.0 RocksDB job that has taken no checkpoint (issue 11): with
//! RocksDB's size metrics on, the state size comes from them, and lands near the job's real state (its keys times
//! its value bytes), instead of the profile's assumption. Needs Java 17 and the distribution; run by the README's
//! full test command.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::support::Flinktune;
use crate::support::cluster::{Cluster, shipped_java_options_line};
use crate::support::flink::flink_home;
use crate::support::job::{job_jar, submit_class, wait_job_running};
use crate::support::temp_dir;

/// Keys and bytes per value of tests/jobs/BigStateJob.java: about 49 MiB of values.
const KEYS: u64 = 200_000;
const VALUE_BYTES: u64 = 256;

/// RocksDB with two of its size gauges on and no checkpoints (Flink's default), as a trial run would be.
fn config(home: &Path) -> String {
    format!(
        "taskmanager.memory.process.size: 2g\n\
         jobmanager.memory.process.size: 1600m\n\
         taskmanager.numberOfTaskSlots: 1\n\
         parallelism.default: 1\n\
         state.backend.type: rocksdb\n\
         state.backend.rocksdb.metrics.estimate-live-data-size: true\n\
         state.backend.rocksdb.metrics.cur-size-all-mem-tables: true\n\
         {}",
        shipped_java_options_line(home)
    )
}

/// The size in `note` after "state size " ("49 MiB", "1.2 GiB"), in bytes.
fn noted_size(note: &str) -> u64 {
    let mut words = note
        .split_once("state size ")
        .unwrap_or_else(|| panic!("no state size in {note}"))
        .1
        .split_whitespace();
    let number: f64 = words.next().unwrap().parse().unwrap();
    let unit = match words.next().unwrap() {
        "MiB" => 1u64 << 20,
        "GiB" => 1 << 30,
        other => panic!("unit {other} in {note}"),
    };
    (number * unit as f64) as u64
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh); takes about two minutes"]
fn rocksdb_size_metrics_give_the_state_of_a_job_without_checkpoints() {
    let home = flink_home("2.3.0");
    let work = temp_dir("rocksdb-state");
    let conf = work.join("given-conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(conf.join("config.yaml"), config(&home)).unwrap();
    let jar = job_jar(&home, &work, "BigStateJob");
    let cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    cluster.wait_for_taskmanagers(1, Duration::from_secs(90));
    let job = submit_class(
        &cluster,
        &home,
        &jar,
        "BigStateJob",
        &[],
        &[KEYS.to_string(), VALUE_BYTES.to_string()],
    );
    wait_job_running(&cluster, &job);

    // recommend waits until the job's rates have filled (a minute of running), by then every key has a value.
    let run = Flinktune::new()
        .args(["recommend", "--from-cluster", &cluster.rest_url()])
        .args(["--samples", "2", "--interval", "10 s", "--format", "json"])
        .success();
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    let note = document["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|warning| warning.contains("as RocksDB's size metrics report it"))
        .unwrap_or_else(|| panic!("no RocksDB state note:\n{}\n{}", run.stdout, run.stderr))
        .to_string();
    println!("{note}");
    let inferred = noted_size(&note);
    let values = KEYS * VALUE_BYTES;
    // The values are random bytes, which compression cannot shrink; keys and RocksDB's own overhead add to them, and
    // between flushes a memtable of rewritten values can hold more than the live data (82 MiB seen here).
    assert!(
        inferred >= values * 3 / 4 && inferred <= values * 3,
        "inferred {inferred} bytes for {values} bytes of values: {note}"
    );
}
