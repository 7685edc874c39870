//! What `recommend` prints on stdout: a summary and a table of setting, value and why (Markdown-compatible, for
//! capacity-planning reports), the same as JSON for scripts, or the settings as `-D` flags for `flink run`.

use crate::text::table::{self, Layout};
use serde::Serialize;

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::advisor::{Group, Input, Recommendation};
use crate::cluster::analysis::Analysis;
use crate::cluster::vertex_advice::{VertexAdvice, vertex_advice};
use crate::emit::base::BaseMerge;
use crate::text::shell::shell_quote;
use crate::text::units::{cores, show};

/// The lines above the table: the cluster's shape and the memory Flink will derive.
pub(crate) fn overview(recommendation: &Recommendation) -> Vec<String> {
    let layout = &recommendation.layout;
    let tm = &recommendation.taskmanager_memory;
    let plural = |n: u32, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    vec![
        format!(
            "{} x {} x {} = {} for Flink {}; parallelism {}",
            plural(layout.hosts, "host"),
            plural(layout.taskmanagers_per_host, "TaskManager"),
            plural(layout.slots_per_taskmanager, "slot"),
            plural(layout.total_slots(), "slot"),
            recommendation.version,
            recommendation.parallelism
        ),
        format!(
            "TaskManager: {} process, {} cores, heap {}, managed {}, network {}; JobManager: {} process",
            show(tm.total_process),
            cores(layout.cores_per_taskmanager),
            show(tm.jvm_heap()),
            show(tm.managed),
            show(tm.network),
            show(recommendation.jobmanager_memory.total_process)
        ),
    ]
}

/// `Pinned with -D: key, key`, when anything was pinned.
pub(crate) fn pinned_line(recommendation: &Recommendation) -> Option<String> {
    (!recommendation.pinned.is_empty())
        .then(|| format!("Pinned with -D: {}", recommendation.pinned.join(", ")))
}

/// Values longer than this (JVM option lists) are cut in the table; the file and the JSON carry them whole.
const TABLE_VALUE_WIDTH: usize = 40;

fn table_value(value: &str) -> String {
    if value.chars().count() <= TABLE_VALUE_WIDTH {
        return value.to_string();
    }
    let head: String = value.chars().take(TABLE_VALUE_WIDTH - 1).collect();
    format!("{head}… ({} chars)", value.chars().count())
}

pub(crate) fn table(
    recommendation: &Recommendation,
    base: Option<&BaseMerge>,
    layout: Layout,
) -> String {
    let mut table = table::table(layout, ["setting", "value", "why"]);
    for setting in &recommendation.settings {
        table.add_row([
            setting.key.to_string(),
            table_value(&setting.value.to_string()),
            setting.why.clone(),
        ]);
    }
    let mut out = overview(recommendation).join("\n");
    if let Some(pinned) = pinned_line(recommendation) {
        out.push('\n');
        out.push_str(&pinned);
    }
    if let Some(base) = base {
        let _ = write!(
            out,
            "\nKept from {}: {} key{} flinktune does not decide{}",
            base.file,
            base.kept.len(),
            if base.kept.len() == 1 { "" } else { "s" },
            if base.kept.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    base.kept
                        .iter()
                        .map(|kept| kept.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    out.push_str("\n\n");
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonRecommendation<'a> {
    flink_version: String,
    layout: JsonLayout,
    settings: Vec<JsonSetting<'a>>,
    /// The keys pinned with `-D`.
    pinned: &'a [Cow<'static, str>],
    /// `--base`: the file, the keys kept from it and the keys decided instead; `null` without one.
    base: Option<&'a BaseMerge>,
    /// `--from-cluster`: each vertex's advice as `metrics --format json` prints it; `null` without a cluster.
    vertices: Option<Vec<VertexAdvice<'a>>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonLayout {
    hosts: u32,
    taskmanagers_per_host: u32,
    slots_per_taskmanager: u32,
    cores_per_taskmanager: f64,
    total_slots: u32,
    parallelism: u32,
    taskmanager_process_bytes: u64,
    taskmanager_heap_bytes: u64,
    taskmanager_managed_bytes: u64,
    jobmanager_process_bytes: u64,
}

#[derive(Serialize)]
struct JsonSetting<'a> {
    key: &'a str,
    value: String,
    group: Group,
    why: &'a str,
    inputs: &'a [Input],
    /// `recommended` (a rule decided it) or `pinned` (`-D`).
    origin: &'static str,
}

pub(crate) fn json<'a>(
    recommendation: &'a Recommendation,
    base: Option<&'a BaseMerge>,
    measured: Option<&'a Analysis>,
) -> String {
    let layout = &recommendation.layout;
    let document = JsonRecommendation {
        flink_version: recommendation.version.to_string(),
        layout: JsonLayout {
            hosts: layout.hosts,
            taskmanagers_per_host: layout.taskmanagers_per_host,
            slots_per_taskmanager: layout.slots_per_taskmanager,
            cores_per_taskmanager: layout.cores_per_taskmanager,
            total_slots: layout.total_slots(),
            parallelism: recommendation.parallelism,
            taskmanager_process_bytes: recommendation.taskmanager_memory.total_process.bytes(),
            taskmanager_heap_bytes: recommendation.taskmanager_memory.jvm_heap().bytes(),
            taskmanager_managed_bytes: recommendation.taskmanager_memory.managed.bytes(),
            jobmanager_process_bytes: recommendation.jobmanager_memory.total_process.bytes(),
        },
        settings: recommendation
            .settings
            .iter()
            .map(|setting| JsonSetting {
                key: &setting.key,
                value: setting.value.to_string(),
                group: setting.group,
                why: &setting.why,
                inputs: &setting.inputs,
                origin: if recommendation.pinned.contains(&setting.key) {
                    "pinned"
                } else {
                    "recommended"
                },
            })
            .collect(),
        pinned: &recommendation.pinned,
        base,
        vertices: measured.map(vertex_advice),
        warnings: &recommendation.warnings,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// `-Dkey=value` per setting, quoted for a POSIX shell, joined with line continuations so the block pastes after
/// `flink run` or `flink run-application`.
pub(crate) fn flags(recommendation: &Recommendation) -> String {
    let lines: Vec<String> = recommendation
        .settings
        .iter()
        .map(|setting| shell_quote(&format!("-D{}={}", setting.key, setting.value)))
        .collect();
    let mut out = lines.join(" \\\n");
    out.push('\n');
    out
}
