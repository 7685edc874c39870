//! Real Flink for tests: installs a distribution from the Python package index through scripts/flink-dist.sh (cached
//! outside the repo) and runs Flink's own memory computation, either as BashJavaUtils itself (one JVM per call, the
//! end-to-end anchor) or through tests/oracle/FlinkMemoryOracle.java (one JVM for many configurations).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo_root;

/// FLINK_HOME of a real distribution, installed on first use.
pub(crate) fn flink_home(version: &str) -> PathBuf {
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/flink-dist.sh"))
        .arg(version)
        .output()
        .expect("run scripts/flink-dist.sh");
    assert!(
        output.status.success(),
        "installing Flink {version} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// A FLINK_HOME with at least `bin/bash-java-utils.jar` and `lib/` (Flink's libraries package only, or the full
/// distribution when that is cached): enough for the oracles, not for the start scripts. Installed on first use.
pub(crate) fn flink_libraries_home(version: &str) -> PathBuf {
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/flink-dist.sh"))
        .arg(version)
        .env("FLINK_DIST_PARTS", "libraries")
        .output()
        .expect("run scripts/flink-dist.sh");
    assert!(
        output.status.success(),
        "installing Flink {version}'s libraries failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

fn classpath(home: &Path, extra: Option<&Path>) -> String {
    let mut parts = vec![];
    if let Some(extra) = extra {
        parts.push(extra.display().to_string());
    }
    parts.push(home.join("bin/bash-java-utils.jar").display().to_string());
    parts.push(format!("{}/lib/*", home.display()));
    parts.join(":")
}

/// What Flink computed for one configuration and process kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FlinkAnswer {
    Accepted {
        jvm_params: String,
        dynamic_configs: String,
    },
    /// The exception's message and its causes' messages, outermost first.
    Rejected(Vec<String>),
}

impl FlinkAnswer {
    /// `-D key=valueb` pairs of the dynamic configs, as a map.
    pub(crate) fn dynamic_map(dynamic_configs: &str) -> BTreeMap<String, String> {
        dynamic_configs
            .split("-D ")
            .filter(|part| !part.trim().is_empty())
            .filter_map(|part| {
                part.trim()
                    .split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    }
}

/// One question for the oracle.
pub(crate) struct OracleCase {
    pub(crate) id: String,
    /// `GET_TM_RESOURCE_PARAMS` or `GET_JM_RESOURCE_PARAMS`.
    pub(crate) command: &'static str,
    pub(crate) conf_dir: PathBuf,
    pub(crate) dynamic_properties: Vec<(String, String)>,
}

/// Compiles `tests/oracle/{class}.java` against the distribution and runs it once over `input` (one case per line),
/// in `work`; returns what it wrote. One JVM for every case: a JVM start costs about a second.
pub(crate) fn run_oracle(home: &Path, work: &Path, class: &str, input: &[String]) -> String {
    let classes = work.join(format!("{class}-classes"));
    std::fs::create_dir_all(&classes).unwrap();
    let javac = Command::new("javac")
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(classpath(home, None))
        .arg(repo_root().join(format!("tests/oracle/{class}.java")))
        .output()
        .expect("javac (Java 17 JDK) is needed for the Flink oracles");
    assert!(
        javac.status.success(),
        "javac failed: {}",
        String::from_utf8_lossy(&javac.stderr)
    );
    let input_file = work.join(format!("{class}-in.tsv"));
    let output_file = work.join(format!("{class}-out.tsv"));
    std::fs::write(&input_file, input.join("\n") + "\n").unwrap();
    let run = Command::new("java")
        .arg("-cp")
        .arg(classpath(home, Some(&classes)))
        .arg(class)
        .arg(&input_file)
        .arg(&output_file)
        .env_remove("FLINK_CONF_DIR")
        .env_remove("FLINK_TM_HEAP")
        .env_remove("FLINK_JM_HEAP")
        .output()
        .expect("java");
    assert!(
        run.status.success(),
        "{class} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(&output_file).unwrap()
}

/// Asks Flink `home` about every case in one JVM.
pub(crate) fn oracle(
    home: &Path,
    work: &Path,
    cases: &[OracleCase],
) -> BTreeMap<String, FlinkAnswer> {
    let lines: Vec<String> = cases
        .iter()
        .map(|case| {
            let mut fields = vec![
                case.id.clone(),
                case.command.to_string(),
                case.conf_dir.display().to_string(),
            ];
            fields.extend(
                case.dynamic_properties
                    .iter()
                    .map(|(k, v)| format!("{k}={v}")),
            );
            fields.join("\t")
        })
        .collect();
    run_oracle(home, work, "FlinkMemoryOracle", &lines)
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            let answer = match fields[1] {
                "OK" => FlinkAnswer::Accepted {
                    jvm_params: fields[2].to_string(),
                    dynamic_configs: fields[3].to_string(),
                },
                _ => FlinkAnswer::Rejected(fields[2].split('\u{1f}').map(str::to_string).collect()),
            };
            (fields[0].to_string(), answer)
        })
        .collect()
}

/// Runs Flink's BashJavaUtils as the start scripts do: one JVM, `--configDir DIR`, the given environment.
fn run_bash_java_utils(
    home: &Path,
    command: &str,
    conf_dir: &Path,
    env: &[(&str, &str)],
) -> String {
    let mut process = Command::new("java");
    process
        .arg("-cp")
        .arg(classpath(home, None))
        .arg("org.apache.flink.runtime.util.bash.BashJavaUtils")
        .arg(command)
        .arg("--configDir")
        .arg(conf_dir)
        .env_remove("FLINK_TM_HEAP")
        .env_remove("FLINK_JM_HEAP");
    for (key, value) in env {
        process.env(key, value);
    }
    let output = process.output().expect("java");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The two `BASH_JAVA_UTILS_EXEC_RESULT:` lines (JVM parameters, dynamic configs), or everything Flink printed.
pub(crate) fn bash_java_utils(
    home: &Path,
    command: &str,
    conf_dir: &Path,
    env: &[(&str, &str)],
) -> Result<(String, String), String> {
    let printed = run_bash_java_utils(home, command, conf_dir, env);
    let results: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("BASH_JAVA_UTILS_EXEC_RESULT:"))
        .collect();
    match results[..] {
        [jvm, dynamic] => Ok((jvm.to_string(), dynamic.to_string())),
        _ => Err(printed),
    }
}

/// The lines BashJavaUtils logged for the "Final ... Memory configuration" block, without the log prefix.
pub(crate) fn logged_memory_block(home: &Path, command: &str, conf_dir: &Path) -> String {
    let printed = run_bash_java_utils(home, command, conf_dir, &[]);
    let mut block = String::new();
    let mut inside = false;
    for line in printed.lines() {
        let text = line.split_once(" - ").map_or(line, |(_, rest)| rest);
        if text.starts_with("Final ") && text.contains("Memory configuration:") {
            inside = true;
        } else if !text.starts_with("  ") {
            inside = false;
        }
        if inside {
            block.push_str(text);
            block.push('\n');
        }
    }
    block
}
