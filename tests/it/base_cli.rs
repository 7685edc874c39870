//! `recommend --base FILE` (issue 13): a team's own configuration carried into the emitted file. Keys flinktune does
//! not decide are kept with their comments in a marked section, in the target release's spelling; keys it decides
//! are replaced and say what the base had (a pin wins over both); the regenerate line and `--check` carry `--base`;
//! the JSON says where each key came from; and `check` finds the result coherent.

use serde_json::Value;

use crate::support::{Flinktune, Host, temp_dir};

/// A nested config.yaml as Flink 2.x ships it, with site settings and comments.
const NESTED_BASE: &str = "\
# Licensed to the Apache Software Foundation (ASF).

jobmanager:
  # The external address of the JobManager,
  # as TaskManagers and clients reach it.
  rpc:
    address: jm.example.com
    # The RPC port where the JobManager is reachable.
    port: 6200
taskmanager:
  numberOfTaskSlots: 1
  memory:
    process:
      size: 1728m
rest:
  # The port to which the REST client connects
  port: 18081
metrics:
  reporter:
    jmx:
      factory.class: org.apache.flink.metrics.jmx.JMXReporterFactory
      port: 9250-9260
";

/// A flink-conf.yaml of a 1.x cluster, with spellings 2.x renamed.
const LEGACY_BASE: &str = "\
# Site settings
jobmanager.rpc.address: jm.example.com
akka.ask.timeout: 20 s
taskmanager.numberOfTaskSlots: 2
# Prometheus on every TaskManager
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: 9249
taskmanager.memory.task.heap.size: 2g
";

fn recommend(dir: &std::path::Path) -> Flinktune {
    Flinktune::recommend()
        .host(Host::MEDIUM)
        .flink_version("2.3")
        .current_dir(dir)
}

#[test]
fn a_nested_base_keeps_site_keys_with_their_comments_and_says_what_it_replaced() {
    let dir = temp_dir("base-nested");
    std::fs::write(dir.join("base.yaml"), NESTED_BASE).unwrap();
    let run = recommend(&dir)
        .args(["--base", "base.yaml"])
        .output("out/")
        .success();
    assert!(
        run.stderr.contains("wrote out/config.yaml"),
        "{}",
        run.stderr
    );
    let file = std::fs::read_to_string(dir.join("out/config.yaml")).unwrap();
    let regenerate = file.lines().nth(1).unwrap();
    assert!(
        regenerate.contains("--base base.yaml -o out/config.yaml"),
        "{regenerate}"
    );
    let kept = file
        .split_once("# ---- Kept from base.yaml")
        .unwrap_or_else(|| panic!("no kept section:\n{file}"))
        .1;
    assert!(
        kept.contains(
            "# The external address of the JobManager,\n# as TaskManagers and clients reach it.\n\
             jobmanager.rpc.address: jm.example.com\n"
        ),
        "{kept}"
    );
    assert!(
        kept.contains(
            "# The RPC port where the JobManager is reachable.\njobmanager.rpc.port: 6200\n"
        ),
        "{kept}"
    );
    assert!(kept.contains("rest.port: 18081\n"), "{kept}");
    assert!(
        kept.contains(
            "metrics.reporter.jmx.factory.class: org.apache.flink.metrics.jmx.JMXReporterFactory\n"
        ),
        "{kept}"
    );
    // Decided keys are the recommendation's, saying what the base had, and written once.
    assert!(!kept.contains("numberOfTaskSlots"), "{kept}");
    assert!(
        file.contains("# one slot per core (Flink's default guidance) (base had 1)\n"),
        "{file}"
    );
    assert_eq!(
        file.matches("taskmanager.numberOfTaskSlots:").count(),
        1,
        "{file}"
    );
    assert!(
        file.contains("\ntaskmanager.numberOfTaskSlots: 8\n"),
        "{file}"
    );
    assert!(file.contains("(base had 1728m)\n"), "{file}");
    // The result is coherent for check, and --check with the same --base is up to date.
    Flinktune::new()
        .current_dir(&dir)
        .args(["check", "out/config.yaml", "--flink-version", "2.3"])
        .success();
    recommend(&dir)
        .args(["--base", "base.yaml"])
        .output("out/config.yaml")
        .arg("--check")
        .success();
    // Without the base, the file drifts.
    recommend(&dir)
        .output("out/config.yaml")
        .arg("--check")
        .status(1)
        .run();
}

