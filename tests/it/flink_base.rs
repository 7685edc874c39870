//! `recommend --base` against real Flink (issue 13): "a real 2.3.0 cluster started from `recommend --base` on a file
//! with its own ports and a metrics reporter comes up on those ports". The base is a team's nested config.yaml with
//! its own REST, RPC, data and blob ports (free ones, none Flink's default) and the SLF4J metrics reporter; the file
//! `recommend --base` writes from it is started as written (no port of the harness's), and the cluster must answer on
//! the base's ports, register a TaskManager with the recommended slots (not the base's 1), and report metrics through
//! the base's reporter. Needs Java 17 and the 2.3.0 distribution (tests/it/support/flink.rs); run by the README's full
//! test command, or alone: `cargo test --test it --locked -- --ignored flink_base`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::cluster::{Cluster, free_port, http_get};
use crate::support::flink::flink_home;
use crate::support::{Flinktune, Run, temp_dir};

/// `rest.port`'s default (Flink docs, "Configuration": REST), where a cluster that lost the base's port would answer.
const FLINK_DEFAULT_REST_PORT: u16 = 8081;

/// The base's own TaskManager JVM option, which must reach the TaskManager beside flinktune's collector.
const SITE_JVM_FLAG: &str = "-Dsite.marker=kept";

/// The base's reporter: `Slf4jReporter` (Flink's `plugins/metrics-slf4j`) logs each report between these lines.
const REPORT_START: &str = "Starting metrics report";

/// The site's own ports, each free and none Flink's default.
struct SitePorts {
    rest: u16,
    jobmanager_rpc: u16,
    taskmanager_rpc: u16,
    taskmanager_data: u16,
    blob: u16,
}

impl SitePorts {
    fn free() -> SitePorts {
        let port = || loop {
            let port = free_port();
            if port != FLINK_DEFAULT_REST_PORT {
                break port;
            }
        };
        SitePorts {
            rest: port(),
            jobmanager_rpc: port(),
            taskmanager_rpc: port(),
            taskmanager_data: port(),
            blob: port(),
        }
    }

    /// A config.yaml as a team keeps it: nested as Flink 2.x ships it, with comments, one slot (which `recommend`
    /// decides instead), localhost only (tests bind nothing else), a longer RPC startup timeout (test machines are
    /// shared and slow), a metrics reporter every second, and a JVM option of its own for the TaskManagers (which
    /// `recommend` also writes, for the garbage collector).
    fn base_file(&self) -> String {
        format!(
            "\
# Our site: addresses, ports and metrics.
jobmanager:
  rpc:
    address: localhost
    port: {jobmanager_rpc}
  bind-host: localhost
taskmanager:
  host: localhost
  bind-host: localhost
  numberOfTaskSlots: 1
  rpc:
    port: {taskmanager_rpc}
  data:
    port: {taskmanager_data}
rest:
  address: localhost
  bind-address: localhost
  # The port to which the REST client connects
  port: {rest}
blob:
  server:
    port: {blob}
pekko:
  # Remoting may take a while to start on a loaded machine (the default gives it 10 s)
  startup-timeout: 2 min
metrics:
  reporter:
    # Metrics to the daemons' logs
    slf4j:
      factory.class: org.apache.flink.metrics.slf4j.Slf4jReporterFactory
      interval: 1 s
env.java.opts.taskmanager: {SITE_JVM_FLAG}
",
            jobmanager_rpc = self.jobmanager_rpc,
            taskmanager_rpc = self.taskmanager_rpc,
            taskmanager_data = self.taskmanager_data,
            rest = self.rest,
            blob = self.blob,
        )
    }
}

