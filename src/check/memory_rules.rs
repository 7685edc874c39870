//! Memory settings Flink would reject: the memory model is flinktune's byte-exact copy of Flink's
//! (tests/it/flink_differential.rs), so its error is Flink's own message, which Flink only shows when a TaskManager or
//! JobManager fails to start.

use crate::flink::FlinkVersion;
use crate::flink::config::{Configuration, Entry, Origin};
use crate::flink::memory::{MemoryError, jobmanager_memory, taskmanager_memory};

use super::finding::{Finding, Severity};

pub(crate) fn findings(configuration: &Configuration, version: FlinkVersion) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Err(error) = taskmanager_memory(configuration, version, None) {
        findings.push(rejection(
            configuration,
            "taskmanager.",
            "TaskManager",
            &error,
        ));
    }
    if let Err(error) = jobmanager_memory(configuration, version, None) {
        findings.push(rejection(
            configuration,
            "jobmanager.",
            "JobManager",
            &error,
        ));
    }
    findings
}

/// Points at the key the error is about (the first in the file whose key holds the blamed part), else at the first
/// memory key of the process, where the user will look.
fn rejection(
    configuration: &Configuration,
    prefix: &str,
    process: &str,
    error: &MemoryError,
) -> Finding {
    // Flink's outermost message already carries its cause's text.
    let message = error.chain().into_iter().next().unwrap_or_default();
    let first_with = |wanted: &dyn Fn(&str) -> bool| -> Option<(&str, &Entry)> {
        configuration
            .iter()
            .filter(|(key, _)| key.starts_with(prefix) && wanted(key))
            .min_by_key(|(_, entry)| match &entry.origin {
                Origin::File { line, column, .. } => (*line, *column),
                Origin::DynamicProperty => (usize::MAX, 0),
            })
    };
    let place = error
        .blamed_key_part()
        .and_then(|part| first_with(&|key: &str| key.contains(part)))
        .or_else(|| first_with(&|key: &str| key.contains(".memory.") || key.contains(".heap.")));
    let finding = Finding::new(
        Severity::Error,
        format!("Flink would not start the {process}: {message}"),
        format!(
            "make the {process} memory options consistent (`flinktune memory` shows the breakdown), or set only \
             {prefix}memory.process.size"
        ),
    );
    match place {
        Some((key, entry)) => finding.at(key, Some(entry.origin.clone())),
        None => finding,
    }
}

#[cfg(test)]
mod tests {
    //! Where a rejection points (issue 15, docs/mutants.md).

    use super::*;
    use crate::flink::config::parse_standard_yaml;

    fn judged(text: &str) -> Vec<Finding> {
        let loaded = parse_standard_yaml("config.yaml", text).unwrap();
        findings(&loaded.configuration, FlinkVersion::line(2, 3))
    }

    #[test]
    fn sizes_flink_accepts_give_no_finding() {
        assert!(
            judged("jobmanager.memory.process.size: 1600m\ntaskmanager.memory.process.size: 2g\n")
                .is_empty()
        );
    }

    #[test]
    fn a_fraction_flink_refuses_is_pointed_at_on_its_own_line() {
        let found = judged(
            "jobmanager.memory.process.size: 1600m\ntaskmanager.memory.process.size: 2g\ntaskmanager.memory.managed.fraction: 1.0\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            found[0].key.as_deref(),
            Some("taskmanager.memory.managed.fraction")
        );
        assert_eq!(found[0].position().map(|(line, _)| line), Some(3));
        assert!(
            found[0]
                .message
                .starts_with("Flink would not start the TaskManager: "),
            "{found:?}"
        );
    }

    #[test]
    fn a_rejection_whose_blamed_key_is_not_in_the_file_points_at_the_first_memory_key() {
        // 256m cannot hold the default metaspace and the minimum overhead: Flink blames jvm-overhead, which the file
        // does not set, so the finding points at the first memory key of the TaskManager.
        let found = judged(
            "parallelism.default: 1\ntaskmanager.memory.process.size: 256m\njobmanager.memory.process.size: 1600m\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].key.as_deref(),
            Some("taskmanager.memory.process.size")
        );
        assert_eq!(found[0].position().map(|(line, _)| line), Some(2));
    }
}
