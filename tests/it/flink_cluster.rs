//! The cluster harness against real Flink: a standalone cluster starts from a minimal conf directory, its TaskManager
//! registers with the slots and memory the conf asks for, and everything stops on drop. Needs Java 17 and the
//! installed distributions (see tests/it/support/flink.rs); run by the README's full test command,
//! `cargo test --test it flink_cluster -- --include-ignored --nocapture` alone.

use std::time::{Duration, Instant};

use crate::support::cluster::{Cluster, shipped_java_options_line};
use crate::support::flink::flink_home;
use crate::support::temp_dir;

const MINIMAL: &str = "\
taskmanager.memory.process.size: 1728m
jobmanager.memory.process.size: 1600m
taskmanager.numberOfTaskSlots: 2
";

fn start_and_check(version: &str) {
    let home = flink_home(version);
    let work = temp_dir(&format!("cluster-{version}"));
    let conf = work.join("given-conf");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.yaml"),
        format!("{MINIMAL}{}", shipped_java_options_line(&home)),
    )
    .unwrap();

    let started = Instant::now();
    let mut cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    let rest_up = started.elapsed();
    let response = cluster.wait_for_taskmanagers(1, Duration::from_secs(90));
    let registered = started.elapsed();
    println!(
        "Flink {version}: REST up after {rest_up:.1?}, 1 TaskManager registered after {registered:.1?} ({cluster:?})"
    );

    let taskmanagers = response["taskmanagers"].as_array().unwrap();
    assert_eq!(taskmanagers.len(), 1, "{response}");
    let tm = &taskmanagers[0];
    assert_eq!(tm["slotsNumber"], 2, "{tm}");
    assert!(
        tm["hardware"]["managedMemory"].as_u64().unwrap() > 0,
        "{tm}"
    );
    let memory = &tm["memoryConfiguration"];
    // 1728m process size, all else default: Flink's own breakdown (docs/flink-memory-model.md, "Worked example").
    assert_eq!(memory["totalProcessMemory"], 1728u64 << 20, "{memory}");
    assert_eq!(
        memory["managedMemory"], tm["hardware"]["managedMemory"],
        "{tm}"
    );
    for field in [
        "taskHeap",
        "networkMemory",
        "jvmMetaspace",
        "jvmOverhead",
        "totalFlinkMemory",
    ] {
        assert!(
            memory[field].as_u64().is_some(),
            "{field} missing: {memory}"
        );
    }
    let overview = cluster.rest_get("/overview");
    assert_eq!(overview["flink-version"], version, "{overview}");
    assert_eq!(overview["slots-total"], 2, "{overview}");

    let stopping = Instant::now();
    cluster.stop();
    println!("Flink {version}: stopped in {:.1?}", stopping.elapsed());
}

#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn flink_2_3_cluster_starts_with_the_given_slots_and_memory() {
    start_and_check("2.3.0");
}

#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn flink_1_20_cluster_starts_with_the_given_slots_and_memory() {
    start_and_check("1.20.3");
}

#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn a_cluster_that_cannot_start_panics_with_the_logs_and_leaves_nothing_running() {
    let home = flink_home("2.3.0");
    let work = temp_dir("cluster-broken");
    let conf = work.join("given-conf");
    std::fs::create_dir_all(&conf).unwrap();
    // Too small for the JobManager's metaspace and overhead: Flink refuses to derive its memory.
    std::fs::write(
        conf.join("config.yaml"),
        format!(
            "jobmanager.memory.process.size: 100m\n{}",
            shipped_java_options_line(&home)
        ),
    )
    .unwrap();
    let started = Instant::now();
    let panic = std::panic::catch_unwind(|| Cluster::start(&home, &conf, &work.join("cluster"), 1))
        .expect_err("a JobManager with 100m must not start");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    println!(
        "failed start reported after {:.1?}:\n{message}",
        started.elapsed()
    );
    assert!(
        message.contains("exceed configured Total Process Memory"),
        "{message}"
    );
    let leftovers = std::process::Command::new("pgrep")
        .args(["-f", &work.display().to_string()])
        .output()
        .unwrap();
    assert!(
        leftovers.stdout.is_empty(),
        "left running: {}",
        String::from_utf8_lossy(&leftovers.stdout)
    );
}
