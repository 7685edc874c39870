//! `flinktune recommend`: probe the host (or take it from flags), load the job profile, run the advisor, print the
//! summary and, with `-o`, write the config file. Effects (files, the host probe) happen here; the rules and
//! emitters it calls are pure.

use std::path::{Path, PathBuf};

use crate::advisor::Recommendation;
use crate::advisor::state_backend::HEAP_EXPANSION;
use crate::cluster::analysis::{Analysis, AnalysisOptions, analyse, cpu_use};
use crate::cluster::fold::{fold_into, measured_state_size};
use crate::cluster::heap_state;
use crate::cluster::rocksdb_state;
use crate::commands::outcome::Outcome;
use crate::edges::advice_request::{Advice, AdviceRequest};
use crate::edges::cluster_source::{ClusterRequest, host_from_cluster};
use crate::edges::conf_source::read_text;
use crate::edges::config_writer::{WriteOutcome, write_config};
use crate::edges::host_probe::probe;
use crate::edges::output_path::{create_parent, is_stdout};
use crate::emit::base::{self, BaseMerge};
use crate::emit::config_file::{ConfigFormat, EmitError, Header, MARKER, render_with_base};
use crate::emit::hand_edits::edited_lines;
use crate::emit::summary;
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::{LEGACY_FILE_NAME, parse_legacy_file, parse_standard_yaml};
use crate::flink::version::ConfigFilePolicy;
use crate::host::HostSpec;
use crate::profile::JobProfile;
use crate::text::table::Layout;
use crate::text::units::show;

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SummaryFormat {
    Table,
    Json,
    Flags,
}

/// The measured job folded into the recommendation: the cluster's release unless `--flink-version` says otherwise,
/// its TaskManagers' hardware as the host unless flags say otherwise, and the analysis of its metrics
/// (src/cluster/fold.rs), sized for the profile's input rate when it has one. The analysis comes back too: the JSON
/// prints its per-vertex advice as data.
fn advise_from_cluster(
    advice: &AdviceRequest,
    cluster: &ClusterRequest,
) -> Result<(Advice, Analysis), Error> {
    let snapshot = cluster.snapshot()?;
    let mut advice = advice.clone();
    if !advice.version_given {
        advice.version = snapshot
            .flink_version
            .parse()
            .map_err(|_| Error::ClusterVersion(snapshot.flink_version.clone()))?;
    }
    let mut profile = advice.profile()?;
    let mut notes = Vec::new();
    // A job that restarted while it was sampled was measured over two lives: what its heap, RocksDB and CPUs showed
    // describes neither, so only its checkpoints (which Flink keeps across restarts) are taken here, and fold.rs keeps
    // the rules' settings but the job's key groups.
    let one_life = (!snapshot.restarted_while_sampled).then_some(&snapshot);
    if !advice.flag_sets("state-size") {
        if let Some(measured) = measured_state_size(&snapshot) {
            notes.push(format!(
                "state size {} as the running job's checkpoints measured it (the profile said {}); --state-size \
                 plans for growth",
                show(measured),
                profile.state_size.map_or("nothing".to_string(), show)
            ));
            profile.state_size = Some(measured);
        } else if let Some(inferred) = one_life.and_then(heap_state::infer) {
            notes.push(format!(
                "state size at most {} as inferred from the heap (the job has no completed checkpoint): its \
                 TaskManagers held {} at the least of {} samples, over the {HEAP_EXPANSION}x heap objects take; \
                 --state-size, or a run with checkpoints, gives it exactly",
                show(inferred.state_size),
                show(inferred.heap_floor),
                inferred.samples,
            ));
            profile.state_size = Some(inferred.state_size);
        } else if let Some(inferred) = one_life.and_then(rocksdb_state::infer) {
            notes.push(format!(
                "state size {} as RocksDB's size metrics report it (the job has no completed checkpoint): the most \
                 its stateful operators held together in {} samples; --state-size plans for growth",
                show(inferred.state_size),
                inferred.samples,
            ));
            profile.state_size = Some(inferred.state_size);
        }
    }
    // The slot rule's I/O wait, measured (src/cluster/analysis/cpu_use.rs), unless a flag gives it.
    if !advice.flag_sets("io-wait")
        && let Some(cpu) = one_life.and_then(cpu_use)
    {
        profile.io_wait_percent = Some(cpu.io_wait_percent());
        notes.push(format!(
            "io-wait {}% as measured on the running job: {:.2} tasks busy at once per parallel slice, using {:.2} \
             cores{}; it sizes the slots (--io-wait overrides)",
            cpu.io_wait_percent(),
            cpu.busy_per_slice,
            cpu.cores_per_slice,
            if cpu.saturated {
                " (the CPUs saturated, so no wait is inferred)"
            } else {
                ""
            },
        ));
    }
    let host = match host_from_cluster(&snapshot, &advice.host) {
        Some(host) => host,
        None => probe(&advice.host)?,
    };
    let mut result = advice.advise_for(host, profile)?;
    result.recommendation.warnings.splice(0..0, notes);
    let analysis = analyse(
        &snapshot,
        AnalysisOptions {
            input_rate: result.profile.input_rate.map(|rate| rate as f64),
            ..AnalysisOptions::default()
        },
    );
    fold_into(
        &mut result.recommendation,
        &analysis,
        &snapshot,
        result.profile.deployment,
    )?;
    // A pin wins over the measurement too.
    let pins = advice.resolved_pins()?;
    pins.apply(&mut result.recommendation.settings);
    if let Some(parallelism) = pins.parallelism(advice.version) {
        result.recommendation.parallelism = parallelism;
    }
    if let Some(bottleneck) = &analysis.bottleneck {
        result.recommendation.warnings.insert(
            0,
            format!("bottleneck: {bottleneck} (flinktune metrics shows every vertex)"),
        );
    }
    Ok((result, analysis))
}

