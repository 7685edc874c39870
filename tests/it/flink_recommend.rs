//! Real Flink accepts what `flinktune recommend` writes. For combinations of host size (2 cores/4 GiB to 96 cores/
//! 768 GiB, odd sizes, Kubernetes pods), profile and version (2.3.0 and 1.20.3, both file formats on 1.20), the
//! emitted file goes through Flink's own loader (every key must be a main key of that release and parse as its
//! type), then through Flink's own memory derivation for the TaskManager and the JobManager (BashJavaUtils, as the
//! start scripts call it). The resolved sizes must fit the host and agree with the advice (the JobManager's size
//! taken from Flink's answer); slots and cores must match the rules; and the advice itself is judged on what Flink
//! resolved: task heap per slot, managed memory for RocksDB, the heap limit everywhere (Kubernetes included), the
//! parallelism against the max parallelism, the JobManager against the TaskManager it shares a host with. One
//! combination starts a real cluster from the emitted file and sees the TaskManager register. The string-typed options
//! (the state backend, the restart and failover strategies), which any text parses as, go through Flink's own loaders
//! (tests/oracle/FlinkFactoryOracle.java), which must build what the advice names.
//! Needs Java 17 and the distributions (tests/it/support/flink.rs); run by the README's full test command.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::cluster::Cluster;
use crate::support::flink::{FlinkAnswer, OracleCase, flink_home, oracle};
use crate::support::flink_config::{ConfigVerdict, KeyVerdict, config_oracle};
use crate::support::flink_factories::{
    factory_oracle, failover_strategy_class, restart_strategy_class, state_backend_class,
};
use crate::support::{Flinktune, Run, temp_dir};

/// (cores, memory, extra flags): small to large, odd sizes, fractional container CPUs, Kubernetes pods, few cores
/// with much memory and many cores with little.
const HOSTS: [(&str, &str, &[&str]); 14] = [
    ("2", "4g", &[]),
    ("2", "4g", &["--jobmanager-on-host"]),
    ("3", "7g", &["--disk", "hdd"]),
    ("1.5", "3g", &["--deployment", "kubernetes"]),
    ("4", "16g", &["--hosts", "3"]),
    ("6", "23g", &["--disk", "hdd", "--jobmanager-on-host"]),
    ("8", "32g", &["--deployment", "kubernetes"]),
    ("12", "100g", &["--hosts", "5"]),
    ("16", "64g", &[]),
    ("48", "384g", &["--disk", "hdd", "--hosts", "10"]),
    ("96", "768g", &["--hosts", "40"]),
    ("2", "64g", &[]),
    ("4", "256g", &["--deployment", "kubernetes"]),
    ("32", "16g", &["--jobmanager-on-host"]),
];
/// What Flink and the invariants say every slot keeps (src/invariants/memory.rs, FT-MEM-001, FT-MEM-002, FT-MEM-003),
/// restated here so that a changed constant there cannot loosen this test.
const MIN_TASK_HEAP_PER_SLOT: u64 = 128 << 20;
const MIN_ROCKSDB_MANAGED_PER_SLOT: u64 = 64 << 20;
const HEAP_LIMIT: u64 = 31 << 30;
/// Flink's bound on the max parallelism (`PipelineOptions.MAX_PARALLELISM`, `KeyGroupRangeAssignment`).
const MAX_PARALLELISM_BOUND: u64 = 32768;
const PROFILES: [&str; 7] = [
    "balanced",
    "cpu-bound",
    "io-bound",
    "large-state",
    "low-latency",
    "batch",
    "dev-session",
];
/// (Flink release, --config-format)
const TARGETS: [(&str, Option<&str>); 3] =
    [("2.3.0", None), ("1.20.3", None), ("1.20.3", Some("yaml"))];

struct Case {
    id: String,
    version: &'static str,
    dir: PathBuf,
    advice: Value,
    memory_bytes: u64,
    /// The JobManager runs on the TaskManagers' host: `--jobmanager-on-host`, or one host where nothing else runs it
    /// (a development session; a standalone cluster, whose `start-cluster.sh` starts both there).
    jobmanager_on_host: bool,
    kubernetes: bool,
}

