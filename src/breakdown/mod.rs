//! A memory breakdown of one configuration: what Flink would derive for the TaskManager and the JobManager, or why
//! it would refuse to start either. Flink's model lives in [`crate::flink::memory`]; this is what `flinktune memory`
//! shows of it, and [`report`] renders it (renderers sit in a `report.rs` beside the model they render, as in
//! [`crate::host::report`], [`crate::check::report`] and [`crate::cluster::report`]).

pub(crate) mod report;

use crate::flink::memory::{JobManagerMemory, MemoryError, TaskManagerMemory};

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    /// Flink's "Final ... Memory configuration" tree, JVM arguments and dynamic settings.
    Text,
    /// One JSON object: {"taskmanager": {...}, "jobmanager": {...}}.
    Json,
}

/// Both sides of one configuration.
pub(crate) struct MemoryReport {
    /// What was read, for the heading: file, parser, overrides, version.
    pub heading: String,
    pub taskmanager: Result<TaskManagerMemory, MemoryError>,
    pub jobmanager: Result<JobManagerMemory, MemoryError>,
}

impl MemoryReport {
    pub(crate) fn rejected(&self) -> bool {
        self.taskmanager.is_err() || self.jobmanager.is_err()
    }
}