#[test]
fn a_legacy_base_of_another_release_is_kept_in_the_target_spelling() {
    let dir = temp_dir("base-legacy");
    std::fs::write(dir.join("flink-conf.yaml"), LEGACY_BASE).unwrap();
    let run = recommend(&dir)
        .args([
            "--base",
            "flink-conf.yaml",
            "-D",
            "taskmanager.numberOfTaskSlots=4",
        ])
        .output("out/")
        .success();
    // The memory plan owns every memory key: the base's task heap is left out, with the pin that would keep it.
    assert!(
        run.stderr.contains(
            "the base's taskmanager.memory.task.heap.size: 2g is left out: flinktune sizes the TaskManager and \
             JobManager memory as a whole (pin it with -D taskmanager.memory.task.heap.size=2g to keep it)"
        ),
        "{}",
        run.stderr
    );
    let file = std::fs::read_to_string(dir.join("out/config.yaml")).unwrap();
    let kept = file
        .split_once("# ---- Kept from flink-conf.yaml")
        .unwrap()
        .1;
    assert!(
        kept.contains(
            "# flinktune: the base spelled it akka.ask.timeout; Flink 2.3 reads it as pekko.ask.timeout\n\
             pekko.ask.timeout: 20 s\n"
        ),
        "{kept}"
    );
    assert!(
        kept.contains("# Prometheus on every TaskManager\nmetrics.reporter.prom.factory.class:"),
        "{kept}"
    );
    // Keys the base wrote together, without comments between them, stay together.
    assert!(
        kept.contains("PrometheusReporterFactory\nmetrics.reporter.prom.port: 9249\n"),
        "{kept}"
    );
    assert!(!kept.contains("task.heap"), "{kept}");
    // The pin wins over the base.
    assert!(
        file.contains("# pinned with -D (base had 2)\ntaskmanager.numberOfTaskSlots: 4\n"),
        "{file}"
    );
}

#[test]
fn json_says_which_keys_came_from_the_base_which_were_pinned_and_which_recommended() {
    let dir = temp_dir("base-json");
    std::fs::write(dir.join("flink-conf.yaml"), LEGACY_BASE).unwrap();
    let run = recommend(&dir)
        .args([
            "--base",
            "flink-conf.yaml",
            "-D",
            "taskmanager.numberOfTaskSlots=4",
        ])
        .format("json")
        .success();
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    let base = &document["base"];
    assert_eq!(base["file"], "flink-conf.yaml");
    let kept: Vec<(&str, &str)> = base["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["key"].as_str().unwrap(), k["base_key"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kept,
        [
            ("jobmanager.rpc.address", "jobmanager.rpc.address"),
            ("pekko.ask.timeout", "akka.ask.timeout"),
            (
                "metrics.reporter.prom.factory.class",
                "metrics.reporter.prom.factory.class"
            ),
            ("metrics.reporter.prom.port", "metrics.reporter.prom.port"),
        ]
    );
    let replaced: Vec<(&str, &str)> = base["replaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["base_key"].as_str().unwrap(), r["by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        replaced,
        [
            ("taskmanager.numberOfTaskSlots", "pinned"),
            ("taskmanager.memory.task.heap.size", "memory plan"),
        ]
    );
    assert_eq!(
        document["pinned"],
        serde_json::json!(["taskmanager.numberOfTaskSlots"])
    );
    // Without --base, `base` is null.
    let plain: Value =
        serde_json::from_str(&recommend(&dir).format("json").success().stdout).unwrap();
    assert!(plain["base"].is_null());
}

#[test]
fn a_base_that_cannot_be_read_is_one_line_naming_it() {
    let dir = temp_dir("base-missing");
    let error = recommend(&dir).args(["--base", "nope.yaml"]).error();
    assert!(error.contains("nope.yaml"), "{error}");
    std::fs::write(dir.join("broken.yaml"), "a: [\n").unwrap();
    let error = recommend(&dir).args(["--base", "broken.yaml"]).error();
    assert!(error.contains("broken.yaml"), "{error}");
}

#[test]
fn a_hand_edited_file_is_not_replaced_without_force_and_names_the_edits() {
    let dir = temp_dir("hand-edits");
    recommend(&dir).output("conf/").success();
    // Unedited: replaced (here: up to date) without a word.
    recommend(&dir).output("conf/").success();
    let path = dir.join("conf/config.yaml");
    let written = std::fs::read_to_string(&path).unwrap();
    let edited = written.replace(
        "taskmanager.numberOfTaskSlots: 8\n",
        "taskmanager.numberOfTaskSlots: 4\n",
    ) + "rest.port: 9999\n";
    std::fs::write(&path, &edited).unwrap();
    let error = recommend(&dir).output("conf/").error();
    assert!(
        error.contains("conf/config.yaml was edited by hand since flinktune wrote it")
            && error.contains("'taskmanager.numberOfTaskSlots: 4'")
            && error.contains("'rest.port: 9999'")
            && error.contains("--base conf/config.yaml")
            && error.contains("-D key=value")
            && error.contains("--force"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
    // With the file as its own base, the site key is kept and the decided one recommended.
    recommend(&dir)
        .args(["--base", "conf/config.yaml"])
        .output("conf/")
        .success();
    let kept = std::fs::read_to_string(&path).unwrap();
    assert!(kept.contains("\nrest.port: 9999\n"), "{kept}");
    assert!(
        kept.contains("\ntaskmanager.numberOfTaskSlots: 8\n"),
        "{kept}"
    );
    // --force replaces an edited file.
    std::fs::write(&path, &edited).unwrap();
    recommend(&dir).output("conf/").arg("--force").success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    // A file without the digest (older flinktune) is replaced as before.
    let old = written
        .lines()
        .filter(|line| !line.starts_with("# Digest of the lines below"))
        .map(|line| format!("{line}\n"))
        .collect::<String>()
        .replace(
            "taskmanager.numberOfTaskSlots: 8\n",
            "taskmanager.numberOfTaskSlots: 4\n",
        );
    std::fs::write(&path, old).unwrap();
    recommend(&dir).output("conf/").success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}
