//! Live metrics end to end against a real Flink 2.3.0 standalone cluster: the real test job (datagen -> keyed
//! aggregation with a fixed wait per result -> blackhole) runs at an input rate its parallelism cannot sustain;
//! `flinktune metrics` names the aggregation as the bottleneck; `recommend --from-cluster` advises a higher
//! parallelism for the required rate; the advice applied in one step sustains the rate without backpressure, twice:
//! in place through the adaptive scheduler's resource requirements exactly as `recommend` prints them (per vertex,
//! the 2.x way), and resubmitted with the advised `parallelism.default`. Needs Java 17 and the distribution; run by
//! the README's full test command.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::cluster::{Cluster, shipped_java_options_line};
use crate::support::flink::flink_home;
use crate::support::job::{cancel_job, datagen_job_jar, submit_datagen, wait_job_running};
use crate::support::{Flinktune, Run, temp_dir};

/// Records per second the job must sustain.
const RATE: u64 = 2000;
/// Microseconds each aggregation result waits: about 500 to 1000 records per second per subtask.
const WAIT_MICROS: u64 = 1000;

/// The adaptive scheduler, so that per-vertex parallelism can be applied to the running job (Flink 2.x ignores
/// `pipeline.jobvertex-parallelism-overrides` for submitted jobs; `recommend` gives the resource-requirements request).
const CONF: &str = "taskmanager.memory.process.size: 3g\njobmanager.memory.process.size: 1600m\n\
    taskmanager.numberOfTaskSlots: 12\njobmanager.scheduler: adaptive\n";

fn submit(
    home: &std::path::Path,
    cluster: &Cluster,
    jar: &std::path::Path,
    extra: &[String],
) -> String {
    submit_datagen(
        cluster,
        home,
        jar,
        extra,
        &[RATE.to_string(), WAIT_MICROS.to_string()],
    )
}

/// Source backpressure (ms/s, average over subtasks) and the source's output rate, from Flink itself.
fn source_state(cluster: &Cluster, job: &str) -> (f64, f64) {
    let details = cluster.rest_get(&format!("/jobs/{job}"));
    let source = details["vertices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|vertex| {
            vertex["name"]
                .as_str()
                .is_some_and(|name| name.starts_with("Source"))
        })
        .unwrap_or_else(|| panic!("no source vertex: {details}"))
        .clone();
    let vid = source["id"].as_str().unwrap();
    // The JobManager's metric store fills lazily: ask until the source's names are listed.
    let deadline = Instant::now() + Duration::from_secs(30);
    let out_name = loop {
        let listing = cluster.rest_get(&format!("/jobs/{job}/vertices/{vid}/subtasks/metrics"));
        let found = listing.as_array().and_then(|names| {
            names
                .iter()
                .filter_map(|m| m["id"].as_str())
                .find(|name| {
                    name.starts_with("Source__") && name.ends_with(".numRecordsOutPerSecond")
                })
                .map(str::to_string)
        });
        if let Some(name) = found {
            break name;
        }
        assert!(
            Instant::now() < deadline,
            "no source output metric: {listing}"
        );
        std::thread::sleep(Duration::from_secs(1));
    };
    let metrics = cluster.fresh_metrics(&format!(
        "/jobs/{job}/vertices/{vid}/subtasks/metrics?get=backPressuredTimeMsPerSecond,{out_name}"
    ));
    let value = |id: &str, field: &str| -> f64 {
        metrics
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .and_then(|m| m[field].as_f64())
            .unwrap_or(f64::NAN)
    };
    (
        value("backPressuredTimeMsPerSecond", "avg"),
        value(&out_name, "sum"),
    )
}

/// The `PUT /jobs/ID/resource-requirements BODY` that `recommend` warns with on 2.x.
fn resource_requirements(stderr: &str) -> (String, String) {
    let line = stderr
        .lines()
        .find(|line| line.contains("/resource-requirements "))
        .unwrap_or_else(|| panic!("no resource-requirements request: {stderr}"));
    let request = &line[line.find("PUT /").unwrap() + 4..];
    let (path, body) = request.split_once(' ').unwrap();
    (path.to_string(), body.trim().to_string())
}

/// Waits until every vertex runs at the parallelism `wanted` gives it as upper bound.
fn wait_for_parallelism(cluster: &Cluster, job: &str, wanted: &Value) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let details = cluster.rest_get(&format!("/jobs/{job}"));
        let rescaled = details["vertices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|vertex| {
                vertex["status"] == "RUNNING"
                    && vertex["parallelism"]
                        == wanted[vertex["id"].as_str().unwrap()]["parallelism"]["upperBound"]
            });
        if rescaled {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "not rescaled to {wanted}: {details}"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh); takes about four minutes"]