/// A validated `recommend` invocation.
#[derive(Debug, Clone)]
pub(crate) struct RecommendRequest {
    pub advice: AdviceRequest,
    /// `--from-cluster`: measure the running job and fold the analysis in.
    pub cluster: Option<ClusterRequest>,
    pub output: Option<PathBuf>,
    pub config_format: Option<ConfigFormat>,
    /// `--base FILE`: a configuration whose keys flinktune does not decide are kept (src/emit/base.rs).
    pub base: Option<PathBuf>,
    pub force: bool,
    pub check: bool,
    pub format: SummaryFormat,
}

pub(crate) fn run(request: &RecommendRequest, layout: Layout) -> Result<Outcome, Error> {
    let (
        Advice {
            host,
            profile,
            mut recommendation,
        },
        measured,
    ) = match &request.cluster {
        None => (request.advice.advise()?, None),
        Some(cluster) => {
            let (advice, analysis) = advise_from_cluster(&request.advice, cluster)?;
            (advice, Some(analysis))
        }
    };
    let base = match &request.base {
        Some(path) => Some(read_base(path, &mut recommendation)?),
        None => None,
    };
    let stdout = match request.format {
        SummaryFormat::Table => summary::table(&recommendation, base.as_ref(), layout),
        SummaryFormat::Json => summary::json(&recommendation, base.as_ref(), measured.as_ref()),
        SummaryFormat::Flags => summary::flags(&recommendation),
    };
    let mut outcome = Outcome::clean(stdout);
    for warning in &recommendation.warnings {
        outcome.warning(warning.to_string());
    }
    for left_out in base
        .iter()
        .flat_map(|base| &base.replaced)
        .filter(|replaced| replaced.key.is_none())
    {
        outcome.warning(format!(
            "the base's {}: {} is left out: flinktune sizes the TaskManager and JobManager memory as a whole (pin \
             it with -D {}={} to keep it)",
            left_out.base_key, left_out.base_value, left_out.base_key, left_out.base_value
        ));
    }
    let mut drifted = false;
    if let Some(output) = &request.output {
        let version = recommendation.version;
        let (path, format) = output_file(output, request.config_format, version);
        if let Some(reason) = format.unreadable_by(version) {
            let hint = if request.config_format.is_some() {
                format!("drop --config-format {}", format.flag_value())
            } else {
                format!(
                    "write {} instead (-o a directory, or a path ending in {0})",
                    ConfigFormat::default_for(version).file_name()
                )
            };
            return Err(EmitError::Unreadable(format!("{reason} ({hint})")).into());
        }
        let header = header(request, &path, &host, &profile, &recommendation);
        let content = render_with_base(&recommendation, format, &header, base.as_ref())?;
        if is_stdout(&path) {
            if request.check {
                return Err(Error::CheckStdout);
            }
            // The file is the result: the summary would make stdout unreadable as a config.
            outcome.stdout = content;
            return Ok(outcome);
        }
        if !request.check {
            create_parent(&path)?;
        }
        if let Some(warning) = shadowed(&path, format, version) {
            outcome.warning(warning);
        }
        if !request.check && !request.force {
            refuse_hand_edits(&path, &content, request.base.as_deref())?;
        }
        match write_config(&path, &content, request.force, request.check)? {
            WriteOutcome::Written { backup: None } => {
                outcome.info(format!("wrote {}", path.display()));
            }
            WriteOutcome::Written {
                backup: Some(backup),
            } => outcome.info(format!(
                "wrote {} (the file it replaced is kept as {})",
                path.display(),
                backup.display()
            )),
            WriteOutcome::Unchanged => outcome.info(format!("{} is up to date", path.display())),
            WriteOutcome::Missing => {
                drifted = true;
                outcome.info(format!(
                    "{} does not exist; run without --check to write it",
                    path.display()
                ));
            }
            WriteOutcome::Drifted(diff) => {
                drifted = true;
                outcome.info(format!(
                    "{} differs from what flinktune generates now (- on disk, + regenerated):\n{}",
                    path.display(),
                    diff.trim_end()
                ));
            }
        }
    }
    Ok(outcome.findings_if(drifted))
}

