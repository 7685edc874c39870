//! `check`, `explain`, `submit` and `migrate` as users run them: outputs, exit statuses and one-line errors.
//! Offline; the real-Flink evidence is tests/it/flink_submit.rs, tests/it/flink_migrate.rs and the check corpus.

use std::path::{Path, PathBuf};

use crate::support::{Flinktune, Run, temp_dir};

fn dir_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = temp_dir(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    Flinktune::new()
        .arg("check")
        .arg("--conf-dir")
        .arg(dir)
        .args(extra)
        .run()
}

/// Two collectors for the TaskManagers (FT-GC-001): Java 17 refuses to start ("Multiple garbage collectors selected"),
/// so `check` fails the file on the line that adds the second; one stop-the-world collector is fine without job hints
/// and a warning (FT-GC-002) against the low-latency profile's target.
#[test]
fn check_reports_the_taskmanagers_garbage_collectors() {
    let two = dir_with(
        "check-two-collectors",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 4g\n\
             jobmanager.memory.process.size: 1600m\n\
             env.java.opts.all: -XX:+UseG1GC\n\
             env.java.opts.taskmanager: -XX:+UseParallelGC\n",
        )],
    );
    let findings = |run: Run| -> Vec<(String, String, Option<u64>)> {
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        json.as_array()
            .unwrap()
            .iter()
            .filter(|f| f["message"].as_str().unwrap_or("").starts_with("FT-GC"))
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap()[..9].to_string(),
                    f["line"].as_u64(),
                )
            })
            .collect()
    };
    let run = check(&two, &["--flink-version", "2.3", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_eq!(
        findings(run),
        [("error".to_string(), "FT-GC-001".to_string(), Some(4))]
    );
    let parallel = dir_with(
        "check-parallel-collector",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 4g\n\
             jobmanager.memory.process.size: 1600m\n\
             env.java.opts.taskmanager: -XX:+UseParallelGC\n",
        )],
    );
    let plain = check(&parallel, &["--flink-version", "2.3", "--format", "json"]);
    assert_eq!(findings(plain), []);
    let against_latency = check(
        &parallel,
        &[
            "--flink-version",
            "2.3",
            "--format",
            "json",
            "--profile",
            "low-latency",
        ],
    );
    assert_eq!(
        findings(against_latency),
        [("warn".to_string(), "FT-GC-002".to_string(), Some(3))]
    );
}

#[test]
fn check_exits_one_on_errors_and_zero_on_warnings_only() {
    let bad = dir_with(
        "check-bad",
        &[(
            "config.yaml",
            "execution.checkpointing.intervall: 30 s\ntaskmanager.memory.process.size: 1728m\n\
          jobmanager.memory.process.size: 1600m\n",
        )],
    );
    let Run { status, stdout, .. } = check(&bad, &["--flink-version", "2.3", "--format", "json"]);
    assert_eq!(status, 1);
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // File-wide findings come first (here: no env.java.opts.all); the typo is the first one with a place.
    let first = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| !f["line"].is_null())
        .unwrap();
    assert_eq!(first["severity"], "error");
    assert_eq!(first["key"], "execution.checkpointing.intervall");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(36))
    );
    assert!(
        first["fix"]
            .as_str()
            .unwrap()
            .contains("execution.checkpointing.interval")
    );

    let warn_only = dir_with(
        "check-warn",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 1811939328\njobmanager.memory.process.size: 1600m\n",
        )],
    );
    let Run { status, stdout, .. } = check(&warn_only, &["--flink-version", "2.3"]);
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("read it as 1811939328 bytes")
            || stdout.contains("reads it as 1811939328 bytes"),
        "{stdout}"
    );
}

#[test]
fn check_reports_memory_flink_would_reject_with_flinks_message() {
    let dir = dir_with(
        "check-memory",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 1g\ntaskmanager.memory.flink.size: 2g\njobmanager.memory.process.size: 1600m\n",
        )],
    );
    let Run { status, stdout, .. } = check(&dir, &["--flink-version", "2.3", "--format", "json"]);
    assert_eq!(status, 1);
    assert!(
        stdout.contains("is less than the sum of the derived Total Flink Memory size"),
        "{stdout}"
    );
}

#[test]
fn check_with_a_profile_finds_risky_combinations() {
    let dir = dir_with(
        "check-risk",
        &[(
            "config.yaml",
            "state.backend.type: hashmap\nrestart-strategy.type: none\n",
        )],
    );
    let Run { status, stdout, .. } = check(
        &dir,
        &[
            "--flink-version",
            "2.3",
            "--profile",
            "large-state",
            "--format",
            "json",
        ],
    );
    assert_eq!(status, 1);
    for expected in [
        "needs restore, but checkpointing is off",
        "heap state backend with 500 GiB",
        "restart strategy 'none'",
    ] {
        assert!(stdout.contains(expected), "{expected}: {stdout}");
    }
}