fn one_step_advice_removes_the_bottleneck() {
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-live");
    let jar = datagen_job_jar(&home, &work);
    let conf = work.join("conf-in");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.yaml"),
        format!("{CONF}{}", shipped_java_options_line(&home)),
    )
    .unwrap();
    let cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    cluster.wait_for_taskmanagers(1, Duration::from_secs(120));
    let url = format!("http://localhost:{}", cluster.rest_port());

    let started = Instant::now();
    let job = submit(&home, &cluster, &jar, &["-p".to_string(), "1".to_string()]);
    wait_job_running(&cluster, &job);
    // Flink's per-second rates average the last minute: let them settle.
    std::thread::sleep(Duration::from_secs(40));
    let (pressure_before, rate_before) = source_state(&cluster, &job);
    println!(
        "parallelism 1 at {RATE} rec/s: source back-pressured {pressure_before:.0} ms/s, emitting {rate_before:.0} rec/s"
    );
    assert!(
        pressure_before > 500.0,
        "the job should be back-pressured at parallelism 1"
    );

    // Both commands read the cluster the same way: two samples, 10 s apart, sized for the required rate.
    let measure = |command: &str, extra: &[&str]| {
        Flinktune::new()
            .args([
                command,
                "--from-cluster",
                &url,
                "--samples",
                "2",
                "--interval",
                "10 s",
            ])
            .args(["--format", "json", "--input-rate", &RATE.to_string()])
            .args(extra)
            .run()
    };
    let Run {
        status,
        stdout: report,
        stderr,
    } = measure("metrics", &[]);
    assert_eq!(status, 0, "{stderr}");
    let report: Value = serde_json::from_str(&report).unwrap();
    let bottleneck = report["bottleneck"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    println!("bottleneck: {bottleneck}");
    for vertex in report["vertices"].as_array().unwrap() {
        println!(
            "  {}: parallelism {} -> {}, busy {}, back-pressured {}, in {} rec/s, true rate {}, target {}: {}",
            vertex["name"],
            vertex["parallelism"],
            vertex["advised_parallelism"],
            vertex["utilization"],
            vertex["back_pressure"],
            vertex["rates"]["records_in_per_second"],
            vertex["rates"]["true_processing_rate"],
            vertex["rates"]["target_rate"],
            vertex["reason"]
        );
    }
    assert!(bottleneck.contains("GroupAggregate"), "{report:#}");

    let Run {
        status,
        stdout: advice,
        stderr,
    } = measure("recommend", &["--profile", "io-bound"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("bottleneck: GroupAggregate"), "{stderr}");
    let advice: Value = serde_json::from_str(&advice).unwrap();
    let setting = |key: &str| {
        advice["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .map(|s| s["value"].as_str().unwrap().to_string())
    };
    let parallelism: u32 = setting("parallelism.default").unwrap().parse().unwrap();
    // Flink 2.x ignores the overrides key for submitted jobs: the per-vertex advice comes as the adaptive scheduler's
    // request instead (used below).
    let overrides = setting("pipeline.jobvertex-parallelism-overrides");
    assert_eq!(overrides, None, "{advice:#}");
    println!(
        "advice: parallelism {parallelism} (measured after {:.0?})",
        started.elapsed()
    );
    assert!(parallelism > 1, "{advice:#}");

    // One step, in place: the adaptive scheduler's resource requirements exactly as `recommend` printed them.
    let (path, body) = resource_requirements(&stderr);
    assert_eq!(
        path,
        format!("/jobs/{job}/resource-requirements"),
        "{stderr}"
    );
    let (status, answer) = cluster.rest_put(&path, &body);
    assert_eq!(status, 200, "PUT {path} {body}: {answer}");
    let wanted: Value = serde_json::from_str(&body).unwrap();
    wait_for_parallelism(&cluster, &job, &wanted);
    assert_sustains_the_rate(&cluster, &job, &format!("rescaled in place ({body})"));

    // One step, resubmitted: the job run again with the advised parallelism.default, no further iteration.
    cancel_job(&cluster, &home, &job);
    let extra = vec!["-p".to_string(), parallelism.to_string()];
    let rescaled = submit(&home, &cluster, &jar, &extra);
    wait_job_running(&cluster, &rescaled);
    assert_sustains_the_rate(
        &cluster,
        &rescaled,
        &format!("resubmitted with parallelism {parallelism}"),
    );
}

/// After a minute (Flink's rates average the last one), the source emits the required rate and is not
/// back-pressured.
fn assert_sustains_the_rate(cluster: &Cluster, job: &str, label: &str) {
    std::thread::sleep(Duration::from_secs(70));
    let (pressure, rate) = source_state(cluster, job);
    println!(
        "{label}: source back-pressured {pressure:.0} ms/s, emitting {rate:.0} rec/s of {RATE}"
    );
    assert!(
        pressure < 100.0,
        "{label}: still back-pressured: {pressure}"
    );
    assert!(
        rate >= RATE as f64 * 0.95,
        "{label}: sustains {rate} of {RATE}"
    );
}