/// At most this many edited lines are named in the error; the rest are counted.
const EDITED_LINES_SHOWN: usize = 3;

/// A file flinktune wrote and someone edited since is not replaced without `--force`, unless it is the `--base`
/// (whose keys are then kept or decided, each visibly): the error names the edited lines and how to keep them.
fn refuse_hand_edits(path: &Path, content: &str, base: Option<&Path>) -> Result<(), Error> {
    let is_file = std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.is_file());
    let same = |a: &Path, b: &Path| {
        a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    };
    if !is_file || base.is_some_and(|base| same(base, path)) {
        return Ok(());
    }
    let on_disk = read_text(path)?;
    if !on_disk.starts_with(MARKER) {
        return Ok(());
    }
    let Some(edited) = edited_lines(&on_disk, content) else {
        return Ok(());
    };
    let mut shown: Vec<String> = edited
        .iter()
        .take(EDITED_LINES_SHOWN)
        .map(|(line, text)| format!("line {line} '{text}'"))
        .collect();
    if edited.len() > EDITED_LINES_SHOWN {
        shown.push(format!("and {} more", edited.len() - EDITED_LINES_SHOWN));
    }
    Err(Error::HandEdited {
        path: path.to_path_buf(),
        lines: shown.join(", "),
    })
}

/// Reads the `--base` file with the reader its name calls for (flink-conf.yaml: Flink's line reader; any other name:
/// YAML) and merges it into the recommendation.
fn read_base(path: &Path, recommendation: &mut Recommendation) -> Result<BaseMerge, Error> {
    let text = read_text(path)?;
    let label = path.display().to_string();
    let loaded = if path.file_name().and_then(|name| name.to_str()) == Some(LEGACY_FILE_NAME) {
        parse_legacy_file(&label, &text)
    } else {
        parse_standard_yaml(&label, &text)?
    };
    let entries = base::entries(&loaded.configuration, &text);
    Ok(base::merge(
        &label,
        &entries,
        recommendation,
        Catalogue::get(),
    ))
}

