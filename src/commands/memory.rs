//! `flinktune memory`: load a configuration the way Flink does and report the memory Flink would give each process.

use crate::breakdown::{MemoryReport, OutputFormat};
use crate::commands::outcome::Outcome;
use crate::edges::conf_source;
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::flink::config::LoadedConfig;
use crate::flink::memory::{jobmanager_memory, taskmanager_memory};

pub(crate) use crate::edges::conf_source::ConfigSource;

/// A validated `memory` invocation.
#[derive(Debug, Clone)]
pub(crate) struct MemoryRequest {
    pub source: ConfigSource,
    pub dynamic_properties: Vec<(String, String)>,
    pub version: FlinkVersion,
    pub format: OutputFormat,
    /// `FLINK_TM_HEAP` / `FLINK_JM_HEAP`, which Flink 1.x reads before its legacy heap keys.
    pub legacy_tm_heap_env: Option<String>,
    pub legacy_jm_heap_env: Option<String>,
}

pub(crate) fn run(request: &MemoryRequest) -> Result<Outcome, Error> {
    let loaded = conf_source::load(
        &request.source,
        request.version,
        &request.dynamic_properties,
    )?;
    let report = compute(&loaded, request);
    let stdout = match request.format {
        OutputFormat::Text => report.to_text(),
        OutputFormat::Json => report.to_json(),
    };
    let mut outcome = Outcome::clean(stdout).findings_if(report.rejected());
    for warning in &loaded.warnings {
        outcome.warning(warning.to_string());
    }
    if report.rejected() {
        // A script that keeps only stderr must still see why the exit status is 1.
        outcome.info(format!(
            "error: Flink {} would refuse to start with {} (the reason is on stdout)",
            request.version,
            loaded.file.display()
        ));
    }
    Ok(outcome)
}

fn compute(loaded: &LoadedConfig, request: &MemoryRequest) -> MemoryReport {
    let version = request.version;
    let overrides = match request.dynamic_properties.len() {
        0 => String::new(),
        1 => ", 1 -D override".to_string(),
        n => format!(", {n} -D overrides"),
    };
    MemoryReport {
        heading: format!(
            "Flink {version}: {} ({}){overrides}",
            loaded.file.display(),
            loaded.format.describe()
        ),
        taskmanager: taskmanager_memory(
            &loaded.configuration,
            version,
            request.legacy_tm_heap_env.as_deref(),
        ),
        jobmanager: jobmanager_memory(
            &loaded.configuration,
            version,
            request.legacy_jm_heap_env.as_deref(),
        ),
    }
}
