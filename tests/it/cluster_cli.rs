//! `flinktune metrics` and `recommend --from-cluster` as a user runs them, against the fake Flink REST server
//! (tests/it/support/fake_flink.rs): what they print, what the emitted file holds, and their errors. The real cluster is
//! tests/it/flink_live.rs.

use crate::support::fake_flink::{Config, FakeFlink, JOB_ID};
use crate::support::{Flinktune, Run, temp_dir};

fn fake_job() -> FakeFlink {
    FakeFlink::start(Config {
        vertices: 3,
        ..Config::default()
    })
}

#[test]
fn metrics_reports_every_vertex_as_json() {
    let server = fake_job();
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .args([
            "metrics",
            "--from-cluster",
            &server.url,
            "--samples",
            "1",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(status, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["job_id"], JOB_ID);
    assert_eq!(report["flink_version"], "2.3.0");
    assert_eq!(report["vertices"].as_array().unwrap().len(), 3);
}

/// `metrics --format json` carries each vertex's advice as data (issue 13): parallelism now and advised, utilization,
/// rates and the reason, for the input rate asked for. Snapshot-tested, so a change to a field is a reviewed change.
#[test]
fn metrics_json_carries_per_vertex_advice_as_data() {
    let server = fake_job();
    let run = Flinktune::new()
        .args(["metrics", "--from-cluster", &server.url, "--samples", "1"])
        .args(["--input-rate", "1000", "--format", "json"])
        .quiet_success();
    insta::assert_snapshot!(run.stdout);
}

/// `recommend --from-cluster --format json` carries the same per-vertex advice as `metrics` (one source, the
/// analysis), where it once came only inside a warning; the warning and the data agree.
#[test]
fn recommend_from_a_cluster_prints_each_vertexs_advice_as_metrics_does() {
    let server = fake_job();
    let vertices = |command: &[&str]| {
        let run = Flinktune::new()
            .args(command)
            .args(["--from-cluster", &server.url, "--samples", "1"])
            .args(["--input-rate", "1000", "--format", "json"])
            .success();
        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        (document["vertices"].clone(), document, run.stdout)
    };
    let (measured, _, _) = vertices(&["metrics"]);
    let (advised, document, printed) = vertices(&["recommend", "--profile", "balanced"]);
    assert_eq!(advised, measured);
    insta::assert_snapshot!(top_level_field(&printed, "vertices"));
    // Flink 2.3 takes no per-vertex parallelism from the file: the warning names what the data says.
    let warning = document["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|warning| warning.as_str())
        .find(|warning| warning.contains("FLINK-38770"))
        .unwrap_or_else(|| panic!("{document:#}"));
    let widest = advised
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|vertex| vertex["advised_parallelism"].as_u64())
        .max()
        .unwrap();
    for vertex in advised.as_array().unwrap() {
        let advised = vertex["advised_parallelism"].as_u64().unwrap();
        if advised < widest {
            let named = format!("{} {advised}", vertex["name"].as_str().unwrap());
            assert!(warning.contains(&named), "{named:?} in {warning}");
        }
    }
    let plain = Flinktune::new()
        .args([
            "recommend",
            "--cores",
            "2",
            "--memory",
            "4g",
            "--disk",
            "ssd",
        ])
        .args(["--flink-version", "2.3", "--format", "json"])
        .success();
    let plain: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    assert!(plain["vertices"].is_null(), "{plain:#}");
}

/// One top-level field of a pretty-printed JSON object, as printed (numbers exactly as written, fields in their
/// order): from its line to the next top-level field.
fn top_level_field<'a>(document: &'a str, field: &str) -> &'a str {
    let start = document
        .find(&format!("\n  \"{field}\": "))
        .unwrap_or_else(|| panic!("no {field} in {document}"));
    let rest = &document[start + 1..];
    let end = rest
        .match_indices("\n  \"")
        .next()
        .map_or(rest.len(), |(end, _)| end);
    &rest[..end]
}

#[test]
fn recommend_from_a_cluster_sizes_state_from_its_checkpoints() {
    let server = fake_job();
    let out = temp_dir("cluster-cli-state");
    let Run { status, stderr, .. } = Flinktune::new()
        .args(["recommend", "--from-cluster", &server.url, "--samples", "1"])
        .args(["--profile", "balanced", "--input-rate", "1000", "-o"])
        .arg(&out)
        .run();
    assert_eq!(status, 0, "{stderr}");
    // The fake job's largest full checkpoint is 2 MiB; the balanced profile guesses 10 GiB.
    assert!(
        stderr.contains("state size 2 MiB as the running job's checkpoints measured it"),
        "{stderr}"
    );
    let config = std::fs::read_to_string(out.join("config.yaml")).unwrap();
    assert!(
        config.contains("state.backend.type: hashmap"),
        "measured small state fits the heap:\n{config}"
    );
    assert!(config.contains("pipeline.max-parallelism: 128"), "{config}");
}

