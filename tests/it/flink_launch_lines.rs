//! Every launch line `flinktune submit` prints goes through the real CLI of its release (1.20.3 and 2.3.0): the
//! action and every option are parsed by Flink's own `bin/flink`, and the standalone application lines start a real
//! 2.3.0 job cluster whose TaskManager has the recommended slots. Needs Java 17 and the distributions; run by the
//! README's full test command (scripts/test.sh).
//!
//! How a line is checked without a YARN or Kubernetes cluster: the jar and the job's arguments are replaced by `-h`.
//! Flink's parser stops at the first word that is not an option it knows (it takes it for the jar), so `-h` prints the
//! action's help only when the action and every option before it were accepted; an unknown action answers
//! `"X" is not a valid action`, an unknown option leaves `-h` as a job argument and the CLI fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::cluster::{Cluster, RestAccess, shipped_java_options_line};
use crate::support::flink::flink_home;
use crate::support::job::datagen_job_jar;
use crate::support::{Flinktune, Run, temp_dir};

/// A host small enough for the test machine, so that the standalone cluster below fits.
const HOST: [&str; 7] = [
    "--cores",
    "2",
    "--memory",
    "4g",
    "--disk",
    "ssd",
    "--jobmanager-on-host",
];

/// The host the printed lines are planned for: only their words go to Flink's CLI, so the host is one every mode fits
/// (a session on one standalone host also runs its JobManager there, which [`HOST`] has no room for).
const CLI_HOST: [&str; 6] = ["--cores", "8", "--memory", "32g", "--disk", "ssd"];

/// The launches `submit` prints a `flink` line for, per release line (per-job mode is YARN only and gone in 2.0).
fn launches(release: &str) -> Vec<Vec<&'static str>> {
    let mut launches = vec![
        vec!["--deployment", "standalone", "--mode", "session"],
        vec![
            "--deployment",
            "yarn",
            "--mode",
            "session",
            "--cluster-id",
            "application_1_1",
        ],
        vec![
            "--deployment",
            "kubernetes",
            "--mode",
            "session",
            "--cluster-id",
            "orders",
        ],
        vec!["--deployment", "yarn", "--mode", "application"],
        vec!["--deployment", "kubernetes", "--mode", "application"],
    ];
    if release.starts_with("1.") {
        launches.push(vec!["--deployment", "yarn", "--mode", "per-job"]);
    }
    launches
}

/// `submit`'s `flink ...` line for `flags`, the job's jar being `/jobs/orders.jar`.
fn printed_line(release: &str, flags: &[&str]) -> String {
    let Run {
        status,
        stdout,
        stderr,
    } = Flinktune::new()
        .args(["submit", "--flink-version", release])
        .args(CLI_HOST)
        .args(flags)
        .args([
            "--checkpoint-dir",
            "s3://bucket/checkpoints",
            "--jar",
            "/jobs/orders.jar",
            "--class",
            "com.example.Orders",
            "--",
            "--topic",
            "orders in",
        ])
        .run();
    assert_eq!(status, 0, "{flags:?}: {stderr}");
    stdout
        .lines()
        .find(|line| line.starts_with("flink "))
        .unwrap_or_else(|| panic!("{flags:?}: no flink line in\n{stdout}"))
        .to_string()
}

/// The line's words up to (not including) the jar, as the shell splits them.
fn action_and_options(line: &str) -> Vec<String> {
    // bash itself splits the line, as it would when the user pastes it.
    let split = Command::new("bash")
        .arg("-c")
        .arg(format!("printf '%s\\0' {line}"))
        .output()
        .unwrap();
    assert!(split.status.success(), "not shell words: {line}");
    let words: Vec<String> = String::from_utf8_lossy(&split.stdout)
        .split_terminator('\0')
        .map(String::from)
        .collect();
    let jar = words
        .iter()
        .position(|word| word.ends_with("orders.jar"))
        .unwrap_or_else(|| panic!("no jar in {line}"));
    words[..jar].to_vec()
}

#[test]
#[ignore = "needs Java 17 and real Flink 1.20.3 and 2.3.0 distributions (scripts/test.sh)"]
fn every_printed_flink_line_parses_in_the_real_cli_of_its_release() {
    for release in ["1.20.3", "2.3.0"] {
        let home = flink_home(release);
        let logs = temp_dir(&format!("launch-lines-{release}"));
        for flags in launches(release) {
            let line = printed_line(release, &flags);
            let words = action_and_options(&line);
            let action = &words[1];
            let output = Command::new(home.join("bin/flink"))
                .args(&words[1..])
                .arg("-h")
                .env("FLINK_LOG_DIR", &logs)
                .env_remove("FLINK_CONF_DIR")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            println!("{release} {flags:?}: {}", &line[..line.len().min(100)]);
            assert!(
                output.status.success() && stdout.contains(&format!("Action \"{action}\"")),
                "Flink {release}'s CLI refused {line}\n{stdout}\n{stderr}"
            );
        }
    }
}

