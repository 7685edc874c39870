//! Renders a [`HostSpec`] for `flinktune host`: a table for people (Markdown-compatible ASCII, so it pastes into a
//! report) and JSON for scripts. Both show every fact's source, and the usable CPUs and memory that sizing uses.

use crate::text::table::{Layout, table};
use serde::Serialize;

use crate::flink::MemorySize;
use crate::host::{DiskKind, Fact, HostSpec, Source};

/// The table's column headings.
const HEADER: [&str; 3] = ["fact", "value", "source"];
/// The source shown for a limit that was looked for and not found.
const NO_CGROUP_LIMIT: &str = "no cgroup limit found";

/// Memory as `recommend` shows it, with the exact bytes.
fn memory_text(size: MemorySize) -> String {
    format!(
        "{} ({} bytes)",
        crate::text::units::show(size),
        size.bytes()
    )
}

/// One row per fact: logical and physical cores, container CPU limit, usable cores, total and available memory,
/// container memory limit, usable memory, state directory, disk kind, free disk, hosts, JobManager on host.
pub(crate) fn render_table(host: &HostSpec, layout: Layout) -> String {
    let mut table = table(layout, HEADER);
    let usable_cores = host.usable_cores();
    let usable_memory = host.usable_memory();
    let rows: Vec<[String; 3]> = vec![
        row("logical cores", &host.logical_cores, u32::to_string),
        optional_row(
            "physical cores",
            host.physical_cores.as_ref(),
            u32::to_string,
            "unknown",
            "unknown",
        ),
        optional_row(
            "container CPU limit",
            host.cpu_limit.as_ref(),
            |cpus| format_cpus(*cpus),
            "none",
            NO_CGROUP_LIMIT,
        ),
        row("usable cores", &usable_cores, |cpus| format_cpus(*cpus)),
        row("total memory", &host.total_memory, |m| memory_text(*m)),
        optional_row(
            "available memory",
            host.available_memory.as_ref(),
            |m| memory_text(*m),
            "unknown",
            "unknown",
        ),
        optional_row(
            "container memory limit",
            host.memory_limit.as_ref(),
            |m| memory_text(*m),
            "unlimited",
            NO_CGROUP_LIMIT,
        ),
        row("usable memory", &usable_memory, |m| memory_text(*m)),
        [
            "state directory".into(),
            host.state_dir.display().to_string(),
            "--state-dir (default: the current directory)".into(),
        ],
        row("disk kind", &host.disk, DiskKind::to_string),
        optional_row(
            "free disk for local state",
            host.disk_space.as_ref(),
            |m| memory_text(*m),
            "unknown",
            "unknown (--disk-space gives it)",
        ),
        ["hosts".into(), host.hosts.to_string(), "--hosts".into()],
        [
            "JobManager on host".into(),
            yes_no(host.jobmanager_on_host).into(),
            "--jobmanager-on-host".into(),
        ],
    ];
    for row in rows {
        table.add_row(row);
    }
    let mut text = table.to_string();
    text.push('\n');
    text
}

fn row<T>(fact: &str, value: &Fact<T>, show: impl Fn(&T) -> String) -> [String; 3] {
    [fact.into(), show(&value.value), value.source.to_string()]
}

fn optional_row<T>(
    fact: &str,
    value: Option<&Fact<T>>,
    show: impl Fn(&T) -> String,
    absent: &str,
    absent_source: &str,
) -> [String; 3] {
    match value {
        Some(value) => row(fact, value, show),
        None => [fact.into(), absent.into(), absent_source.into()],
    }
}

/// CPUs as a count, keeping a fraction only when there is one (2, 1.5).
fn format_cpus(cpus: f64) -> String {
    format!("{cpus}")
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes" } else { "no" }
}

/// The host as one JSON object. Field names are a stable interface for scripts: add, never rename. Sizes are
/// `{"bytes": N, "source": ...}`, sources `{"kind": "host"|"cgroup"|"flag"|"unknown", "detail": ...}`.
pub(crate) fn to_json(host: &HostSpec) -> String {
    let json = HostJson {
        logical_cores: &host.logical_cores,
        physical_cores: host.physical_cores.as_ref(),
        cpu_limit: host.cpu_limit.as_ref(),
        usable_cores: host.usable_cores(),
        total_memory: SizeJson::from(&host.total_memory),
        available_memory: host.available_memory.as_ref().map(SizeJson::from),
        memory_limit: host.memory_limit.as_ref().map(SizeJson::from),
        usable_memory: SizeJson::from(&host.usable_memory()),
        disk: &host.disk,
        state_dir: host.state_dir.display().to_string(),
        disk_space: host.disk_space.as_ref().map(SizeJson::from),
        hosts: host.hosts,
        jobmanager_on_host: host.jobmanager_on_host,
    };
    let mut text =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[derive(Serialize)]
struct HostJson<'a> {
    logical_cores: &'a Fact<u32>,
    physical_cores: Option<&'a Fact<u32>>,
    cpu_limit: Option<&'a Fact<f64>>,
    usable_cores: Fact<f64>,
    total_memory: SizeJson,
    available_memory: Option<SizeJson>,
    memory_limit: Option<SizeJson>,
    usable_memory: SizeJson,
    disk: &'a Fact<DiskKind>,
    state_dir: String,
    disk_space: Option<SizeJson>,
    hosts: u32,
    jobmanager_on_host: bool,
}

/// A size fact with its unit in the field name.
#[derive(Serialize)]
struct SizeJson {
    bytes: u64,
    source: Source,
}

impl From<&Fact<MemorySize>> for SizeJson {
    fn from(fact: &Fact<MemorySize>) -> Self {
        SizeJson {
            bytes: fact.value.bytes(),
            source: fact.source.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn container_host() -> HostSpec {
        HostSpec {
            logical_cores: Fact::new(16, Source::Host("sysinfo".into())),
            physical_cores: Some(Fact::new(8, Source::Host("sysinfo".into()))),
            cpu_limit: Some(Fact::new(
                1.5,
                Source::Cgroup("/sys/fs/cgroup/cpu.max".into()),
            )),
            total_memory: Fact::new(MemorySize::gibibytes(64), Source::Host("sysinfo".into())),
            available_memory: Some(Fact::new(
                MemorySize::gibibytes(60),
                Source::Host("sysinfo".into()),
            )),
            memory_limit: None,
            disk: Fact::new(DiskKind::Unknown, Source::Host("overlay filesystem".into())),
            state_dir: PathBuf::from("/tmp/flink"),
            disk_space: Some(Fact::new(
                MemorySize::gibibytes(100),
                Source::Host("sysinfo".into()),
            )),
            hosts: 2,
            jobmanager_on_host: true,
        }
    }

    #[test]
    fn table_shows_every_fact_with_its_source() {
        insta::assert_snapshot!(render_table(&container_host(), crate::text::table::PLAIN));
    }

    #[test]
    fn json_has_usable_values_and_sizes_in_bytes() {
        insta::assert_snapshot!(to_json(&container_host()));
    }
}
