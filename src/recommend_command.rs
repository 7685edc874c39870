//! `flinktune recommend`: probe the host (or take it from flags), load the job profile, run the advisor, print the
//! summary and, with `-o`, write the config file. Effects (files, the host probe) happen here; the rules and
//! emitters it calls are pure.

use std::path::{Path, PathBuf};

use crate::advisor::{AdviceInput, Recommendation, recommend};
use crate::config_writer::{WriteOutcome, write_config};
use crate::emit::config_file::{ConfigFormat, Header, render};
use crate::emit::summary;
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::host::{HostOverrides, HostSpec, probe};
use crate::profile::JobProfile;
use crate::profile::embedded::{embedded_profile, file_profile, names, unknown_profile};
use crate::profile::file::ProfilePatch;

/// Which profile to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileRef {
    Embedded(String),
    File(PathBuf),
}

impl ProfileRef {
    /// A shipped profile's name, else a path.
    pub fn from_argument(text: &str) -> Self {
        if names().any(|name| name == text) {
            ProfileRef::Embedded(text.to_string())
        } else {
            ProfileRef::File(PathBuf::from(text))
        }
    }
}

/// How the summary is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    Table,
    Json,
    Flags,
}

/// A validated `recommend` invocation.
#[derive(Debug, Clone)]
pub struct RecommendRequest {
    pub profile: ProfileRef,
    /// `(profile field, value, flag)` from the command line, applied over the profile in this order.
    pub profile_flags: Vec<(&'static str, String, &'static str)>,
    pub version: FlinkVersion,
    pub host: HostOverrides,
    pub state_dir_given: bool,
    pub allow_local_checkpoints: bool,
    pub output: Option<PathBuf>,
    pub config_format: Option<ConfigFormat>,
    pub force: bool,
    pub check: bool,
    pub format: SummaryFormat,
}

pub struct RecommendOutcome {
    pub stdout: String,
    pub stderr: Vec<String>,
    /// `--check` found the file on disk out of date (exit status 1).
    pub drifted: bool,
}

pub fn run(request: &RecommendRequest) -> Result<RecommendOutcome, Error> {
    let profile = load_profile(request)?;
    let host = probe(&request.host)?;
    let recommendation = recommend(&AdviceInput {
        host: &host,
        profile: &profile,
        version: request.version,
        local_state_dir: request
            .state_dir_given
            .then(|| request.host.state_dir.clone()),
        allow_local_checkpoints: request.allow_local_checkpoints,
    })?;
    let stdout = match request.format {
        SummaryFormat::Table => summary::table(&recommendation),
        SummaryFormat::Json => summary::json(&recommendation),
        SummaryFormat::Flags => summary::flags(&recommendation),
    };
    let mut stderr: Vec<String> = recommendation
        .warnings
        .iter()
        .map(|w| format!("warning: {w}"))
        .collect();
    let mut drifted = false;
    if let Some(output) = &request.output {
        let (path, format) = output_file(output, request.config_format, request.version);
        let header = header(request, &path, &host, &profile, &recommendation);
        let content = render(&recommendation, format, &header)?;
        match write_config(&path, &content, request.force, request.check)? {
            WriteOutcome::Written => stderr.push(format!("wrote {}", path.display())),
            WriteOutcome::Unchanged => stderr.push(format!("{} is up to date", path.display())),
            WriteOutcome::Missing => {
                drifted = true;
                stderr.push(format!(
                    "{} does not exist; run without --check to write it",
                    path.display()
                ));
            }
            WriteOutcome::Drifted(diff) => {
                drifted = true;
                stderr.push(format!(
                    "{} differs from what flinktune generates now (- on disk, + regenerated):\n{}",
                    path.display(),
                    diff.trim_end()
                ));
            }
        }
    }
    Ok(RecommendOutcome {
        stdout,
        stderr,
        drifted,
    })
}

fn load_profile(request: &RecommendRequest) -> Result<JobProfile, Error> {
    let base = load_profile_ref(&request.profile)?;
    let mut patch = ProfilePatch::default();
    for (field, value, flag) in &request.profile_flags {
        patch.set(field, value, flag)?;
    }
    let name = base.name.clone();
    Ok(patch.apply(&name, base))
}

/// A shipped profile or a profile file, with `extends` resolved.
pub fn load_profile_ref(profile: &ProfileRef) -> Result<JobProfile, Error> {
    Ok(match profile {
        ProfileRef::Embedded(name) => embedded_profile(name)?,
        ProfileRef::File(path) => {
            let bytes = std::fs::read(path).map_err(|source| {
                // A bare word that is neither a file nor a shipped profile was meant as a profile name.
                let bare_name = path.components().count() == 1 && path.extension().is_none();
                if source.kind() == std::io::ErrorKind::NotFound && bare_name {
                    Error::Profile(unknown_profile(&path.display().to_string(), "--profile"))
                } else {
                    Error::Read {
                        path: path.clone(),
                        source,
                    }
                }
            })?;
            let text =
                String::from_utf8(bytes).map_err(|_| Error::NotText { path: path.clone() })?;
            file_profile(path, &text)?
        }
    })
}

/// The file to write and its format: a directory gets the version's file name; otherwise the name decides the
/// format unless `--config-format` does.
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
    if output.is_dir() {
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
    let mut command = vec![
        "flinktune recommend".to_string(),
        format!("--flink-version {}", request.version),
        format!(
            "--profile {}",
            match &request.profile {
                ProfileRef::Embedded(name) => name.clone(),
                ProfileRef::File(file) => file.display().to_string(),
            }
        ),
    ];
    let overrides = &request.host;
    if let Some(cores) = overrides.cores {
        command.push(format!("--cores {cores}"));
    }
    if let Some(memory) = overrides.memory {
        command.push(format!(
            "--memory {}",
            crate::advisor::SettingValue::Size(memory)
        ));
    }
    if let Some(disk) = overrides.disk {
        command.push(format!("--disk {}", disk.to_string().to_lowercase()));
    }
    if overrides.hosts != 1 {
        command.push(format!("--hosts {}", overrides.hosts));
    }
    if overrides.jobmanager_on_host {
        command.push("--jobmanager-on-host".to_string());
    }
    if request.state_dir_given {
        command.push(format!("--state-dir {}", overrides.state_dir.display()));
    }
    for (_, value, flag) in &request.profile_flags {
        if value == "true" && matches!(*flag, "--restore" | "--exactly-once-sinks") {
            command.push(flag.to_string());
        } else {
            command.push(format!("{flag} {}", summary::shell_quote(value)));
        }
    }
    if request.allow_local_checkpoints {
        command.push("--allow-local-checkpoints".to_string());
    }
    command.push(format!(
        "-o {}",
        summary::shell_quote(&path.display().to_string())
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
                    crate::advisor::units::cores(cores.value),
                    cores.source,
                    crate::advisor::units::show(memory.value),
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
        ],
    }
}
