//! `--format json` on `explain`, `profiles`, `migrate` and `submit` (issue 13): structured data, one document on
//! stdout, snapshot-tested so that a change to a field is a reviewed change. Also the one-name-per-concept aliases:
//! the old spellings keep working without being offered.

use crate::support::{Flinktune, Run, temp_dir};

fn json(run: Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}", run.stdout))
}

#[test]
fn explain_as_json() {
    let run = Flinktune::new()
        .args([
            "explain",
            "parallelism.default",
            "state.backend",
            "--flink-version",
            "2.3",
        ])
        .args(["-D", "parallelism.default=4", "-p", "8", "--format", "json"])
        .quiet_success();
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn profiles_as_json() {
    let one = Flinktune::new()
        .args(["profiles", "low-latency", "--format", "json"])
        .quiet_success();
    insta::assert_snapshot!(one.stdout);
    let all = json(
        Flinktune::new()
            .args(["profiles", "--format", "json"])
            .quiet_success(),
    );
    assert_eq!(all.as_array().unwrap().len(), 7);
}

#[test]
fn migrate_as_json() {
    let dir = temp_dir("json-migrate");
    std::fs::write(
        dir.join("flink-conf.yaml"),
        "state.backend: rocksdb\nparallelism.default: 1\nparallelism.default: 4\n",
    )
    .unwrap();
    let _ = std::fs::remove_file(dir.join("config.yaml"));
    let run = Flinktune::new()
        .current_dir(&dir)
        .args([
            "migrate",
            "flink-conf.yaml",
            "--flink-version",
            "2.3",
            "--format",
            "json",
        ])
        .quiet_success();
    insta::assert_snapshot!(run.stdout);
    assert!(dir.join("config.yaml").is_file());
}

#[test]
fn submit_as_json() {
    let run = Flinktune::new()
        .args([
            "submit",
            "--flink-version",
            "2.3",
            "--cores",
            "4",
            "--memory",
            "16g",
            "--disk",
            "ssd",
        ])
        .args([
            "--deployment",
            "yarn",
            "--checkpoint-dir",
            "s3://bucket/checkpoints",
        ])
        .args([
            "--jar",
            "/jobs/orders.jar",
            "--class",
            "com.example.Orders",
            "--format",
            "json",
        ])
        .args(["--", "--topic", "orders"])
        .quiet_success();
    let document = json(Run {
        status: run.status,
        stdout: run.stdout.clone(),
        stderr: String::new(),
    });
    assert!(
        document["commands"][0]
            .as_str()
            .unwrap()
            .starts_with("flink run -t yarn-application")
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn old_spellings_still_work_but_are_not_offered() {
    let dir = temp_dir("json-aliases");
    std::fs::write(
        dir.join("config.yaml"),
        "taskmanager.memory.process.size: 1728m\njobmanager.memory.process.size: 1600m\n",
    )
    .unwrap();
    let memory = |format: &str| {
        Flinktune::new()
            .args(["memory", "--flink-version", "2.3", "--conf"])
            .arg(dir.join("config.yaml"))
            .args(["--format", format])
            .quiet_success()
            .stdout
    };
    assert_eq!(memory("text"), memory("table"));
    let recommend = |flags: &[&str]| {
        Flinktune::new()
            .args([
                "recommend",
                "--flink-version",
                "2.3",
                "--cores",
                "4",
                "--memory",
                "16g",
            ])
            .args(["--disk", "ssd", "--format", "json"])
            .args(flags)
            .success()
            .stdout
    };
    assert_eq!(
        recommend(&["--kafka-partitions", "3", "--recovery-time", "2 min"]),
        recommend(&[
            "--source-partitions",
            "3",
            "--recovery-time-objective",
            "2 min"
        ])
    );
    let help = Flinktune::new()
        .args(["recommend", "--help"])
        .quiet_success()
        .stdout;
    assert!(help.contains("--source-partitions") && help.contains("--recovery-time-objective"));
    assert!(
        !help.contains("--kafka-partitions <") && !help.contains("--recovery-time <"),
        "{help}"
    );
    let help = Flinktune::new()
        .args(["memory", "--help"])
        .quiet_success()
        .stdout;
    assert!(help.contains("table") && !help.contains("text:"), "{help}");
}
