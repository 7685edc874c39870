//! Memory settings Flink would reject: the memory model is flinktune's byte-exact copy of Flink's
//! (tests/flink_differential.rs), so its error is Flink's own message, which Flink only shows when a TaskManager or
//! JobManager fails to start.

use crate::flink::FlinkVersion;
use crate::flink::config::{Configuration, Origin};
use crate::flink::memory::{jobmanager_memory, taskmanager_memory};

use super::finding::{Finding, Severity};

pub fn findings(configuration: &Configuration, version: FlinkVersion) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Err(error) = taskmanager_memory(configuration, version, None) {
        findings.push(rejection(
            configuration,
            "taskmanager.memory.",
            "TaskManager",
            error.chain(),
        ));
    }
    if let Err(error) = jobmanager_memory(configuration, version, None) {
        findings.push(rejection(
            configuration,
            "jobmanager.memory.",
            "JobManager",
            error.chain(),
        ));
    }
    findings
}

/// Points at the first memory key of the process in the file, where the user will look.
fn rejection(
    configuration: &Configuration,
    prefix: &str,
    process: &str,
    chain: Vec<String>,
) -> Finding {
    // Flink's outermost message already carries its cause's text.
    let message = chain.into_iter().next().unwrap_or_default();
    let first = configuration
        .iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .min_by_key(|(_, entry)| match &entry.origin {
            Origin::File { line, column, .. } => (*line, *column),
            Origin::DynamicProperty => (usize::MAX, 0),
        });
    let finding = Finding::new(
        Severity::Error,
        format!("Flink would not start the {process}: {message}"),
        format!(
            "make the {process} memory options consistent (`flinktune memory` shows the breakdown), or set only \
             {prefix}process.size"
        ),
    );
    match first {
        Some((key, entry)) => finding.at(key, Some(entry.origin.clone())),
        None => finding,
    }
}
