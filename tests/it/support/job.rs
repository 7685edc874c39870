//! The real test job (tests/jobs/DatagenJob.java), compiled against a distribution and packed as a jar.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo_root;

/// `work/DatagenJob.jar`, built with the JDK's javac and jar.
pub(crate) fn datagen_job_jar(home: &Path, work: &Path) -> PathBuf {
    job_jar(home, work, "DatagenJob")
}

/// `work/CLASS.jar` with tests/jobs/CLASS.java, built with the JDK's javac and jar against the distribution.
pub(crate) fn job_jar(home: &Path, work: &Path, class: &str) -> PathBuf {
    let classes = work.join(format!("{class}-classes"));
    std::fs::create_dir_all(&classes).unwrap();
    let javac = Command::new("javac")
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(format!("{}/lib/*", home.display()))
        .arg(repo_root().join(format!("tests/jobs/{class}.java")))
        .output()
        .expect("javac");
    assert!(
        javac.status.success(),
        "javac: {}",
        String::from_utf8_lossy(&javac.stderr)
    );
    let jar = work.join(format!("{class}.jar"));
    let packed = Command::new("jar")
        .arg("cf")
        .arg(&jar)
        .arg("-C")
        .arg(&classes)
        .arg(".")
        .output()
        .expect("jar (JDK)");
    assert!(
        packed.status.success(),
        "jar: {}",
        String::from_utf8_lossy(&packed.stderr)
    );
    jar
}

/// Submits the test job detached to `cluster` with Flink's own CLI (`flink run -t remote`), `flink_args` before the
/// jar and `job_args` after it; returns the job id Flink prints.
pub(crate) fn submit_datagen(
    cluster: &super::cluster::Cluster,
    home: &Path,
    jar: &Path,
    flink_args: &[String],
    job_args: &[String],
) -> String {
    submit_class(cluster, home, jar, "DatagenJob", flink_args, job_args)
}

/// [`submit_datagen`] for the main class `class` of `jar`.
pub(crate) fn submit_class(
    cluster: &super::cluster::Cluster,
    home: &Path,
    jar: &Path,
    class: &str,
    flink_args: &[String],
    job_args: &[String],
) -> String {
    let output = Command::new(home.join("bin/flink"))
        .args(["run", "-d", "-t", "remote", "-Drest.address=localhost"])
        .arg(format!("-Drest.port={}", cluster.rest_port()))
        .args(flink_args)
        .args(["-c", class])
        .arg(jar)
        .args(job_args)
        .env("FLINK_CONF_DIR", cluster.conf_dir())
        .env("FLINK_LOG_DIR", cluster.log_dir())
        .output()
        .expect("bin/flink");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "flink run: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .split_whitespace()
        .find(|word| word.len() == 32 && word.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| panic!("no job id in {stdout}"))
        .to_string()
}

/// Waits until the job and every one of its vertices are RUNNING.
pub(crate) fn wait_job_running(cluster: &super::cluster::Cluster, job: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let details = cluster.rest_get(&format!("/jobs/{job}"));
        let all_running = details["vertices"]
            .as_array()
            .is_some_and(|v| v.iter().all(|vertex| vertex["status"] == "RUNNING"));
        if details["state"] == "RUNNING" && all_running {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job {job} not running: {details}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// Cancels the job with Flink's own CLI and waits until its slots are free again.
pub(crate) fn cancel_job(cluster: &super::cluster::Cluster, home: &Path, job: &str) {
    let output = Command::new(home.join("bin/flink"))
        .args(["cancel", "-t", "remote", "-Drest.address=localhost"])
        .arg(format!("-Drest.port={}", cluster.rest_port()))
        .arg(job)
        .env("FLINK_CONF_DIR", cluster.conf_dir())
        .env("FLINK_LOG_DIR", cluster.log_dir())
        .output()
        .expect("bin/flink");
    assert!(
        output.status.success(),
        "flink cancel: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let overview = cluster.rest_get("/overview");
        if cluster.rest_get(&format!("/jobs/{job}"))["state"] == "CANCELED"
            && overview["slots-available"] == overview["slots-total"]
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job {job} not cancelled: {overview}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}
