//! flinktune's memory model against Flink's own: for hundreds of generated configurations per version, the real
//! Flink distribution (BashJavaUtils' GET_TM_RESOURCE_PARAMS / GET_JM_RESOURCE_PARAMS) and `flinktune memory` must
//! agree on every byte, the JVM arguments, the dynamic settings, and, where Flink refuses, on the message and each
//! cause. Needs Java 17 and the network to the Python package index once (cached); run by the README's full test
//! command. `cargo test --test it -- --ignored flink_differential` runs it alone.

use std::collections::BTreeMap;

use flinktune::FlinkVersion;
use flinktune::conf_source::{self, ConfigSource};
use flinktune::{jobmanager_memory, taskmanager_memory};

use crate::support::config_gen::{FileKind, GeneratedConfig, Rng, boundary_cases, generate};
use crate::support::flink::{
    FlinkAnswer, OracleCase, bash_java_utils, flink_home, logged_memory_block, oracle,
};
use crate::support::{Flinktune, Run, temp_dir};

const CASES_PER_VERSION: usize = 400;

fn json_u64(side: &serde_json::Value, field: &str) -> u64 {
    side[field]
        .as_u64()
        .unwrap_or_else(|| panic!("field {field} missing in {side}"))
}

/// The component a `-D` key of Flink's dynamic configs pins, per JSON field of ours.
const TM_FIELDS: [(&str, &str); 8] = [
    ("framework_heap", "taskmanager.memory.framework.heap.size"),
    ("task_heap", "taskmanager.memory.task.heap.size"),
    ("managed", "taskmanager.memory.managed.size"),
    (
        "framework_off_heap",
        "taskmanager.memory.framework.off-heap.size",
    ),
    ("task_off_heap", "taskmanager.memory.task.off-heap.size"),
    ("network", "taskmanager.memory.network.min"),
    ("jvm_metaspace", "taskmanager.memory.jvm-metaspace.size"),
    ("jvm_overhead", "taskmanager.memory.jvm-overhead.min"),
];
const JM_FIELDS: [(&str, &str); 4] = [
    ("jvm_heap", "jobmanager.memory.heap.size"),
    ("off_heap", "jobmanager.memory.off-heap.size"),
    ("jvm_metaspace", "jobmanager.memory.jvm-metaspace.size"),
    ("jvm_overhead", "jobmanager.memory.jvm-overhead.min"),
];

fn compare_side(
    case: &str,
    side_name: &str,
    ours: &serde_json::Value,
    ours_chain: Vec<String>,
    flink: &FlinkAnswer,
    fields: &[(&str, &str)],
    mismatches: &mut Vec<String>,
) {
    match flink {
        FlinkAnswer::Accepted {
            jvm_params,
            dynamic_configs,
        } => {
            if ours.get("error").is_some() {
                mismatches.push(format!(
                    "{case} {side_name}: Flink accepts, flinktune rejects: {}",
                    ours["error"]
                ));
                return;
            }
            if ours["jvm_args"] != *jvm_params {
                mismatches.push(format!(
                    "{case} {side_name}: jvm args {} vs Flink {jvm_params}",
                    ours["jvm_args"]
                ));
            }
            if ours["dynamic_configs"] != *dynamic_configs {
                mismatches.push(format!(
                    "{case} {side_name}: dynamic {} vs Flink {dynamic_configs}",
                    ours["dynamic_configs"]
                ));
            }
            let pinned = FlinkAnswer::dynamic_map(dynamic_configs);
            for (field, key) in fields {
                let flink_bytes: u64 = pinned[*key].trim_end_matches('b').parse().unwrap();
                if json_u64(ours, field) != flink_bytes {
                    mismatches.push(format!(
                        "{case} {side_name}: {field} {} vs Flink {flink_bytes}",
                        ours[field]
                    ));
                }
            }
        }
        FlinkAnswer::Rejected(chain) => {
            if ours.get("error").is_none() {
                mismatches.push(format!(
                    "{case} {side_name}: Flink rejects ({}), flinktune accepts",
                    chain[0]
                ));
            } else if ours["error"] != chain[0] {
                mismatches.push(format!(
                    "{case} {side_name}: message\n  ours:  {}\n  Flink: {}",
                    ours["error"], chain[0]
                ));
            } else if ours_chain != *chain {
                mismatches.push(format!(
                    "{case} {side_name}: causes\n  ours:  {ours_chain:?}\n  Flink: {chain:?}"
                ));
            }
        }
    }
}