/// A RocksDB job without a completed checkpoint has its state read from RocksDB's size gauges when it turns them on
/// (issue 11); not when it restarted while sampled, whose gauges describe a state rebuilt since.
#[test]
fn rocksdb_state_comes_from_its_size_metrics_unless_the_job_restarted_while_sampled() {
    let recommend = |restarts_after_ms| {
        let server = FakeFlink::start(Config {
            vertices: 3,
            no_checkpoint_yet: true,
            rocksdb_size_metrics: true,
            // The first reads come well within 1.5 s; the job is read again after the sample's 2 s fetch wait.
            restarts_after_ms,
            ..Config::default()
        });
        let Run { status, stderr, .. } = Flinktune::new()
            .args(["recommend", "--from-cluster", &server.url, "--samples", "1"])
            .args(["--profile", "balanced", "--format", "json"])
            .run();
        assert_eq!(status, 0, "{stderr}");
        stderr
    };
    let note = "state size 1 MiB as RocksDB's size metrics report it";
    let steady = recommend(None);
    assert!(steady.contains(note), "{steady}");
    let restarted = recommend(Some(1500));
    assert!(!restarted.contains("RocksDB's size metrics"), "{restarted}");
    assert!(restarted.contains("restarted"), "{restarted}");
}

#[test]
fn a_state_size_flag_wins_over_the_measurement() {
    let server = fake_job();
    let out = temp_dir("cluster-cli-flag");
    let Run { status, stderr, .. } = Flinktune::new()
        .args(["recommend", "--from-cluster", &server.url, "--samples", "1"])
        .args(["--profile", "balanced", "--state-size", "200gb"])
        .args(["--checkpoint-dir", "s3://b/c", "-o"])
        .arg(&out)
        .run();
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("checkpoints measured it"), "{stderr}");
    let config = std::fs::read_to_string(out.join("config.yaml")).unwrap();
    assert!(config.contains("state.backend.type: rocksdb"), "{config}");
}

/// `plan --from-cluster` takes the job's throughput per slot and its input rate from the running job where the
/// flags give none (issue 14), and a flag still wins.
#[test]
fn plan_from_a_cluster_measures_the_throughput_per_slot() {
    let server = fake_job();
    let plan = |extra: &[&str]| {
        Flinktune::new()
            .args(["plan", "--from-cluster", &server.url, "--samples", "1"])
            .args([
                "--cores",
                "8",
                "--memory",
                "32g",
                "--disk",
                "ssd",
                "--flink-version",
                "2.3",
            ])
            .args(["--format", "json"])
            .args(extra)
            .run()
    };
    let Run {
        status,
        stdout,
        stderr,
    } = plan(&[]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("as measured on the running job") && stderr.contains("input rate"),
        "{stderr}"
    );
    let measured = |stdout: &str| {
        let report: serde_json::Value = serde_json::from_str(stdout).unwrap();
        (
            report["inputs"]["slot_throughput"].as_u64(),
            report["inputs"]["input_rate"].as_u64(),
        )
    };
    let (throughput, rate) = measured(&stdout);
    let note_figure = |what: &str| {
        stderr
            .split(what)
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|number| number.parse::<u64>().ok())
    };
    assert!(throughput.is_some_and(|t| t > 0), "{stdout}");
    assert_eq!(throughput, note_figure("slot throughput "), "{stderr}");
    assert_eq!(rate, note_figure("input rate "), "{stderr}");
    let Run {
        status,
        stdout,
        stderr,
    } = plan(&["--slot-throughput", "123", "--input-rate", "4567"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        !stderr.contains("as measured on the running job"),
        "{stderr}"
    );
    assert_eq!(measured(&stdout), (Some(123), Some(4567)));
}

#[test]
fn an_unreachable_cluster_is_one_clear_line_and_exit_2() {
    let port = crate::support::cluster::free_port();
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .args([
            "metrics",
            "--from-cluster",
            &format!("http://127.0.0.1:{port}"),
        ])
        .run();
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(stderr.contains("check the REST URL"), "{stderr}");
}

/// Vertex names come from the server: in JSON they are the names as Flink gave them, escaped by JSON alone, so the
/// document holds no raw escape character and a script reading it gets the name back byte for byte.
#[test]
fn hostile_vertex_names_survive_json_as_data() {
    let server = FakeFlink::start(Config {
        vertices: 2,
        hostile_names: true,
        ..Config::default()
    });
    for command in ["metrics", "recommend"] {
        let run = Flinktune::new()
            .args([command, "--from-cluster", &server.url, "--samples", "1"])
            .args(["--format", "json"])
            .success();
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
            "{command}: {:?}",
            run.stdout
        );
        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            document["vertices"][0]["name"], "Source: kafka[1]\u{1b}[31m red\u{1b}]0;pwned\u{7}",
            "{command}"
        );
    }
}

/// A job and its vertices named with terminal escapes (issue 12): `metrics` shows them escaped in the table and its
/// title, in colour or not, piped or not; the only escape sequences left are flinktune's own colours.
#[test]
fn hostile_job_and_vertex_names_are_escaped_in_the_table() {
    let server = FakeFlink::start(Config {
        vertices: 2,
        hostile_names: true,
        ..Config::default()
    });
    for colour in ["always", "never"] {
        let Run { status, stdout, .. } = Flinktune::new()
            .args(["metrics", "--from-cluster", &server.url, "--samples", "1"])
            .args(["--color", colour])
            .run();
        assert_eq!(status, 0, "{stdout}");
        assert!(
            stdout.contains(r"orders\x1b[31m red\x1b]0;pwned\x07")
                && stdout.contains(r"Source: kafka[1]\x1b[31m red"),
            "{stdout}"
        );
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{stdout:?}"
        );
    }
}