/// A config.yaml that 1.19/1.20 would not read, because a flink-conf.yaml beside it comes first
/// (docs/flink-config-files.md, "Which file a release reads").
fn shadowed(path: &Path, format: ConfigFormat, version: FlinkVersion) -> Option<String> {
    let legacy = path.with_file_name(ConfigFormat::Legacy.file_name());
    (format == ConfigFormat::Yaml
        && version.config_file_policy() == ConfigFilePolicy::LegacyFirstThenStandard
        && legacy.is_file())
    .then(|| {
        format!(
            "Flink {version} reads {} first and ignores the config.yaml beside it: remove or rename the \
             flink-conf.yaml, or write it instead (--config-format legacy)",
            legacy.display()
        )
    })
}

/// The file to write and its format: a directory (an existing one, or a path ending in `/`) gets the version's file
/// name; otherwise the name decides the format unless `--config-format` does.
fn output_file(
    output: &Path,
    requested: Option<ConfigFormat>,
    version: FlinkVersion,
) -> (PathBuf, ConfigFormat) {
    let by_name = output.file_name().and_then(|name| match name.to_str() {
        Some("config.yaml") => Some(ConfigFormat::Yaml),
        Some("flink-conf.yaml") => Some(ConfigFormat::Legacy),
        _ => None,
    });
    let format = requested
        .or(by_name)
        .unwrap_or_else(|| ConfigFormat::default_for(version));
    let names_a_directory = output.as_os_str().to_string_lossy().ends_with('/');
    if output.is_dir() || names_a_directory {
        (output.join(format.file_name()), format)
    } else {
        (output.to_path_buf(), format)
    }
}

/// The header: the regenerating command (built from the request, so equal requests give equal bytes) and the inputs.
fn header(
    request: &RecommendRequest,
    path: &Path,
    host: &HostSpec,
    profile: &JobProfile,
    recommendation: &Recommendation,
) -> Header {
    let mut command = vec!["flinktune recommend".to_string()];
    command.extend(request.advice.flags());
    if let Some(cluster) = &request.cluster {
        command.push(format!(
            "--from-cluster {}",
            crate::text::shell::shell_quote(&cluster.url)
        ));
        if let Some(job) = &cluster.job {
            command.push(format!("--job {job}"));
        }
    }
    if let Some(base) = &request.base {
        command.push(format!(
            "--base {}",
            crate::text::shell::shell_quote(&base.display().to_string())
        ));
    }
    command.push(format!(
        "-o {}",
        crate::text::shell::shell_quote(&path.display().to_string())
    ));

    let cores = host.usable_cores();
    let memory = host.usable_memory();
    let overview = summary::overview(recommendation);
    Header {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        command: command.join(" "),
        inputs: vec![
            (
                "Host".to_string(),
                format!(
                    "{} cores ({}), {} memory ({}), {} disk ({}); {} JobManager on host: {}",
                    crate::text::units::cores(cores.value),
                    cores.source,
                    crate::text::units::show(memory.value),
                    memory.source,
                    host.disk.value,
                    host.disk.source,
                    if host.hosts == 1 {
                        "1 host;".to_string()
                    } else {
                        format!("{} hosts;", host.hosts)
                    },
                    if host.jobmanager_on_host { "yes" } else { "no" }
                ),
            ),
            (
                "Profile".to_string(),
                format!("{}: {}", profile.name, profile.description),
            ),
            (
                "Cluster".to_string(),
                overview.first().cloned().unwrap_or_default(),
            ),
            (
                "Memory".to_string(),
                overview.get(1).cloned().unwrap_or_default(),
            ),
        ]
        .into_iter()
        .chain((!recommendation.pinned.is_empty()).then(|| {
            (
                "Pinned with -D".to_string(),
                recommendation.pinned.join(", "),
            )
        }))
        .collect(),
    }
}