fn memory_bytes(text: &str) -> u64 {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().unwrap();
    n << match &text[digits.len()..] {
        "g" => 30,
        "m" => 20,
        unit => panic!("unit {unit}"),
    }
}

fn emit_cases(work: &std::path::Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for (host_index, (cores, memory, extra)) in HOSTS.iter().enumerate() {
        for (profile_index, profile) in PROFILES.iter().enumerate() {
            // Every host meets every profile; the target rotates so each meets every release and format.
            let (version, format) = TARGETS[(host_index + profile_index) % TARGETS.len()];
            let id = format!(
                "{cores}c-{memory}-{host_index}-{profile}-{version}-{}",
                format.unwrap_or("default")
            );
            let dir = work.join(&id);
            std::fs::create_dir_all(&dir).unwrap();
            let mut command = Flinktune::new()
                .args([
                    "recommend",
                    "--flink-version",
                    version,
                    "--profile",
                    profile,
                ])
                .args(["--cores", cores, "--memory", memory])
                .args(*extra)
                .args([
                    "--checkpoint-dir",
                    "file:///tmp/flinktune-checkpoints",
                    "--allow-local-checkpoints",
                ]);
            if let Some(format) = format {
                command = command.args(["--config-format", format]);
            }
            let Run {
                status,
                stdout,
                stderr,
            } = command.arg("-o").arg(&dir).args(["--format", "json"]).run();
            assert_eq!(status, 0, "{id}: {stderr}");
            cases.push(Case {
                id,
                version,
                dir,
                advice: serde_json::from_str(&stdout).unwrap(),
                memory_bytes: memory_bytes(memory),
                jobmanager_on_host: extra.contains(&"--jobmanager-on-host")
                    || (!extra.contains(&"--hosts")
                        && (*profile == "dev-session" || !extra.contains(&"kubernetes"))),
                kubernetes: extra.contains(&"kubernetes"),
            });
        }
    }
    cases
}

/// The value recommend wrote for `key`, if it wrote one.
fn written<'a>(case: &'a Case, key: &str) -> Option<&'a str> {
    case.advice["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|setting| setting["key"] == key)
        .map(|setting| setting["value"].as_str().unwrap())
}

fn bytes_of(map: &BTreeMap<String, String>, key: &str) -> u64 {
    map[key].trim_end_matches('b').parse().unwrap()
}