fn differential(flink_version: &str, seed: u64) {
    let home = flink_home(flink_version);
    let version: FlinkVersion = flink_version.parse().unwrap();
    let work = temp_dir(&format!("differential-{flink_version}"));
    let mut rng = Rng::new(seed);
    let mut generated = Vec::new();
    let mut oracle_cases = Vec::new();
    let boundaries = boundary_cases()
        .into_iter()
        .filter(|(kind, _)| *kind == FileKind::Standard || !version.is_2x())
        .map(|(kind, text)| GeneratedConfig {
            kind,
            entries: Vec::new(),
            dynamic_properties: Vec::new(),
            tm_mode: "boundary",
            jm_mode: "boundary",
            nest: false,
            quote: false,
            raw: Some(text.to_string()),
        });
    let configs: Vec<GeneratedConfig> = (0..CASES_PER_VERSION)
        .map(|_| generate(&mut rng, !version.is_2x()))
        .chain(boundaries)
        .collect();
    for (index, config) in configs.into_iter().enumerate() {
        let dir = work.join(format!("case-{index:03}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(config.file_name()), config.render()).unwrap();
        for command in ["GET_TM_RESOURCE_PARAMS", "GET_JM_RESOURCE_PARAMS"] {
            oracle_cases.push(OracleCase {
                id: format!("{index:03}-{command}"),
                command,
                conf_dir: dir.clone(),
                dynamic_properties: config.dynamic_properties.clone(),
            });
        }
        generated.push((dir, config));
    }
    let answers = oracle(&home, &work, &oracle_cases);

    let mut mismatches = Vec::new();
    let mut coverage: BTreeMap<String, usize> = BTreeMap::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (index, (dir, config)) in generated.iter().enumerate() {
        let case = format!("case-{index:03} ({})", dir.display());
        let mut command = Flinktune::new()
            .args([
                "memory",
                "--format",
                "json",
                "--flink-version",
                flink_version,
                "--conf-dir",
            ])
            .arg(dir);
        for (key, value) in &config.dynamic_properties {
            command = command.arg("-D").arg(format!("{key}={value}"));
        }
        let Run {
            status,
            stdout,
            stderr,
        } = command.run();
        let json: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{case}: not JSON ({e}), status {status}, stderr {stderr}"));

        // The full cause chains come from the library, through the same loader.
        let loaded = conf_source::load(
            &ConfigSource::Dir(dir.clone()),
            version,
            &config.dynamic_properties,
        )
        .unwrap();
        let tm_chain = taskmanager_memory(&loaded.configuration, version, None)
            .err()
            .map(|e| e.chain())
            .unwrap_or_default();
        let jm_chain = jobmanager_memory(&loaded.configuration, version, None)
            .err()
            .map(|e| e.chain())
            .unwrap_or_default();

        let tm_answer = &answers[&format!("{index:03}-GET_TM_RESOURCE_PARAMS")];
        let jm_answer = &answers[&format!("{index:03}-GET_JM_RESOURCE_PARAMS")];
        compare_side(
            &case,
            "TaskManager",
            &json["taskmanager"],
            tm_chain,
            tm_answer,
            &TM_FIELDS,
            &mut mismatches,
        );
        compare_side(
            &case,
            "JobManager",
            &json["jobmanager"],
            jm_chain,
            jm_answer,
            &JM_FIELDS,
            &mut mismatches,
        );

        let any_rejected = matches!(tm_answer, FlinkAnswer::Rejected(_))
            || matches!(jm_answer, FlinkAnswer::Rejected(_));
        let expected_status = if any_rejected { 1 } else { 0 };
        if status != expected_status {
            mismatches.push(format!(
                "{case}: exit status {status}, expected {expected_status}"
            ));
        }
        for answer in [tm_answer, jm_answer] {
            match answer {
                FlinkAnswer::Accepted { .. } => accepted += 1,
                FlinkAnswer::Rejected(_) => rejected += 1,
            }
        }
        let tm_outcome = if matches!(tm_answer, FlinkAnswer::Accepted { .. }) {
            "ok"
        } else {
            "rejected"
        };
        let jm_outcome = if matches!(jm_answer, FlinkAnswer::Accepted { .. }) {
            "ok"
        } else {
            "rejected"
        };
        *coverage
            .entry(format!("tm {} {tm_outcome}", config.tm_mode))
            .or_default() += 1;
        *coverage
            .entry(format!("jm {} {jm_outcome}", config.jm_mode))
            .or_default() += 1;
        let format = if config.kind == FileKind::Legacy {
            "flink-conf.yaml"
        } else {
            "config.yaml"
        };
        *coverage.entry(format!("file {format}")).or_default() += 1;
    }

    eprintln!(
        "Flink {flink_version}: {accepted} accepted and {rejected} rejected sides over {} configs",
        generated.len()
    );
    for (what, count) in &coverage {
        eprintln!("  {what}: {count}");
    }
    assert!(
        mismatches.is_empty(),
        "{} disagreements with Flink {flink_version} (first 20):\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must actually reach every derivation mode on both outcomes, or the agreement means little.
    for mode in [
        "tm process ok",
        "tm flink ok",
        "tm fine-grained ok",
        "jm process ok",
        "jm flink ok",
        "jm heap ok",
    ] {
        assert!(
            coverage.get(mode).copied().unwrap_or(0) >= 5,
            "too few '{mode}' cases: {coverage:?}"
        );
    }
    assert!(
        rejected >= 100 && accepted >= 300,
        "accepted {accepted}, rejected {rejected}"
    );
}

#[test]
#[ignore = "needs Java 17 and real Flink (installed by scripts/flink-dist.sh); run by the README's full test command"]
fn flink_differential_2_3_0() {
    differential("2.3.0", 0x2300);
}

#[test]
#[ignore = "needs Java 17 and real Flink (installed by scripts/flink-dist.sh); run by the README's full test command"]
fn flink_differential_1_20_3() {
    differential("1.20.3", 0x1203);
}

/// The end-to-end anchor: Flink's own BashJavaUtils, one JVM per call as the start scripts run it, on the shipped
/// default configuration, a -D-free legacy heap environment variable, and the printed tree.
#[test]
#[ignore = "needs Java 17 and real Flink (installed by scripts/flink-dist.sh); run by the README's full test command"]
fn bash_java_utils_anchor() {
    for flink_version in ["2.3.0", "1.20.3"] {
        let home = flink_home(flink_version);
        let conf = home.join("conf");
        let Run {
            status,
            stdout: text,
            ..
        } = Flinktune::new()
            .args(["memory", "--flink-version", flink_version, "--conf-dir"])
            .arg(&conf)
            .run();
        assert_eq!(status, 0);
        for (command, marker) in [
            ("GET_TM_RESOURCE_PARAMS", "Final TaskExecutor"),
            ("GET_JM_RESOURCE_PARAMS", "Final Master"),
        ] {
            let (jvm, dynamic) = bash_java_utils(&home, command, &conf, &[]).unwrap();
            assert!(
                text.contains(&format!("JVM arguments:    {jvm}\n")),
                "{flink_version} {command}: {jvm}\n{text}"
            );
            assert!(
                text.contains(&format!("Dynamic settings: {dynamic}\n")),
                "{flink_version} {command}"
            );
            let block = logged_memory_block(&home, command, &conf);
            assert!(block.starts_with(marker), "{block}");
            assert!(
                text.contains(&block),
                "{flink_version}: Flink logged\n{block}\nflinktune printed\n{text}"
            );
        }
    }

    // FLINK_TM_HEAP / FLINK_JM_HEAP count on 1.x only (the variables reach Java through the environment).
    let home = flink_home("1.20.3");
    let dir = temp_dir("legacy-env");
    std::fs::write(
        dir.join("flink-conf.yaml"),
        "taskmanager.numberOfTaskSlots: 2\n",
    )
    .unwrap();
    for (var, command, value) in [
        ("FLINK_TM_HEAP", "GET_TM_RESOURCE_PARAMS", "2g"),
        ("FLINK_JM_HEAP", "GET_JM_RESOURCE_PARAMS", "1536m"),
        ("FLINK_TM_HEAP", "GET_TM_RESOURCE_PARAMS", "1.5g"),
    ] {
        let flink = bash_java_utils(&home, command, &dir, &[(var, value)]);
        let Run { status, stdout, .. } = Flinktune::new()
            .env(var, value)
            .args(["memory", "--format", "json", "--conf-dir"])
            .arg(&dir)
            .run();
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let side = if command == "GET_TM_RESOURCE_PARAMS" {
            &json["taskmanager"]
        } else {
            &json["jobmanager"]
        };
        match flink {
            Ok((jvm, _)) => assert_eq!(side["jvm_args"], jvm, "{var}={value}"),
            Err(log) => {
                let message = side["error"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{var}={value}: flinktune accepted"));
                assert!(
                    log.contains(message),
                    "{var}={value}: {message}\nnot in\n{log}"
                );
                assert_eq!(status, 1);
            }
        }
    }
}
