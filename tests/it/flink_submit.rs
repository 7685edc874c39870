//! The `flink run` line `flinktune submit` prints for a standalone session (`-t remote`) submits the real test job
//! (tests/jobs/DatagenJob.java: datagen, keyed aggregation, blackhole) to a real local Flink 2.3.0 cluster, and the
//! job runs with the parallelism the recommendation gave. Needs Java 17 and the distribution; run by the README's
//! full test command.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::cluster::Cluster;
use crate::support::flink::flink_home;
use crate::support::job::datagen_job_jar;
use crate::support::{Flinktune, Run, temp_dir};

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh)"]
fn the_printed_flink_run_line_submits_a_job_that_runs() {
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-submit");
    let jar = datagen_job_jar(&home, &work);

    // A session cluster sized by flinktune for a small development host.
    let conf = work.join("emitted");
    std::fs::create_dir_all(&conf).unwrap();
    let host = [
        "--cores",
        "2",
        "--memory",
        "6g",
        "--disk",
        "ssd",
        "--jobmanager-on-host",
    ];
    let Run { status, stderr, .. } = Flinktune::new()
        .args([
            "recommend",
            "--flink-version",
            "2.3.0",
            "--profile",
            "dev-session",
        ])
        .args(host)
        .arg("-o")
        .arg(&conf)
        .run();
    assert_eq!(status, 0, "{stderr}");
    // The cluster's own default parallelism differs from the advised one, so only the line's -p can bring the
    // advised parallelism to the job (a line without -p runs at 1).
    let config = std::fs::read_to_string(conf.join("config.yaml")).unwrap();
    let advised: u64 = config
        .lines()
        .find_map(|line| line.strip_prefix("parallelism.default: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(advised > 1, "{advised}");
    std::fs::write(
        conf.join("config.yaml"),
        config.replace(
            &format!("parallelism.default: {advised}\n"),
            "parallelism.default: 1\n",
        ),
    )
    .unwrap();
    let cluster = Cluster::start(&home, &conf, &work.join("cluster"), 1);
    cluster.wait_for_taskmanagers(1, Duration::from_secs(120));

    let Run {
        status,
        stdout: script,
        stderr,
    } = Flinktune::new()
        .args([
            "submit",
            "--flink-version",
            "2.3.0",
            "--profile",
            "dev-session",
        ])
        .args(host)
        .args([
            "--jobmanager",
            &format!("localhost:{}", cluster.rest_port()),
        ])
        .arg("--jar")
        .arg(&jar)
        .args(["--class", "DatagenJob", "--", "500"])
        .run();
    assert_eq!(status, 0, "{stderr}");
    let line = script
        .lines()
        .find(|line| line.starts_with("flink run "))
        .unwrap();
    assert!(line.contains(" -t remote "), "{line}");
    println!("submitting: {line}");

    // The line as a user would paste it, with Flink's bin/ on the PATH and the cluster's conf for the client.
    let submitted = Command::new("bash")
        .arg("-c")
        .arg(line)
        .env(
            "PATH",
            format!("{}/bin:{}", home.display(), std::env::var("PATH").unwrap()),
        )
        .env("FLINK_CONF_DIR", cluster.conf_dir())
        .env("FLINK_LOG_DIR", cluster.log_dir())
        .output()
        .unwrap();
    assert!(
        submitted.status.success(),
        "flink run failed:\n{}\n{}",
        String::from_utf8_lossy(&submitted.stdout),
        String::from_utf8_lossy(&submitted.stderr)
    );

    let deadline = Instant::now() + Duration::from_secs(60);
    let job = loop {
        let jobs = cluster.rest_get("/jobs/overview");
        if let Some(job) = jobs["jobs"]
            .as_array()
            .and_then(|jobs| jobs.first())
            .cloned()
            && job["state"] == "RUNNING"
            && job["tasks"]["running"].as_u64() == job["tasks"]["total"].as_u64()
        {
            break job;
        }
        assert!(Instant::now() < deadline, "job not running: {jobs}");
        std::thread::sleep(Duration::from_millis(500));
    };
    println!(
        "job {} RUNNING with {} tasks",
        job["jid"], job["tasks"]["total"]
    );
    // The recommended parallelism (all slots of the session's TaskManager) reached the job through -p, over the
    // cluster's default of 1: the operators that follow the default run at the advised parallelism.
    assert!(line.contains(&format!(" -p {advised} ")), "{line}");
    let plan = cluster.rest_get(&format!("/jobs/{}/plan", job["jid"].as_str().unwrap()));
    let parallelisms: Vec<u64> = plan["plan"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["parallelism"].as_u64().unwrap())
        .collect();
    let slots = cluster.rest_get("/overview")["slots-total"]
        .as_u64()
        .unwrap();
    assert_eq!(advised, slots);
    assert!(
        parallelisms.contains(&advised) && !parallelisms.is_empty(),
        "{parallelisms:?} vs advised {advised}"
    );
}