/// The profile-field flags `recommend` takes adjust the profile `check` judges against (issue 11): the declared
/// state changes what the heap backend is judged able to hold, with or without a named profile.
#[test]
fn check_takes_the_profile_field_flags_recommend_takes() {
    let dir = dir_with(
        "check-profile-flags",
        &[(
            "config.yaml",
            "state.backend.type: hashmap\nrestart-strategy.type: none\n",
        )],
    );
    let heap_finding = "heap state backend with 500 GiB";
    // No profile and no flags: no job hints, so no profile finding.
    let Run { stdout, .. } = check(&dir, &["--flink-version", "2.3", "--format", "json"]);
    assert!(!stdout.contains(heap_finding), "{stdout}");
    // A flag alone judges against balanced with that field.
    let Run { stdout, .. } = check(
        &dir,
        &[
            "--flink-version",
            "2.3",
            "--state-size",
            "500gb",
            "--format",
            "json",
        ],
    );
    assert!(stdout.contains(heap_finding), "{stdout}");
    // A flag over a named profile replaces its field: large-state's 500 GiB becomes 1 GiB, and the finding goes.
    let Run { stdout, .. } = check(
        &dir,
        &[
            "--flink-version",
            "2.3",
            "--profile",
            "large-state",
            "--state-size",
            "1gb",
            "--format",
            "json",
        ],
    );
    assert!(!stdout.contains(heap_finding), "{stdout}");
    // A bad value is the same one-line error recommend gives.
    let Run { status, stderr, .. } = check(&dir, &["--flink-version", "2.3", "--io-wait", "100%"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("--io-wait"), "{stderr}");
}

#[test]
fn check_refuses_a_config_yaml_flink_cannot_load() {
    let dir = dir_with(
        "check-dup",
        &[(
            "config.yaml",
            "parallelism.default: 1\nparallelism.default: 2\n",
        )],
    );
    let Run { status, stderr, .. } = check(&dir, &["--flink-version", "2.3"]);
    assert_eq!(status, 2);
    assert!(
        stderr.starts_with("error: ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(stderr.contains(":2:"), "{stderr}");
}

#[test]
fn explain_shows_the_winning_layer() {
    let dir = dir_with(
        "explain",
        &[(
            "config.yaml",
            "parallelism.default: 2\nstate.backend: rocksdb\n",
        )],
    );
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .args([
            "explain",
            "parallelism.default",
            "state.backend.type",
            "--flink-version",
            "2.3",
            "-D",
            "parallelism.default=4",
            "-p",
            "8",
        ])
        .arg("--conf-dir")
        .arg(&dir)
        .run();
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("effective: 8 (from -p (flink run))\n"),
        "{stdout}"
    );
    assert!(stdout.contains("(as state.backend)"), "{stdout}");
    assert!(
        stdout.contains("only code can set it: look for operator.setParallelism(n)"),
        "{stdout}"
    );
}

#[test]
fn submit_prints_the_command_for_each_mode() {
    let host = ["--cores", "4", "--memory", "16g", "--disk", "ssd"];
    let submit = |extra: &[&str]| {
        Flinktune::new()
            .args([
                "submit",
                "--jar",
                "/jobs/orders.jar",
                "--class",
                "com.example.Orders",
            ])
            .args(host)
            .args(extra)
            .args(["--", "--topic", "orders in"])
            .run()
    };
    let Run { status, stdout, .. } =
        submit(&["--profile", "dev-session", "--flink-version", "2.3"]);
    assert_eq!(status, 0);
    let line = stdout.lines().nth(1).unwrap();
    assert!(
        line.starts_with("flink run -t remote -Drest.address=localhost -Drest.port=8081 -d -p 4 "),
        "{line}"
    );
    assert!(
        !line.contains("taskmanager.memory"),
        "session submissions carry job settings only: {line}"
    );
    assert!(
        line.ends_with("-c com.example.Orders /jobs/orders.jar --topic 'orders in'"),
        "{line}"
    );
    assert!(stdout.starts_with("# flinktune"), "{stdout}");

    // 2.x's CLI has no `run-application` action; 1.x keeps it.
    let Run { stdout, .. } = submit(&["--deployment", "yarn", "--flink-version", "2.3"]);
    assert!(
        stdout.contains("flink run -t yarn-application -p "),
        "{stdout}"
    );
    let Run { stdout: on_1x, .. } = submit(&["--deployment", "yarn", "--flink-version", "1.20"]);
    assert!(
        on_1x.contains("flink run-application -t yarn-application -p "),
        "{on_1x}"
    );
    assert!(
        stdout.contains("-Dtaskmanager.memory.process.size="),
        "{stdout}"
    );

    let Run { status, stderr, .. } = submit(&[
        "--deployment",
        "yarn",
        "--mode",
        "per-job",
        "--flink-version",
        "2.3",
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("per-job mode is gone in Flink 2.3"),
        "{stderr}"
    );
    let Run { status, stdout, .. } = submit(&[
        "--deployment",
        "yarn",
        "--mode",
        "per-job",
        "--flink-version",
        "1.20",
    ]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("flink run -t yarn-per-job -d -p "),
        "{stdout}"
    );
    let Run { status, stderr, .. } = submit(&[
        "--deployment",
        "kubernetes",
        "--mode",
        "session",
        "--flink-version",
        "2.3",
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("needs --cluster-id"), "{stderr}");
}

#[test]
fn submit_k8s_manifest_agrees_with_the_recommendation() {
    let host = [
        "--cores",
        "8",
        "--memory",
        "32g",
        "--disk",
        "ssd",
        "--deployment",
        "kubernetes",
    ];
    let Run {
        status,
        stdout: manifest,
        stderr,
    } = Flinktune::new()
        .args([
            "submit",
            "--format",
            "k8s",
            "--jar",
            "orders.jar",
            "--class",
            "com.example.Orders",
            "--flink-version",
            "2.3",
        ])
        .args(host)
        .run();
    assert_eq!(status, 0, "{stderr}");
    let Run { stdout: advice, .. } = Flinktune::new()
        .args(["recommend", "--format", "json", "--flink-version", "2.3"])
        .args(host)
        .run();
    let advice: serde_json::Value = serde_json::from_str(&advice).unwrap();
    let tm_bytes = advice["layout"]["taskmanager_process_bytes"]
        .as_u64()
        .unwrap();
    let tm_memory = manifest
        .split("  taskManager:\n    resource:\n      memory: '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert_eq!(
        flinktune::MemorySize::parse(tm_memory).unwrap().bytes(),
        tm_bytes,
        "{manifest}"
    );
    assert!(manifest.contains("  flinkVersion: v2_3\n"), "{manifest}");
    assert!(
        manifest.contains("    upgradeMode: stateless\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("jarURI: 'local:///opt/flink/usrlib/orders.jar'"),
        "{manifest}"
    );
    // Restore needs savepoints for upgradeMode: savepoint.
    let Run { status, stderr, .. } = Flinktune::new()
        .args([
            "submit",
            "--format",
            "k8s",
            "--jar",
            "orders.jar",
            "--flink-version",
            "2.3",
        ])
        .args(host)
        .args(["--restore", "--checkpoint-dir", "s3://b/ckpt"])
        .run();
    assert_eq!(status, 2);
    assert!(stderr.contains("--savepoint-dir"), "{stderr}");
    let Run {
        status,
        stdout: manifest,
        ..
    } = Flinktune::new()
        .args([
            "submit",
            "--format",
            "k8s",
            "--jar",
            "orders.jar",
            "--flink-version",
            "2.3",
        ])
        .args(host)
        .args([
            "--restore",
            "--checkpoint-dir",
            "s3://b/ckpt",
            "--savepoint-dir",
            "s3://b/sp",
        ])
        .run();
    assert_eq!(status, 0);
    assert!(
        manifest.contains("    upgradeMode: savepoint\n"),
        "{manifest}"
    );
}

#[test]
fn migrate_refuses_to_overwrite_and_needs_a_yaml_release() {
    let dir = dir_with(
        "migrate-cli",
        &[
            ("flink-conf.yaml", "state.backend: rocksdb\n"),
            ("config.yaml", "keep: me\n"),
        ],
    );
    let Run { status, stderr, .. } = Flinktune::new()
        .arg("migrate")
        .arg(dir.join("flink-conf.yaml"))
        .run();
    assert_eq!(status, 2);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("config.yaml")).unwrap(),
        "keep: me\n"
    );
    let Run { status, stderr, .. } = Flinktune::new()
        .arg("migrate")
        .arg(dir.join("flink-conf.yaml"))
        .arg("--force")
        .run();
    assert_eq!(status, 0, "{stderr}");
    assert!(
        std::fs::read_to_string(dir.join("config.yaml"))
            .unwrap()
            .contains("state.backend.type: rocksdb")
    );
    // The replaced file is kept beside it, and the run says so.
    assert!(stderr.contains("config.yaml.bak"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("config.yaml.bak")).unwrap(),
        "keep: me\n"
    );
    let Run { status, stderr, .. } = Flinktune::new()
        .arg("migrate")
        .arg(dir.join("flink-conf.yaml"))
        .args(["--flink-version", "1.18", "-o"])
        .arg(dir.join("x.yaml"))
        .run();
    assert_eq!(status, 2);
    assert!(stderr.contains("1.19 or later"), "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
}