#[test]
#[ignore = "needs Java 17 and real Flink distributions (scripts/test.sh)"]
fn real_flink_loads_and_resolves_every_recommendation() {
    let work = temp_dir("flink-recommend");
    let cases = emit_cases(&work);
    assert!(cases.len() >= 30, "{} combinations", cases.len());
    let mut checked = 0;
    // Every combination is judged and every failed judgement listed at the end: one wrong rule shows on all the
    // combinations it touches, not only on the first.
    let mut failures: Vec<String> = Vec::new();
    macro_rules! judge {
        ($holds:expr, $($message:tt)+) => {
            let holds: bool = $holds;
            if !holds {
                failures.push(format!($($message)+));
            }
        };
    }
    for version in ["2.3.0", "1.20.3"] {
        let home = flink_home(version);
        let ours: Vec<&Case> = cases
            .iter()
            .filter(|case| case.version == version)
            .collect();
        let dirs: Vec<(String, PathBuf)> = ours
            .iter()
            .map(|case| (case.id.clone(), case.dir.clone()))
            .collect();
        let verdicts = config_oracle(&home, &work.join(format!("oracle-{version}")), &dirs);
        // The string-typed options parse whatever they say: Flink's own loaders build what they name.
        let factories = factory_oracle(&home, &work.join(format!("factories-{version}")), &dirs);
        let mut memory_cases = Vec::new();
        for case in &ours {
            // Flink's loader: every key a main key of this release, every value parsed as its type.
            let keys = match &verdicts[&case.id] {
                ConfigVerdict::Loaded(keys) => keys,
                ConfigVerdict::LoadFailed(chain) => {
                    panic!("{}: Flink could not load the file: {chain:?}", case.id)
                }
            };
            let settings = case.advice["settings"].as_array().unwrap();
            assert_eq!(
                keys.len(),
                settings.len(),
                "{}: every emitted key is loaded",
                case.id
            );
            for (key, verdict) in keys {
                assert!(
                    matches!(verdict, KeyVerdict::Primary(_)),
                    "{}: {key} is {verdict:?}",
                    case.id
                );
            }
            let built = &factories[&case.id];
            // Without the key Flink builds its default, the heap backend (as the oracle's own tests show).
            let backend = written(case, "state.backend.type").unwrap_or("hashmap");
            let backend_class = state_backend_class(backend)
                .unwrap_or_else(|| panic!("{}: state.backend.type {backend}", case.id));
            let expected_backend = if written(case, "state.changelog.enabled") == Some("true") {
                format!("ChangelogStateBackend({backend_class})")
            } else {
                backend_class.to_string()
            };
            judge!(
                built.state_backend.as_deref() == Ok(expected_backend.as_str()),
                "{}: state.backend.type {backend}: Flink built {:?}, not {expected_backend}",
                case.id,
                built.state_backend
            );
            if let Some(restart) = written(case, "restart-strategy.type") {
                judge!(
                    restart_strategy_class(restart)
                        .is_some_and(|class| built.restart_strategy.as_deref() == Ok(class)),
                    "{}: restart-strategy.type {restart}: Flink built {:?}",
                    case.id,
                    built.restart_strategy
                );
            } else {
                judge!(
                    built.restart_strategy.is_ok(),
                    "{}: {:?}",
                    case.id,
                    built.restart_strategy
                );
            }
            // Flink's default failover strategy is `region` (JobManagerOptions.EXECUTION_FAILOVER_STRATEGY).
            let failover =
                written(case, "jobmanager.execution.failover-strategy").unwrap_or("region");
            judge!(
                failover_strategy_class(failover)
                    .is_some_and(|class| built.failover_strategy.as_deref() == Ok(class)),
                "{}: jobmanager.execution.failover-strategy {failover}: Flink built {:?}",
                case.id,
                built.failover_strategy
            );
            for command in ["GET_TM_RESOURCE_PARAMS", "GET_JM_RESOURCE_PARAMS"] {
                memory_cases.push(OracleCase {
                    id: format!("{}#{command}", case.id),
                    command,
                    conf_dir: case.dir.clone(),
                    dynamic_properties: vec![],
                });
            }
        }
        let answers = oracle(
            &home,
            &work.join(format!("memory-{version}")),
            &memory_cases,
        );
        for case in &ours {
            let layout = &case.advice["layout"];
            let FlinkAnswer::Accepted {
                jvm_params,
                dynamic_configs,
            } = &answers[&format!("{}#GET_TM_RESOURCE_PARAMS", case.id)]
            else {
                panic!(
                    "{}: Flink rejects the TaskManager memory: {:?}",
                    case.id,
                    answers[&format!("{}#GET_TM_RESOURCE_PARAMS", case.id)]
                );
            };
            let FlinkAnswer::Accepted {
                jvm_params: jm_params,
                dynamic_configs: jm_configs,
            } = &answers[&format!("{}#GET_JM_RESOURCE_PARAMS", case.id)]
            else {
                panic!("{}: Flink rejects the JobManager memory", case.id);
            };
            // The JobManager's process as Flink derives it from the file, not as flinktune's layout says.
            let jm_resolved = FlinkAnswer::dynamic_map(jm_configs);
            let jobmanager_process: u64 = [
                "jobmanager.memory.heap.size",
                "jobmanager.memory.off-heap.size",
                "jobmanager.memory.jvm-metaspace.size",
                "jobmanager.memory.jvm-overhead.max",
            ]
            .iter()
            .map(|key| bytes_of(&jm_resolved, key))
            .sum();
            let planned_jobmanager = layout["jobmanager_process_bytes"].as_u64().unwrap();
            judge!(
                jobmanager_process == planned_jobmanager,
                "{}: the JobManager Flink starts ({jobmanager_process}) is the one flinktune planned \
                 ({planned_jobmanager})",
                case.id
            );
            let resolved = FlinkAnswer::dynamic_map(dynamic_configs);
            let process: u64 = [
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
            .map(|key| bytes_of(&resolved, key))
            .sum();
            let planned_taskmanager = layout["taskmanager_process_bytes"].as_u64().unwrap();
            judge!(
                process == planned_taskmanager,
                "{}: the TaskManager Flink starts ({process}) is the one flinktune planned ({planned_taskmanager})",
                case.id
            );
            // The host's budget holds its TaskManagers (and its JobManager when it shares the host).
            let per_host = layout["taskmanagers_per_host"].as_u64().unwrap();
            let jobmanager = if case.jobmanager_on_host {
                jobmanager_process
            } else {
                0
            };
            judge!(
                process * per_host + jobmanager <= case.memory_bytes,
                "{}: {process} x {per_host} + {jobmanager} > {}",
                case.id,
                case.memory_bytes
            );
            if !case.kubernetes {
                // At least the OS reserve (1 GiB) is left on a bare host.
                judge!(
                    process * per_host + jobmanager + (1 << 30) <= case.memory_bytes,
                    "{}",
                    case.id
                );
            }
            // Slots and cores as the rules say.
            judge!(
                resolved["taskmanager.numberOfTaskSlots"]
                    .parse::<u64>()
                    .ok()
                    == layout["slots_per_taskmanager"].as_u64(),
                "{}: slots {} resolved, {} planned",
                case.id,
                resolved["taskmanager.numberOfTaskSlots"],
                layout["slots_per_taskmanager"]
            );
            let cores: f64 = resolved["taskmanager.cpu.cores"].parse().unwrap();
            judge!(
                (cores - layout["cores_per_taskmanager"].as_f64().unwrap()).abs() < 1e-9,
                "{}",
                case.id
            );
            // Each heap under the compressed-pointer limit, Kubernetes pods included (a pod splits into several).
            let heap: u64 = jvm_params
                .split_whitespace()
                .find_map(|arg| arg.strip_prefix("-Xmx"))
                .unwrap()
                .parse()
                .unwrap();
            judge!(heap <= HEAP_LIMIT, "{}: heap {heap}", case.id);
            // Every slot keeps a task heap to work in (FT-MEM-001).
            let slots: u64 = resolved["taskmanager.numberOfTaskSlots"].parse().unwrap();
            let task_heap = bytes_of(&resolved, "taskmanager.memory.task.heap.size");
            judge!(
                task_heap / slots >= MIN_TASK_HEAP_PER_SLOT,
                "{}: task heap {task_heap} over {slots} slots",
                case.id
            );
            // RocksDB and ForSt keep their cache and write buffers in managed memory (FT-MEM-002).
            let managed = bytes_of(&resolved, "taskmanager.memory.managed.size");
            if matches!(
                written(case, "state.backend.type"),
                Some("rocksdb" | "forst")
            ) {
                judge!(
                    managed / slots >= MIN_ROCKSDB_MANAGED_PER_SLOT,
                    "{}: managed {managed} over {slots} slots",
                    case.id
                );
            }
            // The job's parallelism within its max parallelism, within Flink's bound and the slots there are.
            let number = |key: &str| written(case, key).map(|value| value.parse::<u64>().unwrap());
            if let Some(parallelism) = number("parallelism.default") {
                judge!(
                    parallelism <= layout["total_slots"].as_u64().unwrap(),
                    "{}: parallelism {parallelism}",
                    case.id
                );
                if let Some(max) = number("pipeline.max-parallelism") {
                    judge!(
                        parallelism <= max && max <= MAX_PARALLELISM_BOUND,
                        "{}: parallelism {parallelism}, max {max}",
                        case.id
                    );
                }
            }
            // The JobManager coordinates; the TaskManagers do the work: where they share a host, the JobManager is
            // never the larger process. (On a machine of its own it may be: a cluster of many small TaskManagers
            // needs a JobManager that holds all their subtasks' execution graph.)
            judge!(
                !case.jobmanager_on_host || jobmanager_process <= process,
                "{}: JobManager {jobmanager_process} beside a TaskManager of {process}",
                case.id
            );
            judge!(jm_params.contains("-Xmx"), "{}", case.id);
            checked += 1;
        }
    }
    println!("real Flink loaded and resolved {checked} recommendations");
    assert_eq!(checked, cases.len());
    assert!(
        failures.is_empty(),
        "{} failed judgements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh)"]
fn a_taskmanager_started_from_the_emitted_file_registers() {
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-recommend-cluster");
    let conf = work.join("emitted");
    std::fs::create_dir_all(&conf).unwrap();
    // A small IO-bound host with the JobManager beside the TaskManager, as on a single test machine.
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .args([
            "recommend",
            "--flink-version",
            "2.3.0",
            "--profile",
            "io-bound",
        ])
        .args(["--cores", "2", "--memory", "6g", "--jobmanager-on-host"])
        .args(["--format", "json", "-o"])
        .arg(&conf)
        .run();
    assert_eq!(status, 0, "{stderr}");
    let advice: Value = serde_json::from_str(&stdout).unwrap();
    let started = Instant::now();
    let cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    let taskmanagers = cluster.wait_for_taskmanagers(1, Duration::from_secs(120));
    println!(
        "TaskManager from the emitted config.yaml registered after {:.1?}",
        started.elapsed()
    );
    let taskmanager = &taskmanagers["taskmanagers"][0];
    assert_eq!(
        taskmanager["slotsNumber"].as_u64(),
        advice["layout"]["slots_per_taskmanager"].as_u64()
    );
    assert_eq!(
        taskmanager["memoryConfiguration"]["totalProcessMemory"].as_u64(),
        advice["layout"]["taskmanager_process_bytes"].as_u64()
    );
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh); takes about a minute"]
fn a_low_latency_job_checkpoints_through_the_changelog() {
    // Issue 11 phase 2, case 3: exactly-once sinks with a short interval on the heap backend get the changelog on the
    // checkpoints' storage. Real Flink must run a stateful job with it and complete checkpoints, writing changelog
    // files beside the checkpoint directory.
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-recommend-changelog");
    let conf = work.join("emitted");
    std::fs::create_dir_all(&conf).unwrap();
    let checkpoints = work.join("ckpt");
    let Run { status, stderr, .. } = Flinktune::new()
        .args([
            "recommend",
            "--flink-version",
            "2.3.0",
            "--profile",
            "low-latency",
        ])
        .args(["--cores", "2", "--memory", "6g", "--jobmanager-on-host"])
        .args(["--latency-target", "2 s", "--checkpoint-dir"])
        .arg(format!("file://{}", checkpoints.display()))
        .arg("-o")
        .arg(&conf)
        .run();
    assert_eq!(status, 0, "{stderr}");
    let file = std::fs::read_to_string(conf.join("config.yaml")).unwrap();
    assert!(file.contains("state.changelog.enabled: true"), "{file}");
    let mut cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    cluster.wait_for_taskmanagers(1, Duration::from_secs(120));
    let jar = crate::support::job::datagen_job_jar(&home, &work);
    let job =
        crate::support::job::submit_datagen(&cluster, &home, &jar, &[], &["2000".to_string()]);
    crate::support::job::wait_job_running(&cluster, &job);
    let deadline = Instant::now() + Duration::from_secs(90);
    let completed = loop {
        let counts = cluster.rest_get(&format!("/jobs/{job}/checkpoints"))["counts"].clone();
        let completed = counts["completed"].as_u64().unwrap_or(0);
        if completed >= 3 {
            break completed;
        }
        assert!(
            Instant::now() < deadline,
            "checkpoints with the changelog did not complete: {counts}\n{}",
            cluster.log_tail()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let changelog = work.join("changelog");
    let files = walk_count(&changelog);
    println!(
        "{completed} checkpoints completed with the changelog; {files} files under {}",
        changelog.display()
    );
    assert!(
        files > 0,
        "no changelog files under {}",
        changelog.display()
    );
    crate::support::job::cancel_job(&cluster, &home, &job);
    cluster.stop();
}

fn walk_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|entry| {
                let path = entry.path();
                if path.is_dir() { walk_count(&path) } else { 1 }
            })
            .sum()
    })
}
