//! The headline figure: the real test job (tests/jobs/DatagenJob.java: datagen -> keyed aggregation -> blackhole) on
//! this host, once under Flink's shipped default configuration and once under `flinktune recommend` for this host,
//! each fed far more than it can take, so that its aggregation runs saturated: the records per second it then
//! processes is the highest input rate it sustains (any more and the source is back-pressured). Prints both and the
//! ratio. Needs Java 17 and Flink 2.3.0 (scripts/flink-dist.sh); about three minutes.
//!
//!     cargo bench --features real-flink-bench --bench headline
//!
//! It runs only when asked: the `real-flink-bench` feature gates it, so `cargo bench` and `cargo test --all-targets`
//! skip it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

/// The integration tests' helpers this bench runs on: the binary, a real cluster and the test job. Each file is
/// checked for unused code in the test crate (tests/it), which uses all of it; this bench uses a part.
#[allow(dead_code)]
#[path = "../tests/it/support"]
mod support {
    pub(crate) mod cluster;
    mod dirs;
    pub(crate) mod flink;
    mod flinktune;
    pub(crate) mod job;

    pub(crate) use self::dirs::{repo_root, temp_dir};
    pub(crate) use self::flinktune::{Flinktune, Run};
}

use std::path::Path;
use std::time::Duration;

use support::cluster::Cluster;
use support::flink::flink_home;
use support::job::{datagen_job_jar, submit_datagen, wait_job_running};
use support::{Flinktune, Run, temp_dir};

/// Far above what one host aggregates: the source is never what limits the job.
const OFFERED_RATE: u64 = 20_000_000;
/// Flink's per-second rates average the last minute.
const SETTLE: Duration = Duration::from_secs(70);
const READINGS: u32 = 3;

/// Records per second the keyed aggregation processes, saturated, under the configuration in `conf`.
fn saturated_rate(home: &Path, jar: &Path, conf: &Path, work: &Path, label: &str) -> (f64, f64) {
    let cluster = Cluster::start(home, conf, work, 1);
    let registered = cluster.wait_for_taskmanagers(1, Duration::from_secs(120));
    let slots = registered["taskmanagers"][0]["slotsNumber"]
        .as_u64()
        .unwrap_or(0);
    let job = submit_datagen(&cluster, home, jar, &[], &[OFFERED_RATE.to_string()]);
    wait_job_running(&cluster, &job);
    std::thread::sleep(SETTLE);
    let details = cluster.rest_get(&format!("/jobs/{job}"));
    let aggregation = details["vertices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("GroupAggregate"))
        })
        .unwrap()
        .clone();
    let vid = aggregation["id"].as_str().unwrap();
    let parallelism = aggregation["parallelism"].as_f64().unwrap_or(0.0);
    let mut total = 0.0;
    for reading in 0..READINGS {
        if reading > 0 {
            std::thread::sleep(Duration::from_secs(11));
        }
        let metrics = cluster.fresh_metrics(&format!(
            "/jobs/{job}/vertices/{vid}/subtasks/metrics?get=numRecordsInPerSecond"
        ));
        total += metrics[0]["sum"].as_f64().unwrap_or(0.0);
    }
    let rate = total / f64::from(READINGS);
    println!("{label}: {slots} slots, aggregation parallelism {parallelism}: {rate:.0} records/s");
    (rate, parallelism)
}

fn main() {
    // `cargo test --all-targets` builds and runs bench targets too; this one only measures under `cargo bench`, which
    // passes `--bench`.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("headline: run with `cargo bench --bench headline`");
        return;
    }
    let home = flink_home("2.3.0");
    let work = temp_dir("headline");
    let jar = datagen_job_jar(&home, &work);

    // Flink's shipped defaults: one TaskManager of 1728m with one slot, parallelism 1.
    let (default_rate, _) = saturated_rate(
        &home,
        &jar,
        &home.join("conf"),
        &work.join("default"),
        "Flink defaults",
    );

    // flinktune's recommendation for this host and this job: CPU-bound, with the small state the job keeps (10,000
    // keys; a profile's default 10 GB would rightly choose RocksDB, which is slower for state this size), and the
    // JobManager beside the TaskManager as it is here.
    let emitted = work.join("flinktune-conf");
    std::fs::create_dir_all(&emitted).unwrap();
    let Run { status, stderr, .. } = Flinktune::new()
        .args([
            "recommend",
            "--flink-version",
            "2.3.0",
            "--profile",
            "cpu-bound",
            "--state-size",
            "100mb",
        ])
        .args(["--jobmanager-on-host", "-o"])
        .arg(&emitted)
        .run();
    assert_eq!(status, 0, "{stderr}");
    let (tuned_rate, _) = saturated_rate(
        &home,
        &jar,
        &emitted,
        &work.join("tuned"),
        "flinktune recommend",
    );
    println!(
        "highest sustained input: {default_rate:.0} records/s under Flink's defaults, {tuned_rate:.0} under \
         flinktune's recommendation: {:.2}x",
        tuned_rate / default_rate.max(1.0)
    );
}
