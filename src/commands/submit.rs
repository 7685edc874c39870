//! `flinktune submit`: the settings from a fresh recommendation (or from a config file flinktune wrote, `--from`)
//! turned into the launch for the profile's deployment and mode.

use std::path::PathBuf;

use crate::commands::outcome::Outcome;
use crate::edges::advice_request::AdviceRequest;
use crate::edges::conf_source::{self, ConfigSource};
use crate::error::Error;
use crate::flink::config::{Configuration, Origin};
use crate::flink::job_options::{RETAIN_ON_CANCELLATION, checkpointing, cluster};
use crate::profile::Runtime;
use serde::Serialize;

use crate::submit::{JobSpec, Launch, Target, command_line, manifest, mode_reason};

#[derive(Debug, Clone)]
pub(crate) struct SubmitRequest {
    pub advice: AdviceRequest,
    pub from: Option<PathBuf>,
    pub job: JobSpec,
    pub jobmanager: String,
    pub cluster_id: Option<String>,
    pub name: Option<String>,
    pub image: Option<String>,
    pub format: SubmitFormat,
}

/// What `submit` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubmitFormat {
    /// The shell lines, with the mode's reason as a comment.
    Shell,
    /// A Flink Kubernetes Operator FlinkDeployment.
    K8s,
    /// The launch as one JSON object.
    Json,
}

/// `submit --format json`.
#[derive(Debug, Serialize)]
struct LaunchJson<'a> {
    flink_version: String,
    profile: &'a str,
    deployment: String,
    mode: String,
    why: String,
    /// The shell lines in the order to run them (application mode on standalone: three).
    commands: Vec<&'a str>,
    parallelism: Option<u32>,
    settings: Vec<KeyValue<'a>>,
}

#[derive(Debug, Serialize)]
struct KeyValue<'a> {
    key: &'a str,
    value: &'a str,
}

pub(crate) fn run(request: &SubmitRequest) -> Result<Outcome, Error> {
    text(request).map(Outcome::clean)
}

fn text(request: &SubmitRequest) -> Result<String, Error> {
    let version = request.advice.version;
    let (profile, settings, parallelism, restore) = match &request.from {
        Some(file) => {
            let loaded = conf_source::load(&ConfigSource::File(file.clone()), version, &[])?;
            let settings = in_file_order(&loaded.configuration);
            let parallelism = loaded
                .configuration
                .get(cluster::PARALLELISM_DEFAULT.newest())
                .and_then(|entry| entry.value.java_string().trim().parse().ok());
            let restore = checkpointing::EXTERNALIZED_RETENTION
                .all_spellings()
                .filter_map(|key| loaded.configuration.get(key))
                .any(|entry| entry.value.java_string().trim() == RETAIN_ON_CANCELLATION);
            (request.advice.profile()?, settings, parallelism, restore)
        }
        None => {
            let advice = request.advice.advise()?;
            let settings = advice
                .recommendation
                .settings
                .iter()
                .map(|setting| (setting.key.to_string(), setting.value.to_string()))
                .collect();
            let restore = advice.profile.restore;
            (
                advice.profile,
                settings,
                Some(advice.recommendation.parallelism),
                restore,
            )
        }
    };
    let name = request.name.clone().unwrap_or_else(|| {
        let stem = request.job.jar.rsplit('/').next().unwrap_or("job");
        stem.trim_end_matches(".jar").to_lowercase()
    });
    let launch = Launch {
        version,
        target: Target {
            deployment: profile.deployment,
            mode: profile.mode,
            jobmanager: request.jobmanager.clone(),
            cluster_id: request.cluster_id.clone(),
            image: request.image.clone(),
            name,
        },
        settings,
        parallelism,
        restore,
        streaming: profile.runtime == Runtime::Streaming,
        job: request.job.clone(),
    };
    let why = format!(
        "flinktune {} for Apache Flink {version}, profile {}: {}",
        env!("CARGO_PKG_VERSION"),
        profile.name,
        mode_reason(profile.mode, profile.purpose)
    );
    match request.format {
        SubmitFormat::K8s => Ok(manifest::render(&launch, &why)?),
        SubmitFormat::Shell => Ok(format!("# {why}\n{}", command_line::render(&launch)?)),
        SubmitFormat::Json => {
            let lines = command_line::render(&launch)?;
            let document = LaunchJson {
                flink_version: version.to_string(),
                profile: &profile.name,
                deployment: profile.deployment.to_string(),
                mode: profile.mode.to_string(),
                why: mode_reason(profile.mode, profile.purpose),
                commands: lines.lines().collect(),
                parallelism: launch.parallelism,
                settings: launch
                    .settings
                    .iter()
                    .map(|(key, value)| KeyValue { key, value })
                    .collect(),
            };
            Ok(crate::text::json::pretty(&document))
        }
    }
}

/// The file's settings in the order they were written.
fn in_file_order(configuration: &Configuration) -> Vec<(String, String)> {
    let mut entries: Vec<_> = configuration.iter().collect();
    entries.sort_by_key(|(_, entry)| match &entry.origin {
        Origin::File { line, column, .. } => (*line, *column),
        Origin::DynamicProperty => (usize::MAX, 0),
    });
    entries
        .into_iter()
        .map(|(key, entry)| (key.to_string(), entry.value.java_string()))
        .collect()
}
