//! The configurations each shape runs under: Flink's shipped defaults, `flinktune recommend` without hints, with the
//! true hints, from a trial run (`--from-cluster`), and the hand grid; each becomes a conf directory for
//! tests/it/support/cluster.rs and the number of TaskManagers it plans.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::job::{last_line, reason_line};
use crate::shape::{Backend, GridPoint, Shape};
use crate::support::Flinktune;
use crate::support::cluster::shipped_java_options_line;

/// The release the bench runs; every `recommend` without `--from-cluster` is told it, as a user would.
pub(crate) const FLINK_VERSION: &str = "2.3.0";

/// How a configuration came about.
#[derive(Debug, Clone)]
pub(crate) enum Approach {
    Defaults,
    NoHints,
    TrueHints,
    FromCluster,
    Grid(GridPoint),
    /// A conf directory given with `--conf LABEL=DIR`: an operator's own configuration judged beside the others.
    Given(String),
}

impl Approach {
    pub(crate) fn label(&self) -> String {
        match self {
            Approach::Defaults => "Flink defaults".into(),
            Approach::NoHints => "recommend, no hints".into(),
            Approach::TrueHints => "recommend, true hints".into(),
            Approach::FromCluster => "recommend --from-cluster".into(),
            Approach::Grid(point) => point.to_string(),
            Approach::Given(label) => format!("given: {label}"),
        }
    }
}

/// A configuration ready to start: its conf directory, how many TaskManagers it plans on this host, and how it was
/// made (for the report).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub conf_dir: PathBuf,
    pub taskmanagers: u32,
    pub made_by: String,
}

/// Flink's shipped configuration, as the distribution has it.
pub(crate) fn defaults(home: &Path) -> Prepared {
    Prepared {
        conf_dir: home.join("conf"),
        taskmanagers: 1,
        made_by: "the distribution's conf/config.yaml".into(),
    }
}

/// A conf directory given on the command line, run with one TaskManager.
pub(crate) fn given(label: &str, dir: &Path) -> Result<Prepared, String> {
    if !dir.join("config.yaml").is_file() {
        return Err(format!(
            "--conf {label}={}: no config.yaml there",
            dir.display()
        ));
    }
    Ok(Prepared {
        conf_dir: dir.to_path_buf(),
        taskmanagers: 1,
        made_by: format!("given: {}", dir.display()),
    })
}

/// The flags of `recommend` for `approach` (not `--from-cluster`, not the grid): the release always; with true hints
/// also the shape's profile flags and this deployment's facts (the JobManager runs on this host; checkpoints may go
/// to a local directory under `work`, the only durable storage a single host has).
pub(crate) fn recommend_args(approach: &Approach, shape: &Shape, work: &Path) -> Vec<String> {
    let mut args: Vec<String> = vec!["--flink-version".into(), FLINK_VERSION.into()];
    if let Approach::TrueHints = approach {
        args.extend(shape.true_hints.iter().map(|flag| (*flag).to_string()));
        args.push("--jobmanager-on-host".into());
        args.push("--checkpoint-dir".into());
        args.push(format!("file://{}", work.join("checkpoints").display()));
        args.push("--allow-local-checkpoints".into());
    }
    args
}

/// Runs `flinktune recommend ARGS --format json -o out` and reads the plan's TaskManager count from its JSON.
pub(crate) fn recommend(args: &[String], out: &Path) -> Result<Prepared, String> {
    let output = recommend_command(args, out)
        .output()
        .map_err(|e| format!("flinktune: {e}"))?;
    read_recommendation(args, out, output)
}

/// Starts `flinktune recommend --from-cluster URL` (it samples the running trial job for about 30 s).
pub(crate) fn spawn_from_cluster(url: &str, out: &Path) -> Result<(Vec<String>, Child), String> {
    let args = vec!["--from-cluster".to_string(), url.to_string()];
    let child = recommend_command(&args, out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("flinktune: {e}"))?;
    Ok((args, child))
}

/// Waits for a [`spawn_from_cluster`] and reads its result.
pub(crate) fn finish_from_cluster(
    args: &[String],
    child: Child,
    out: &Path,
) -> Result<Prepared, String> {
    let output = child
        .wait_with_output()
        .map_err(|e| format!("flinktune: {e}"))?;
    read_recommendation(args, out, output)
}

fn recommend_command(args: &[String], out: &Path) -> Command {
    let _ = std::fs::remove_dir_all(out);
    let _ = std::fs::create_dir_all(out);
    // Run where the configuration goes: a plan on one host without a checkpoint directory checkpoints under the
    // working directory (src/advisor/single_host_checkpoints.rs), which then stays inside the bench's own.
    Flinktune::recommend()
        .current_dir(out)
        .args(args)
        .args(["--format", "json", "-o"])
        .arg(out)
        .into_command()
}

fn read_recommendation(
    args: &[String],
    out: &Path,
    output: std::process::Output,
) -> Result<Prepared, String> {
    let made_by = format!("flinktune recommend {}", args.join(" "));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("{made_by}: {}", reason_line(&stderr)));
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "{made_by}: JSON on stdout: {e}: {}",
            last_line(&String::from_utf8_lossy(&output.stdout))
        )
    })?;
    for warning in json["warnings"].as_array().into_iter().flatten() {
        eprintln!("  [{made_by}] warning: {}", warning.as_str().unwrap_or(""));
    }
    let layout = &json["layout"];
    let taskmanagers = layout["hosts"].as_u64().unwrap_or(1)
        * layout["taskmanagers_per_host"].as_u64().unwrap_or(1);
    Ok(Prepared {
        conf_dir: out.to_path_buf(),
        taskmanagers: u32::try_from(taskmanagers).unwrap_or(1).max(1),
        made_by,
    })
}

/// How often the grid checkpoints: what `recommend` with the true hints chose for every shape here, so that the
/// grid and recommend compare at the same durability (a checkpoint of big-state's 2 GiB every minute cost it about
/// 20%: 489,000 records/s without, 387,000 with, in one run).
const GRID_CHECKPOINT_INTERVAL: &str = "1 min";

/// A hand-written config.yaml for a grid point: the shipped JVM options (Java 17 needs them), then the point's
/// settings and checkpoints every [`GRID_CHECKPOINT_INTERVAL`] to `checkpoints`; everything else stays Flink's
/// default.
pub(crate) fn grid(
    home: &Path,
    point: &GridPoint,
    out: &Path,
    checkpoints: &Path,
) -> Result<Prepared, String> {
    let backend = match point.backend {
        Backend::HashMap => "hashmap",
        Backend::RocksDb => "rocksdb",
    };
    let text = format!(
        "# outcome bench grid point {point}\n{}\
         taskmanager.numberOfTaskSlots: {}\n\
         parallelism.default: {}\n\
         taskmanager.memory.process.size: {}\n\
         taskmanager.memory.managed.fraction: {}\n\
         jobmanager.memory.process.size: 1600m\n\
         state.backend.type: {backend}\n\
         execution.checkpointing.interval: {GRID_CHECKPOINT_INTERVAL}\n\
         execution.checkpointing.dir: file://{}\n",
        shipped_java_options_line(home),
        point.slots,
        point.parallelism,
        point.process_size,
        point.managed_fraction,
        checkpoints.display(),
    );
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    std::fs::write(out.join("config.yaml"), text).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(Prepared {
        conf_dir: out.to_path_buf(),
        taskmanagers: 1,
        made_by: format!("hand-written: {point}"),
    })
}
