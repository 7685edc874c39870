//! The headline figure: the real test job (tests/jobs/DatagenJob.java: datagen -> keyed aggregation -> blackhole) on
//! this host, once under Flink's shipped default configuration and once under `flinktune recommend` for this host,
//! each fed far more than it can take, so that its aggregation runs saturated: the records per second it then
//! processes is the highest input rate it sustains (any more and the source is back-pressured). Prints both and the
//! ratio. Needs Java 17 and Flink 2.3.0 (scripts/flink-dist.sh); about three minutes.
//!
//! It measures with the outcome bench's trial and judge (benches/outcome/trial.rs, readings.rs), so a figure is
//! printed only when its preconditions held: the job RUNNING with no failure or restart, the aggregation saturated
//! (the source back-pressured, the aggregation busy nearly all the time, or the TaskManager's CPUs full), every
//! reading present, above zero and from a refreshed metric store. Otherwise it says why and exits with status 1.
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

/// The outcome bench's trial of a job on a real cluster, its judge of the readings and its job shapes; this bench uses
/// a part of them.
#[allow(dead_code)]
#[path = "outcome/cluster_cpu.rs"]
mod cluster_cpu;
#[allow(dead_code)]
#[path = "outcome/job.rs"]
mod job;
#[allow(dead_code)]
#[path = "outcome/readings.rs"]
mod readings;
#[allow(dead_code)]
#[path = "outcome/shape.rs"]
mod shape;
#[allow(dead_code)]
#[path = "outcome/trial.rs"]
mod trial;

use std::path::Path;
use std::time::Duration;

use readings::Measurement;
use shape::Shape;
use support::flink::flink_home;
use support::{Flinktune, Run, temp_dir};
use trial::Trial;

/// Flink's per-second rates average the last minute.
const SETTLE: Duration = Duration::from_secs(70);
const READINGS: u32 = 3;
/// The outcome bench's shape of this job: tests/jobs/DatagenJob.java fed far above what one host aggregates, measured
/// at its keyed aggregation.
const SHAPE: &str = "small-state";

/// The aggregation's saturated rate under the configuration in `conf`, or why there is no figure.
fn saturated_rate(
    home: &Path,
    jar: &Path,
    shape: &Shape,
    conf: &Path,
    work: &Path,
    label: &str,
) -> Result<Measurement, String> {
    let trial = Trial::start(home, jar, shape, conf, work, 1)?;
    trial.settle(SETTLE)?;
    let measured = trial.measure(READINGS)?;
    println!(
        "{label}: {:?} slots, aggregation parallelism {}: {:.0} records/s ({:.0} to {:.0}; {}), checkpoints {}",
        trial.slots(),
        measured.parallelism,
        measured.rate,
        measured.min_rate,
        measured.max_rate,
        measured.saturation,
        trial.checkpoints()
    );
    Ok(measured)
}

fn main() {
    // `cargo test --all-targets` builds and runs bench targets too; this one only measures under `cargo bench`, which
    // passes `--bench`. Without it, the judge checks itself.
    if !std::env::args().any(|arg| arg == "--bench") {
        readings::self_check();
        cluster_cpu::self_check();
        println!("headline: run with `cargo bench --bench headline` (judge self-check passed)");
        return;
    }
    let home = flink_home("2.3.0");
    let work = temp_dir("headline");
    let jar = job::build_jar(&home, &work).unwrap_or_else(|error| {
        eprintln!("error: {error}");
        std::process::exit(2);
    });
    let shape = shape::all()
        .into_iter()
        .find(|shape| shape.name == SHAPE)
        .expect("the outcome bench's small-state shape");

    // Flink's shipped defaults: one TaskManager of 1728m with one slot, parallelism 1.
    let default_rate = saturated_rate(
        &home,
        &jar,
        &shape,
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
    let tuned_rate = saturated_rate(
        &home,
        &jar,
        &shape,
        &emitted,
        &work.join("tuned"),
        "flinktune recommend",
    );
    match (default_rate, tuned_rate) {
        (Ok(default), Ok(tuned)) => println!(
            "highest sustained input: {:.0} records/s under Flink's defaults, {:.0} under flinktune's \
             recommendation: {:.2}x",
            default.rate,
            tuned.rate,
            tuned.rate / default.rate
        ),
        (default, tuned) => {
            for (label, outcome) in [("Flink defaults", default), ("flinktune recommend", tuned)] {
                if let Err(reason) = outcome {
                    eprintln!("{label}: no figure: {reason}");
                }
            }
            eprintln!("error: no headline figure: a measurement's preconditions did not hold");
            std::process::exit(1);
        }
    }
}
