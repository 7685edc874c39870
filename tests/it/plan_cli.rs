//! `flinktune plan` as users run it: the Markdown report of the shipped example host types (a snapshot), the plan
//! for one host type from flags equal to `recommend` for that many hosts, `-o` writes and what it refuses, the
//! errors that name the flag to fix, exit status 1 when no type fits; and, against real Flink, a planned
//! TaskManager's memory resolved by Flink's own BashJavaUtils.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::flink::{FlinkAnswer, bash_java_utils, flink_home};
use crate::support::{Flinktune, repo_root, temp_dir};

/// The job the tests plan: 200k records/s at 5k per subtask, 200 GiB of state (flags `recommend` takes too).
const JOB: [&str; 10] = [
    "--flink-version",
    "2.3",
    "--input-rate",
    "200000",
    "--slot-throughput",
    "5000",
    "--state-size",
    "200gb",
    "--checkpoint-dir",
    "s3://bucket/checkpoints",
];

/// `plan` for [`JOB`], growing 8% a month.
fn plan() -> Flinktune {
    Flinktune::new()
        .arg("plan")
        .args(JOB)
        .args(["--growth", "8%/month"])
}

fn example_hosts() -> std::path::PathBuf {
    repo_root().join("profiles/hosts-example.yaml")
}

