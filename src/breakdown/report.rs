//! Renders a memory breakdown for people (Flink's own "Final ... Memory configuration" tree, so it can be compared
//! with a TaskManager log line by line) and for scripts (one JSON object whose field names are a stable interface).

use serde::Serialize;

use super::MemoryReport;
use crate::flink::MemorySize;
use crate::flink::memory::{JobManagerMemory, MemoryError, TaskManagerMemory};

impl MemoryReport {
    pub(crate) fn to_text(&self) -> String {
        let mut out = format!("{}\n\n", self.heading);
        match &self.taskmanager {
            Ok(tm) => out.push_str(&taskmanager_text(tm)),
            Err(error) => out.push_str(&rejection_text("TaskManager", error)),
        }
        out.push('\n');
        match &self.jobmanager {
            Ok(jm) => out.push_str(&jobmanager_text(jm)),
            Err(error) => out.push_str(&rejection_text("JobManager", error)),
        }
        out
    }

    pub(crate) fn to_json(&self) -> String {
        let report = JsonReport {
            taskmanager: match &self.taskmanager {
                Ok(tm) => JsonSide::Accepted(Box::new(TaskManagerJson::from(tm))),
                Err(error) => JsonSide::Rejected {
                    error: error.to_string(),
                },
            },
            jobmanager: match &self.jobmanager {
                Ok(jm) => JsonSide::Accepted(Box::new(JobManagerJson::from(jm))),
                Err(error) => JsonSide::Rejected {
                    error: error.to_string(),
                },
            },
        };
        let mut text = serde_json::to_string_pretty(&report)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}

/// One row of Flink's tree: the label is padded so that values start in the same column as in Flink's log.
fn row(out: &mut String, indent: usize, label: &str, value_column: usize, size: MemorySize) {
    let lead = " ".repeat(indent);
    let label = format!("{lead}{label}:");
    out.push_str(&format!(
        "{label:<value_column$} {}\n",
        size.human_readable()
    ));
}

/// `BashJavaUtils.logTaskExecutorConfiguration`.
pub(crate) fn taskmanager_text(tm: &TaskManagerMemory) -> String {
    const COLUMN: usize = 32;
    let mut out = String::from("Final TaskExecutor Memory configuration:\n");
    row(
        &mut out,
        2,
        "Total Process Memory",
        COLUMN,
        tm.total_process,
    );
    row(&mut out, 4, "Total Flink Memory", COLUMN, tm.total_flink);
    row(&mut out, 6, "Total JVM Heap Memory", COLUMN, tm.jvm_heap());
    row(&mut out, 8, "Framework", COLUMN, tm.framework_heap);
    row(&mut out, 8, "Task", COLUMN, tm.task_heap);
    row(
        &mut out,
        6,
        "Total Off-heap Memory",
        COLUMN,
        MemorySize::from_bytes(tm.managed.bytes() + tm.jvm_direct().bytes()),
    );
    row(&mut out, 8, "Managed", COLUMN, tm.managed);
    row(
        &mut out,
        8,
        "Total JVM Direct Memory",
        COLUMN,
        tm.jvm_direct(),
    );
    row(&mut out, 10, "Framework", COLUMN, tm.framework_off_heap);
    row(&mut out, 10, "Task", COLUMN, tm.task_off_heap);
    row(&mut out, 10, "Network", COLUMN, tm.network);
    row(&mut out, 4, "JVM Metaspace", COLUMN, tm.jvm_metaspace);
    row(&mut out, 4, "JVM Overhead", COLUMN, tm.jvm_overhead);
    out.push_str(&format!("  JVM arguments:    {}\n", tm.jvm_args()));
    out.push_str(&format!("  Dynamic settings: {}\n", tm.dynamic_configs()));
    push_notes(&mut out, &tm.notes);
    out
}

/// `BashJavaUtils.logMasterConfiguration`.
pub(crate) fn jobmanager_text(jm: &JobManagerMemory) -> String {
    const COLUMN: usize = 23;
    let mut out = String::from("Final Master Memory configuration:\n");
    row(
        &mut out,
        2,
        "Total Process Memory",
        COLUMN,
        jm.total_process,
    );
    row(&mut out, 4, "Total Flink Memory", COLUMN, jm.total_flink);
    row(&mut out, 6, "JVM Heap", COLUMN, jm.jvm_heap);
    row(&mut out, 6, "Off-heap", COLUMN, jm.off_heap);
    row(&mut out, 4, "JVM Metaspace", COLUMN, jm.jvm_metaspace);
    row(&mut out, 4, "JVM Overhead", COLUMN, jm.jvm_overhead);
    out.push_str(&format!("  JVM arguments:    {}\n", jm.jvm_args()));
    out.push_str(&format!("  Dynamic settings: {}\n", jm.dynamic_configs()));
    push_notes(&mut out, &jm.notes);
    out
}

fn push_notes(out: &mut String, notes: &[String]) {
    if !notes.is_empty() {
        out.push_str("  Flink notes:\n");
        for note in notes {
            out.push_str(&format!("    - {note}\n"));
        }
    }
}

fn rejection_text(side: &str, error: &MemoryError) -> String {
    let mut chain = error.chain().into_iter();
    let mut out = format!("{side}: Flink rejects this configuration:\n");
    if let Some(message) = chain.next() {
        out.push_str(&format!("  {message}\n"));
    }
    for cause in chain {
        out.push_str(&format!("  Caused by: {cause}\n"));
    }
    out
}

#[derive(Serialize)]
struct JsonReport {
    taskmanager: JsonSide<TaskManagerJson>,
    jobmanager: JsonSide<JobManagerJson>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonSide<T> {
    Accepted(Box<T>),
    Rejected { error: String },
}

/// The TaskManager's JSON fields. Scripts depend on these names: add, never rename.
#[derive(Serialize)]
struct TaskManagerJson {
    framework_heap: u64,
    task_heap: u64,
    managed: u64,
    framework_off_heap: u64,
    task_off_heap: u64,
    network: u64,
    jvm_metaspace: u64,
    jvm_overhead: u64,
    total_flink: u64,
    total_process: u64,
    jvm_heap: u64,
    jvm_direct: u64,
    jvm_args: String,
    dynamic_configs: String,
    cpu_cores: f64,
    slots: i32,
    notes: Vec<String>,
}

impl From<&TaskManagerMemory> for TaskManagerJson {
    fn from(tm: &TaskManagerMemory) -> Self {
        TaskManagerJson {
            framework_heap: tm.framework_heap.bytes(),
            task_heap: tm.task_heap.bytes(),
            managed: tm.managed.bytes(),
            framework_off_heap: tm.framework_off_heap.bytes(),
            task_off_heap: tm.task_off_heap.bytes(),
            network: tm.network.bytes(),
            jvm_metaspace: tm.jvm_metaspace.bytes(),
            jvm_overhead: tm.jvm_overhead.bytes(),
            total_flink: tm.total_flink.bytes(),
            total_process: tm.total_process.bytes(),
            jvm_heap: tm.jvm_heap().bytes(),
            jvm_direct: tm.jvm_direct().bytes(),
            jvm_args: tm.jvm_args(),
            dynamic_configs: tm.dynamic_configs(),
            cpu_cores: tm.cpu_cores,
            slots: tm.slots,
            notes: tm.notes.clone(),
        }
    }
}

/// The JobManager's JSON fields. Scripts depend on these names: add, never rename.
#[derive(Serialize)]
struct JobManagerJson {
    jvm_heap: u64,
    off_heap: u64,
    jvm_metaspace: u64,
    jvm_overhead: u64,
    total_flink: u64,
    total_process: u64,
    jvm_args: String,
    dynamic_configs: String,
    notes: Vec<String>,
}

impl From<&JobManagerMemory> for JobManagerJson {
    fn from(jm: &JobManagerMemory) -> Self {
        JobManagerJson {
            jvm_heap: jm.jvm_heap.bytes(),
            off_heap: jm.off_heap.bytes(),
            jvm_metaspace: jm.jvm_metaspace.bytes(),
            jvm_overhead: jm.jvm_overhead.bytes(),
            total_flink: jm.total_flink.bytes(),
            total_process: jm.total_process.bytes(),
            jvm_args: jm.jvm_args(),
            dynamic_configs: jm.dynamic_configs(),
            notes: jm.notes.clone(),
        }
    }
}
