//! `flinktune plan`: load the profile (flags applied), the host types (a hosts file through the bounded reader, or
//! the host from the flags, probed as `recommend` probes it), plan each (src/plan/, pure), render the report and
//! print it or write it atomically with `-o`.

use std::path::PathBuf;
use std::time::Duration;

use crate::cluster::analysis::slice_throughput;
use crate::commands::outcome::Outcome;
use crate::edges::advice_request::AdviceRequest;
use crate::edges::cluster_source::ClusterRequest;
use crate::edges::config_writer::{WriteOutcome, write_generated};
use crate::edges::host_probe::probe;
use crate::edges::input_limits::{InputKind, read_bytes};
use crate::edges::output_path::{create_parent, is_stdout};
use crate::error::Error;
use crate::flink::MemorySize;
use crate::plan::emit::{PlanFormat, is_report, render};
use crate::plan::inputs::job_rates;
use crate::plan::{Growth, HostType, PlanInput, hosts_file, plan};
use crate::profile::JobProfile;
use crate::text::table::Layout;
use crate::text::units::{cores, show};

/// A validated `plan` invocation.
#[derive(Debug, Clone)]
pub(crate) struct PlanRequest {
    pub advice: AdviceRequest,
    /// `--from-cluster`: the throughput per slot and the input rate measured on a running job.
    pub cluster: Option<ClusterRequest>,
    pub hosts_file: Option<PathBuf>,
    pub price_per_hour: Option<f64>,
    pub max_hosts: Option<u32>,
    pub target_utilization: f64,
    pub growth: Growth,
    pub outage: Duration,
    pub record_size: Option<MemorySize>,
    pub output: Option<PathBuf>,
    pub force: bool,
    pub format: PlanFormat,
}

pub(crate) fn run(request: &PlanRequest, layout: Layout) -> Result<Outcome, Error> {
    let mut profile = request.advice.profile()?;
    let mut notes = Vec::new();
    if let Some(cluster) = &request.cluster {
        notes.extend(measured_rates(cluster, &mut profile)?);
    }
    let (input_rate, slot_throughput) = job_rates(&profile)?;
    let host_types = host_types(request)?;
    let advice = &request.advice;
    let planned = plan(PlanInput {
        profile,
        input_rate,
        slot_throughput,
        version: advice.version,
        host_types,
        min_hosts: advice.host.hosts.max(1),
        jobmanager_on_host: advice.host.jobmanager_on_host,
        target_utilization: request.target_utilization,
        growth: request.growth,
        outage: request.outage,
        record_size: request.record_size,
        local_state_dir: advice
            .state_dir_given
            .then(|| advice.host.state_dir.clone()),
        allow_local_checkpoints: advice.allow_local_checkpoints,
        working_dir: std::env::current_dir().ok(),
    });
    let none_fits = planned.choice.best.is_none();
    let layout = match &request.output {
        // A file gets whole rows, as a pipe does.
        Some(path) if !is_stdout(path) => Layout::default(),
        _ => layout,
    };
    let report = render(&planned, request.format, layout);
    let mut outcome = Outcome::clean(String::new());
    for note in notes {
        outcome.info(note);
    }
    match &request.output {
        Some(path) if !is_stdout(path) => {
            create_parent(path)?;
            let written = write_generated(path, &report, request.force, false, is_report).map_err(
                |error| match error {
                    Error::NotOurs(path) => Error::NotOurReport(path),
                    other => other,
                },
            )?;
            match written {
                WriteOutcome::Written {
                    backup: Some(backup),
                } => outcome.info(format!(
                    "wrote {} (the file it replaced is kept as {})",
                    path.display(),
                    backup.display()
                )),
                WriteOutcome::Unchanged => {
                    outcome.info(format!("{} is up to date", path.display()))
                }
                _ => outcome.info(format!("wrote {}", path.display())),
            }
        }
        _ => outcome.stdout = report,
    }
    if none_fits {
        outcome.warning("no host type fits the job: the report says why each loses");
    }
    Ok(outcome.findings_if(none_fits))
}

/// The host types: the hosts file's, or the one host `recommend` would plan for with the same flags.
fn host_types(request: &PlanRequest) -> Result<Vec<HostType>, Error> {
    if let Some(path) = &request.hosts_file {
        let bytes = read_bytes(path, InputKind::Config, false)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::NotText { path: path.clone() })?;
        return Ok(hosts_file::parse(&path.display().to_string(), &text)?);
    }
    let mut spec = probe(&request.advice.host)?;
    spec.hosts = 1;
    Ok(vec![HostType {
        name: format!(
            "{} cores, {}",
            cores(spec.usable_cores().value),
            show(spec.usable_memory().value)
        ),
        spec,
        disk_size: None,
        price_per_hour: request.price_per_hour,
        max_count: request.max_hosts,
        pod: false,
    }])
}

/// The running job's throughput per slot and input rate, into the profile where it gives none (a flag or the profile
/// wins); the notes say what was measured.
fn measured_rates(
    cluster: &ClusterRequest,
    profile: &mut JobProfile,
) -> Result<Vec<String>, Error> {
    let snapshot = cluster.snapshot()?;
    let Some(measured) = slice_throughput(&snapshot) else {
        return Err(Error::Flag(
            "--from-cluster",
            "the job reported no input and busy time to measure its throughput from; run it under load, or pass \
             --slot-throughput and --input-rate"
                .to_string(),
        ));
    };
    let mut notes = Vec::new();
    if profile.slot_throughput.is_none() {
        let per_slice = measured.per_slice.floor().max(1.0) as u64;
        profile.slot_throughput = Some(per_slice);
        notes.push(format!(
            "slot throughput {per_slice} records/s as measured on the running job: {} at 100% busy, per subtask, in \
             source records (--slot-throughput overrides)",
            crate::text::escape::one_line(&measured.limited_by)
        ));
    }
    if profile.input_rate.is_none() {
        let rate = measured.input_rate.ceil() as u64;
        profile.input_rate = Some(rate);
        notes.push(format!(
            "input rate {rate} records/s as the running job's sources emit now (--input-rate plans for the peak)"
        ));
    }
    Ok(notes)
}