/// A FLINK_HOME of our own for the printed `cp ... "$FLINK_HOME"/usrlib/`: the shared cached distribution stays
/// untouched. `bin/` is copied (the scripts find FLINK_HOME from their own path) and `lib/` holds links to the jars
/// (the scripts `find` the dist jar there, and `find` does not enter a linked directory); the rest is linked.
fn private_home(home: &Path, work: &Path) -> PathBuf {
    let private = work.join("flink-home");
    let _ = std::fs::remove_dir_all(&private);
    std::fs::create_dir_all(&private).unwrap();
    for entry in std::fs::read_dir(home).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "bin" || name == "lib" {
            std::fs::create_dir_all(private.join(&name)).unwrap();
            for file in std::fs::read_dir(entry.path()).unwrap() {
                let file = file.unwrap();
                let to = private.join(&name).join(file.file_name());
                if name == "bin" {
                    std::fs::copy(file.path(), to).unwrap();
                } else {
                    std::os::unix::fs::symlink(file.path(), to).unwrap();
                }
            }
        } else if name != "usrlib" {
            std::os::unix::fs::symlink(entry.path(), private.join(&name)).unwrap();
        }
    }
    private
}

#[test]
#[ignore = "needs Java 17 and a real Flink 2.3.0 distribution (scripts/test.sh)"]
fn the_printed_standalone_application_lines_run_the_job_with_the_recommended_slots() {
    let dist = flink_home("2.3.0");
    let work = temp_dir("launch-standalone-application");
    let jar = datagen_job_jar(&dist, &work);
    let home = private_home(&dist, &work);

    let Run {
        status,
        stdout: script,
        stderr,
    } = Flinktune::new()
        .args(["submit", "--flink-version", "2.3.0"])
        .args(HOST)
        .args(["--deployment", "standalone", "--mode", "application"])
        .args([
            "--checkpoint-dir",
            &format!("file://{}/checkpoints", work.display()),
            "--allow-local-checkpoints",
        ])
        .arg("--jar")
        .arg(&jar)
        .args(["--class", "DatagenJob", "--", "500"])
        .run();
    assert_eq!(status, 0, "{stderr}");
    println!("{script}");
    let slots: u64 = script
        .lines()
        .find(|line| line.contains("taskmanager.sh start"))
        .and_then(|line| line.split("-Dtaskmanager.numberOfTaskSlots=").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|slots| slots.parse().ok())
        .unwrap_or_else(|| panic!("no slots on the taskmanager.sh line:\n{script}"));
    assert!(
        slots > 1,
        "the test needs slots unlike the shipped config's 1: {slots}"
    );

    // The site's conf dir holds only what flinktune does not decide (localhost, free ports, pid and log dirs, the
    // Java 17 module flags): slots and memory reach both daemons only through the printed -D settings.
    let site = work.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("config.yaml"), shipped_java_options_line(&dist)).unwrap();
    let cluster = Cluster::prepare(&home, &site, &work.join("cluster"), RestAccess::Plain);

    let commands: Vec<&str> = script
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert_eq!(commands.len(), 3, "{script}");
    for line in commands {
        let ran = Command::new("bash")
            .arg("-c")
            .arg(line)
            .env("FLINK_HOME", &home)
            .envs(cluster.environment())
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{line}\n{}{}\n{}",
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr),
            cluster.log_tail()
        );
    }
    cluster.wait_for_rest();
    cluster.wait_for_taskmanagers(1, Duration::from_secs(120));
    let total = cluster.rest_get("/overview")["slots-total"]
        .as_u64()
        .unwrap();
    assert_eq!(total, slots, "the TaskManager's slots");

    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let jobs = cluster.rest_get("/jobs/overview");
        if let Some(job) = jobs["jobs"].as_array().and_then(|jobs| jobs.first())
            && job["state"] == "RUNNING"
            && job["tasks"]["running"].as_u64() == job["tasks"]["total"].as_u64()
        {
            println!("job {} RUNNING on {total} slots", job["jid"]);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "job not running: {jobs}\n{}",
            cluster.log_tail()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}
