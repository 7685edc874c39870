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
    pub manifest: bool,
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
    if request.manifest {
        Ok(manifest::render(&launch, &why)?)
    } else {
        Ok(format!("# {why}\n{}", command_line::render(&launch)?))
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
