//! The shapes' jobs: every Java main of tests/jobs compiled against the distribution into one jar, submitted with
//! Flink's own CLI. Errors come back as text for the report (tests/it/support/job.rs panics; a bench row must not).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::cluster::Cluster;
use crate::support::repo_root;

/// The jobs of the outcome bench, as classes in tests/jobs.
const SOURCES: [&str; 3] = ["DatagenJob.java", "BigStateJob.java", "SlowLookupJob.java"];

/// `work/outcome-jobs.jar` with every job of [`SOURCES`], built with the JDK's javac and jar.
pub(crate) fn build_jar(home: &Path, work: &Path) -> Result<PathBuf, String> {
    let classes = work.join("job-classes");
    std::fs::create_dir_all(&classes).map_err(|e| format!("{}: {e}", classes.display()))?;
    let mut javac = Command::new("javac");
    javac
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(format!("{}/lib/*", home.display()));
    for source in SOURCES {
        javac.arg(repo_root().join("tests/jobs").join(source));
    }
    checked(&mut javac, "javac")?;
    let jar = work.join("outcome-jobs.jar");
    checked(
        Command::new("jar")
            .arg("cf")
            .arg(&jar)
            .arg("-C")
            .arg(&classes)
            .arg("."),
        "jar",
    )?;
    Ok(jar)
}

/// Submits `class` from `jar` detached to `cluster` (`flink run -d -t remote`); the job id Flink prints.
pub(crate) fn submit(
    cluster: &Cluster,
    home: &Path,
    jar: &Path,
    class: &str,
    args: &[String],
) -> Result<String, String> {
    let stdout = checked(
        Command::new(home.join("bin/flink"))
            .args(["run", "-d", "-t", "remote", "-Drest.address=localhost"])
            .arg(format!("-Drest.port={}", cluster.rest_port()))
            .args(["-c", class])
            .arg(jar)
            .args(args)
            .env("FLINK_CONF_DIR", cluster.conf_dir())
            .env("FLINK_LOG_DIR", cluster.log_dir()),
        "flink run",
    )?;
    stdout
        .split_whitespace()
        .find(|word| word.len() == 32 && word.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string)
        .ok_or_else(|| format!("flink run printed no job id: {}", last_line(&stdout)))
}

/// Runs `command`; its stdout, or an error naming `what` with the last line of its output.
fn checked(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command.output().map_err(|e| format!("{what}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{what} failed:\n{stdout}\n{stderr}");
    Err(format!(
        "{what} failed: {}",
        reason_line(&format!("{stdout}\n{stderr}"))
    ))
}

/// The last non-empty line of `text`.
pub(crate) fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("(no output)")
        .to_string()
}

/// The line of `text` (an error output or a Java stack trace) that says most about the failure: an
/// OutOfMemoryError, else the innermost `Caused by:`, else the first line naming an exception or error, else the last.
pub(crate) fn reason_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let pick = lines
        .iter()
        .find(|line| line.contains("OutOfMemoryError"))
        .or_else(|| {
            lines
                .iter()
                .rev()
                .find(|line| line.starts_with("Caused by:"))
        })
        .or_else(|| {
            lines
                .iter()
                .find(|line| line.contains("Exception") || line.starts_with("error"))
        })
        .map(|line| line.trim_start_matches("Caused by:").trim().to_string());
    let line = pick.unwrap_or_else(|| last_line(text));
    shorten(&line, 200)
}

/// `text` cut to at most `max` characters.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max).collect::<String>())
    }
}