#[test]
fn markdown_report_of_the_example_host_types() {
    let run = plan()
        .arg("--hosts-file")
        .arg(example_hosts())
        .args(["--record-size", "1kb", "--format", "markdown"])
        .quiet_success();
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn one_host_type_from_flags_is_what_recommend_gives_for_that_many_hosts() {
    let host = ["--cores", "16", "--memory", "64g", "--disk", "ssd"];
    let planned: Value = serde_json::from_str(
        &plan()
            .args(host)
            .args(["--format", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let ours = &planned["host_types"][0]["plan"];
    let hosts = ours["hosts"].as_u64().unwrap();
    assert!(hosts > 1, "{ours}");
    let advice: Value = serde_json::from_str(
        &Flinktune::recommend()
            .args(JOB)
            .args(host)
            .args(["--hosts", &hosts.to_string(), "--format", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let layout = &advice["layout"];
    for (plan_field, recommend_field) in [
        ("hosts", "hosts"),
        ("taskmanagers_per_host", "taskmanagers_per_host"),
        ("slots_per_taskmanager", "slots_per_taskmanager"),
        ("total_slots", "total_slots"),
        ("parallelism", "parallelism"),
        ("jobmanager_process_bytes", "jobmanager_process_bytes"),
    ] {
        assert_eq!(ours[plan_field], layout[recommend_field], "{plan_field}");
    }
    assert_eq!(
        ours["cores_per_taskmanager"],
        layout["cores_per_taskmanager"]
    );
    let memory = &ours["taskmanager_memory"];
    assert_eq!(memory["total_process"], layout["taskmanager_process_bytes"]);
    assert_eq!(memory["jvm_heap"], layout["taskmanager_heap_bytes"]);
    assert_eq!(memory["managed"], layout["taskmanager_managed_bytes"]);
    let settings = |settings: &Value| -> Vec<(String, String)> {
        settings
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["key"].as_str().unwrap().to_string(),
                    s["value"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(settings(&ours["settings"]), settings(&advice["settings"]));
}

#[test]
fn output_is_written_atomically_and_replaced_only_when_ours() {
    let dir = temp_dir("plan-output");
    let report = dir.join("reports/plan.html");
    let run = plan()
        .arg("--hosts-file")
        .arg(example_hosts())
        .args(["--format", "html"])
        .output(&report)
        .success();
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("wrote"), "{}", run.stderr);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(!html.contains("<script"));
    // Unchanged inputs: the same bytes, nothing rewritten.
    let again = plan()
        .arg("--hosts-file")
        .arg(example_hosts())
        .args(["--format", "html"])
        .output(&report)
        .success();
    assert!(again.stderr.contains("up to date"), "{}", again.stderr);
    // A file flinktune plan did not write is kept unless --force, which backs it up.
    let foreign = dir.join("notes.md");
    std::fs::write(&foreign, "my notes\n").unwrap();
    let refused = plan()
        .args([
            "--cores", "8", "--memory", "32g", "--disk", "ssd", "--format", "markdown",
        ])
        .output(&foreign)
        .status(2)
        .run();
    assert!(
        refused.stderr.contains("not a report flinktune plan wrote"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "my notes\n");
    plan()
        .args([
            "--cores", "8", "--memory", "32g", "--disk", "ssd", "--format", "markdown", "--force",
        ])
        .output(&foreign)
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.md.bak")).unwrap(),
        "my notes\n"
    );
    assert!(
        std::fs::read_to_string(&foreign)
            .unwrap()
            .contains("# Capacity plan")
    );
}

#[test]
fn missing_inputs_and_bad_files_are_one_line_naming_the_fix() {
    let host = ["--cores", "8", "--memory", "32g", "--disk", "ssd"];
    let run = Flinktune::new()
        .args(["plan", "--flink-version", "2.3", "--input-rate", "1000"])
        .args(host)
        .status(2)
        .run();
    assert!(
        run.stderr
            .starts_with("error: plan needs what one parallel instance"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--slot-throughput"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let run = plan()
        .args(host)
        .args(["--mode", "session"])
        .status(2)
        .run();
    assert!(run.stderr.contains("--mode application"), "{}", run.stderr);
    let run = plan()
        .args(host)
        .args(["--target-utilization", "1.2"])
        .status(2)
        .run();
    assert!(
        run.stderr
            .contains("--target-utilization must be above 0 and below 1"),
        "{}",
        run.stderr
    );
    let dir = temp_dir("plan-bad-hosts");
    let file = dir.join("hosts.yaml");
    std::fs::write(&file, "big:\n  cores: 8\n  memroy: 32 gb\n").unwrap();
    let run = plan().arg("--hosts-file").arg(&file).status(2).run();
    assert!(
        run.stderr
            .contains("hosts.yaml:3:11: big: unknown field 'memroy' (did you mean 'memory'?)"),
        "{}",
        run.stderr
    );
    let run = plan().args(["--hosts-file", "/dev/zero"]).status(2).run();
    assert!(run.stderr.contains("a character device"), "{}", run.stderr);
    let run = plan()
        .arg("--hosts-file")
        .arg(example_hosts())
        .args(["--cores", "4"])
        .status(2)
        .run();
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn no_type_that_fits_is_exit_status_1_with_the_reasons() {
    let dir = temp_dir("plan-none-fits");
    let file = dir.join("hosts.yaml");
    std::fs::write(
        &file,
        "tiny:\n  cores: 4\n  memory: 16 gb\n  max-count: 2\n",
    )
    .unwrap();
    let run = plan().arg("--hosts-file").arg(&file).status(1).run();
    assert!(run.stdout.contains("No host type fits"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("tiny: needs 15 hosts, and at most 2 can be had"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("no host type fits"), "{}", run.stderr);
}

/// Flink's own BashJavaUtils resolves the planned TaskManager (the cheapest example type's settings as a config.yaml)
/// to the memory the plan reports, component by component.
#[test]
#[ignore = "needs Java 17 and real Flink (installed by scripts/flink-dist.sh); run by the README's full test command"]
fn a_planned_taskmanager_resolves_in_real_flink_as_planned() {
    let home = flink_home("2.3.0");
    let planned: Value = serde_json::from_str(
        &plan()
            .arg("--hosts-file")
            .arg(example_hosts())
            .args(["--format", "json"])
            .success()
            .stdout,
    )
    .unwrap();
    let mut checked = 0;
    for host_type in planned["host_types"].as_array().unwrap() {
        let ours = &host_type["plan"];
        let name = host_type["name"].as_str().unwrap();
        let dir = temp_dir(&format!("plan-flink-{name}"));
        let mut config = String::new();
        for setting in ours["settings"].as_array().unwrap() {
            let key = setting["key"].as_str().unwrap();
            if key.starts_with("taskmanager.") || key.starts_with("jobmanager.memory.") {
                let value = setting["value"].as_str().unwrap().replace('\'', "''");
                config.push_str(&format!("{key}: '{value}'\n"));
            }
        }
        std::fs::write(dir.join("config.yaml"), &config).unwrap();
        let (_, dynamic) = bash_java_utils(&home, "GET_TM_RESOURCE_PARAMS", &dir, &[])
            .unwrap_or_else(|printed| {
                panic!("{name}: Flink refuses the planned TaskManager:\n{printed}")
            });
        let resolved: BTreeMap<String, String> = FlinkAnswer::dynamic_map(&dynamic);
        let bytes = |key: &str| -> u64 { resolved[key].trim_end_matches('b').parse().unwrap() };
        let memory = &ours["taskmanager_memory"];
        for (flink_key, field) in [
            ("taskmanager.memory.framework.heap.size", "framework_heap"),
            ("taskmanager.memory.task.heap.size", "task_heap"),
            ("taskmanager.memory.managed.size", "managed"),
            (
                "taskmanager.memory.framework.off-heap.size",
                "framework_off_heap",
            ),
            ("taskmanager.memory.task.off-heap.size", "task_off_heap"),
            ("taskmanager.memory.network.max", "network"),
            ("taskmanager.memory.jvm-metaspace.size", "jvm_metaspace"),
            ("taskmanager.memory.jvm-overhead.max", "jvm_overhead"),
        ] {
            assert_eq!(
                bytes(flink_key),
                memory[field].as_u64().unwrap(),
                "{name}: {field}"
            );
        }
        let parts: u64 = [
            "taskmanager.memory.framework.heap.size",
            "taskmanager.memory.task.heap.size",
            "taskmanager.memory.managed.size",
            "taskmanager.memory.framework.off-heap.size",
            "taskmanager.memory.task.off-heap.size",
            "taskmanager.memory.network.max",
            "taskmanager.memory.jvm-metaspace.size",
            "taskmanager.memory.jvm-overhead.max",
        ]
        .iter()
        .map(|key| bytes(key))
        .sum();
        assert_eq!(parts, memory["total_process"].as_u64().unwrap(), "{name}");
        assert_eq!(
            resolved["taskmanager.numberOfTaskSlots"],
            ours["slots_per_taskmanager"].to_string(),
            "{name}"
        );
        let cores: f64 = resolved["taskmanager.cpu.cores"].parse().unwrap();
        assert_eq!(
            cores,
            ours["cores_per_taskmanager"].as_f64().unwrap(),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(checked, 5);
}