/// `GET /jobmanager/config` as a map.
fn jobmanager_config(cluster: &Cluster) -> BTreeMap<String, String> {
    cluster
        .rest_get("/jobmanager/config")
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|entry| {
            Some((
                entry["key"].as_str()?.to_string(),
                entry["value"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// The text of the cluster's log files whose name holds `daemon` (`standalonesession`, `taskexecutor`).
fn daemon_log(log_dir: &Path, daemon: &str) -> String {
    std::fs::read_dir(log_dir)
        .map(|dir| {
            dir.filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    path.extension().is_some_and(|ext| ext == "log")
                        && path.to_string_lossy().contains(daemon)
                })
                .map(|path| std::fs::read_to_string(path).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh); takes a minute or two"]
fn a_cluster_started_from_recommend_base_comes_up_on_the_bases_ports_with_its_reporter() {
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-base-cluster");
    let ports = SitePorts::free();
    std::fs::write(work.join("base.yaml"), ports.base_file()).unwrap();
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .current_dir(&work)
        .args(["recommend", "--flink-version", "2.3", "--base", "base.yaml"])
        .args(["--cores", "2", "--memory", "4g", "--disk", "ssd"])
        .args(["--format", "json", "-o", "emitted/"])
        .run();
    assert_eq!(status, 0, "{stderr}");
    let advice: Value = serde_json::from_str(&stdout).unwrap();
    let slots = advice["layout"]["slots_per_taskmanager"].as_u64().unwrap();
    assert!(
        slots > 1,
        "the test needs slots unlike the base's 1: {slots}"
    );
    let kept: Vec<&str> = advice["base"]["kept"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|kept| kept["key"].as_str())
        .collect();
    for key in [
        "rest.port",
        "jobmanager.rpc.port",
        "taskmanager.rpc.port",
        "taskmanager.data.port",
        "blob.server.port",
        "metrics.reporter.slf4j.factory.class",
        "metrics.reporter.slf4j.interval",
    ] {
        assert!(kept.contains(&key), "{key} not kept: {advice:#}");
    }

    let started = Instant::now();
    // The cluster stops on drop, a failed assertion included.
    let mut cluster = Cluster::start_as_written(
        &home,
        &work.join("emitted"),
        &work.join("cluster"),
        1,
        ports.rest,
    );
    let rest_up = started.elapsed();

    // The REST API answered on the base's port (start_as_written waits for it); the JobManager runs with the base's
    // ports, and whatever answers on Flink's default port is not this cluster.
    let config = jobmanager_config(&cluster);
    for (key, port) in [
        ("rest.port", ports.rest),
        ("jobmanager.rpc.port", ports.jobmanager_rpc),
        ("blob.server.port", ports.blob),
    ] {
        assert_eq!(
            config.get(key),
            Some(&port.to_string()),
            "{key}: {config:?}"
        );
    }
    if let Ok((_, body)) = http_get(FLINK_DEFAULT_REST_PORT, "/jobmanager/config") {
        assert!(
            !body.contains(&format!("\"value\":\"{}\"", ports.jobmanager_rpc)),
            "this cluster answers on {FLINK_DEFAULT_REST_PORT} too: {body}"
        );
    }

    // A TaskManager registers with the recommended slots, on the base's RPC and data ports.
    let taskmanagers = cluster.wait_for_taskmanagers(1, Duration::from_secs(180));
    let registered = started.elapsed();
    let taskmanager = &taskmanagers["taskmanagers"][0];
    assert_eq!(
        taskmanager["slotsNumber"].as_u64(),
        Some(slots),
        "{taskmanager}"
    );
    assert_eq!(
        taskmanager["dataPort"].as_u64(),
        Some(u64::from(ports.taskmanager_data)),
        "{taskmanager}"
    );
    let rpc_path = taskmanager["path"].as_str().unwrap_or_default();
    assert!(
        rpc_path.contains(&format!("@localhost:{}/", ports.taskmanager_rpc)),
        "{taskmanager}"
    );

    // The TaskManager's JVM got flinktune's collector and the base's own flag (its log lists the JVM options).
    let recommended_options = advice["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|setting| setting["key"] == "env.java.opts.taskmanager")
        .and_then(|setting| setting["value"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        recommended_options,
        format!("-XX:+UseParallelGC {SITE_JVM_FLAG}"),
        "{advice:#}"
    );
    let taskmanager_log = daemon_log(cluster.log_dir(), "taskexecutor");
    for flag in ["-XX:+UseParallelGC", SITE_JVM_FLAG] {
        assert!(
            taskmanager_log
                .lines()
                .any(|line| line.trim_end().ends_with(&format!(" {flag}"))),
            "{flag} is not among the TaskManager's JVM options:\n{}",
            cluster.log_tail()
        );
    }

    // The base's reporter loaded in both daemons and reports their metrics.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let jobmanager = daemon_log(cluster.log_dir(), "standalonesession");
        let taskmanager = daemon_log(cluster.log_dir(), "taskexecutor");
        let reporting = |log: &str, scope: &str| {
            log.contains("for reporter slf4j of type org.apache.flink.metrics.slf4j.Slf4jReporter")
                && log.contains(REPORT_START)
                && log.contains(&format!("localhost.{scope}"))
        };
        if reporting(&jobmanager, "jobmanager.Status.JVM.CPU.Load")
            && reporting(&taskmanager, "taskmanager.")
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the slf4j reporter did not report in both daemons' logs:\n{}",
            cluster.log_tail()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    println!(
        "cluster from recommend --base: REST on {} after {rest_up:.1?}, TaskManager with {slots} slots after \
         {registered:.1?}, slf4j reporter reporting after {:.1?}",
        ports.rest,
        started.elapsed()
    );
    cluster.stop();
}
