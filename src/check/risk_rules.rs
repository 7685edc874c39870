//! Combinations that load fine and then hurt, judged against what the user says about the job (`--profile`):
//! restore intent without checkpoints or with checkpoints on a local disk, a heap backend for large state, more slots
//! than cores for CPU-bound work, managed memory nobody uses, no restarts in production, unaligned checkpoints that
//! cannot happen. Grounded in the same guidance as the advisor's rules (src/advisor/).

use crate::flink::config::{Configuration, Entry};
use crate::flink::job_options::{
    CHECKPOINTING_MODE_AT_LEAST_ONCE, CHECKPOINTING_MODE_EXACTLY_ONCE, RESTART_OFF_ALIASES,
    RUNTIME_MODE_BATCH, VersionedKey, checkpointing, restart, state,
};
use crate::flink::options::taskmanager as tm;
use crate::profile::{JobProfile, Purpose, Runtime, Workload};

use super::finding::{Finding, Severity};

/// The entry for an option under any of its spellings, newest first.
fn lookup(configuration: &Configuration, key: VersionedKey) -> Option<(&'static str, &Entry)> {
    key.all_spellings()
        .find_map(|spelling| configuration.get(spelling).map(|entry| (spelling, entry)))
}

fn text(entry: &Entry) -> String {
    entry.value.java_string().trim().to_string()
}

/// Checks that need no profile.
pub(crate) fn findings(configuration: &Configuration) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unaligned = lookup(configuration, checkpointing::UNALIGNED);
    let mode = lookup(configuration, checkpointing::MODE);
    if let (Some((unaligned_key, unaligned_entry)), Some((_, mode_entry))) = (unaligned, mode)
        && text(unaligned_entry).eq_ignore_ascii_case("true")
        && text(mode_entry).eq_ignore_ascii_case(CHECKPOINTING_MODE_AT_LEAST_ONCE)
    {
        findings.push(
            Finding::new(
                Severity::Warn,
                "unaligned checkpoints need EXACTLY_ONCE; with AT_LEAST_ONCE Flink takes aligned checkpoints anyway",
                format!(
                    "drop the unaligned setting, or use {}: {CHECKPOINTING_MODE_EXACTLY_ONCE}",
                    checkpointing::MODE.newest()
                ),
            )
            .at(unaligned_key, Some(unaligned_entry.origin.clone())),
        );
    }
    if let Some((backend_key, backend)) = lookup(configuration, state::BACKEND)
        && text(backend).eq_ignore_ascii_case("hashmap")
        && !is_batch(configuration)
        && managed_reserved(configuration)
    {
        findings.push(
            Finding::new(
                Severity::Warn,
                "managed memory is reserved (40% of Flink memory unless set) but the heap state backend does not use \
                 it in a streaming job",
                format!(
                    "set {}: 0 so the heap gets it (Flink's memory tuning guide)",
                    tm::MANAGED_MEMORY_FRACTION.key
                ),
            )
            .at(backend_key, Some(backend.origin.clone())),
        );
    }
    findings
}

/// Checks against what the profile says about the job.
pub(crate) fn profile_findings(
    configuration: &Configuration,
    profile: &JobProfile,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let interval = lookup(configuration, checkpointing::INTERVAL);
    let checkpoint_dir = lookup(configuration, state::CHECKPOINT_DIR);
    if profile.restore && profile.runtime == Runtime::Streaming {
        if interval.is_none() {
            findings.push(Finding::new(
                Severity::Error,
                format!(
                    "profile '{}' needs restore, but checkpointing is off: after a failure the job starts from nothing",
                    profile.name
                ),
                format!("set {} (e.g. 1 min)", checkpointing::INTERVAL.newest()),
            ));
        }
        match checkpoint_dir {
            None => findings.push(Finding::new(
                Severity::Error,
                "restore needs a durable checkpoint directory; without one checkpoints live in the JobManager's memory",
                format!("set {} to shared storage (s3://, hdfs://)", state::CHECKPOINT_DIR.newest()),
            )),
            Some((key, entry)) if text(entry).starts_with("file://") => findings.push(
                Finding::new(
                    Severity::Warn,
                    "checkpoints on a file:// directory die with the host unless it is a shared mount",
                    "use shared storage (s3://, hdfs://), or ignore this if the path is a shared mount",
                )
                .at(key, Some(entry.origin.clone())),
            ),
            Some(_) => {}
        }
    }
    // The heap backend against declared state is invariant FT-STA-002 (src/invariants/state.rs).
    if profile.workload == Workload::Cpu
        && let (Some(slots), Some(cores)) = (
            configuration.get(tm::NUM_TASK_SLOTS.key),
            configuration.get(tm::CPU_CORES.key),
        )
        && let (Ok(slots), Ok(cores)) = (text(slots).parse::<f64>(), text(cores).parse::<f64>())
        && slots > cores
    {
        findings.push(
            Finding::new(
                Severity::Warn,
                format!("{slots} slots on {cores} cores for a CPU-bound job: slots without a core only add context switches"),
                format!("set {} to at most {cores}", tm::NUM_TASK_SLOTS.key),
            )
            .at(tm::NUM_TASK_SLOTS.key, configuration.get(tm::NUM_TASK_SLOTS.key).map(|e| e.origin.clone())),
        );
    }
    if profile.purpose == Purpose::Production
        && let Some((key, entry)) = lookup(configuration, restart::STRATEGY)
        && RESTART_OFF_ALIASES
            .iter()
            .any(|alias| text(entry).eq_ignore_ascii_case(alias))
    {
        findings.push(
            Finding::new(
                Severity::Warn,
                format!(
                    "restart strategy '{}' in a production profile: the first failure ends the job",
                    text(entry)
                ),
                "use exponential-delay (or fixed-delay for batch)",
            )
            .at(key, Some(entry.origin.clone())),
        );
    }
    findings
}

fn is_batch(configuration: &Configuration) -> bool {
    configuration
        .get(crate::flink::job_options::cluster::RUNTIME_MODE.newest())
        .is_some_and(|entry| text(entry).eq_ignore_ascii_case(RUNTIME_MODE_BATCH))
}

/// Managed memory is reserved unless the fraction or size is explicitly zero.
fn managed_reserved(configuration: &Configuration) -> bool {
    let zero = |key: &str| {
        configuration.get(key).is_some_and(|entry| {
            matches!(
                text(entry).as_str(),
                "0" | "0.0" | "0b" | "0 b" | "0m" | "0 mb"
            )
        })
    };
    !(zero(tm::MANAGED_MEMORY_FRACTION.key) || zero(tm::MANAGED_MEMORY_SIZE.key))
}

#[cfg(test)]
mod tests {
    //! Each risk at its edges (issue 15, docs/mutants.md): what fires it, what keeps it quiet, where it points.

    use super::*;
    use crate::flink::config::parse_standard_yaml;
    use crate::profile::embedded::embedded_profile;

    fn configuration(text: &str) -> Configuration {
        parse_standard_yaml("config.yaml", text)
            .unwrap()
            .configuration
    }

    /// Severity, key and line of each finding.
    fn found(findings: &[Finding]) -> Vec<(Severity, Option<&str>, Option<usize>)> {
        findings
            .iter()
            .map(|finding| {
                (
                    finding.severity,
                    finding.key.as_deref(),
                    finding.position().map(|(line, _)| line),
                )
            })
            .collect()
    }

    /// A streaming production job that must restore, planned as `workload`.
    fn job(workload: Workload) -> JobProfile {
        let mut profile = embedded_profile("balanced").unwrap();
        profile.restore = true;
        profile.runtime = Runtime::Streaming;
        profile.purpose = Purpose::Production;
        profile.workload = workload;
        profile
    }

    #[test]
    fn unaligned_checkpoints_with_at_least_once_are_a_warning_at_the_unaligned_key() {
        let unaligned = checkpointing::UNALIGNED.newest();
        let mode = checkpointing::MODE.newest();
        let judged = |flag: &str, chosen: &str| {
            findings(&configuration(&format!(
                "state.backend.type: rocksdb\n{unaligned}: {flag}\n{mode}: {chosen}\n"
            )))
        };
        assert_eq!(
            found(&judged("TRUE", "at_least_once")),
            [(Severity::Warn, Some(unaligned), Some(2))]
        );
        assert!(judged("true", "EXACTLY_ONCE").is_empty());
        assert!(judged("false", "AT_LEAST_ONCE").is_empty());
        // Either one alone says nothing.
        assert!(findings(&configuration(&format!("{unaligned}: true\n"))).is_empty());
        assert!(findings(&configuration(&format!("{mode}: AT_LEAST_ONCE\n"))).is_empty());
    }

    #[test]
    fn managed_memory_reserved_for_the_heap_backend_in_streaming_is_a_warning() {
        let backend = state::BACKEND.newest();
        assert_eq!(
            found(&findings(&configuration(&format!(
                "parallelism.default: 2\n{backend}: HashMap\n"
            )))),
            [(Severity::Warn, Some(backend), Some(2))]
        );
        let fraction = tm::MANAGED_MEMORY_FRACTION.key;
        let size = tm::MANAGED_MEMORY_SIZE.key;
        let quiet = [
            format!("{backend}: hashmap\n{fraction}: 0\n"),
            format!("{backend}: hashmap\n{size}: 0m\n"),
            format!("{backend}: hashmap\nexecution.runtime-mode: batch\n"),
            format!("{backend}: rocksdb\n"),
        ];
        for text in quiet {
            assert!(findings(&configuration(&text)).is_empty(), "{text}");
        }
        assert_eq!(
            findings(&configuration(&format!(
                "{backend}: hashmap\n{fraction}: 0.4\nexecution.runtime-mode: STREAMING\n"
            )))
            .len(),
            1
        );
    }

    #[test]
    fn a_job_that_must_restore_needs_checkpoints_in_a_durable_directory() {
        let interval = checkpointing::INTERVAL.newest();
        let dir = state::CHECKPOINT_DIR.newest();
        let profile = job(Workload::Mixed);
        assert_eq!(
            found(&profile_findings(
                &configuration("parallelism.default: 2\n"),
                &profile
            )),
            [(Severity::Error, None::<&str>, None::<usize>); 2]
        );
        assert_eq!(
            found(&profile_findings(
                &configuration(&format!(
                    "{interval}: 1 min\n{dir}: file:///tmp/checkpoints\n"
                )),
                &profile
            )),
            [(Severity::Warn, Some(dir), Some(2))]
        );
        let durable = configuration(&format!(
            "{interval}: 1 min\n{dir}: s3://bucket/checkpoints\n"
        ));
        assert!(profile_findings(&durable, &profile).is_empty());
        let only_interval = configuration(&format!("{interval}: 1 min\n"));
        assert_eq!(
            found(&profile_findings(&only_interval, &profile)),
            [(Severity::Error, None::<&str>, None::<usize>)]
        );
        // Neither a job that need not restore nor a batch job is held to it.
        let mut no_restore = profile.clone();
        no_restore.restore = false;
        assert!(
            profile_findings(&configuration("parallelism.default: 2\n"), &no_restore).is_empty()
        );
        let mut batch = profile;
        batch.runtime = Runtime::Batch;
        assert!(profile_findings(&configuration("parallelism.default: 2\n"), &batch).is_empty());
    }

    #[test]
    fn more_slots_than_cores_warns_for_cpu_bound_jobs_only() {
        let mut profile = job(Workload::Cpu);
        profile.restore = false;
        let slots = tm::NUM_TASK_SLOTS.key;
        let cores = tm::CPU_CORES.key;
        let judged = |profile: &JobProfile, count: u32| {
            profile_findings(
                &configuration(&format!("{cores}: 4\n{slots}: {count}\n")),
                profile,
            )
        };
        assert_eq!(
            found(&judged(&profile, 5)),
            [(Severity::Warn, Some(slots), Some(2))]
        );
        assert!(judged(&profile, 4).is_empty());
        profile.workload = Workload::Io;
        assert!(judged(&profile, 5).is_empty());
    }

    #[test]
    fn no_restarts_in_production_is_a_warning() {
        let mut profile = job(Workload::Mixed);
        profile.restore = false;
        let strategy = restart::STRATEGY.newest();
        let judged = |profile: &JobProfile, value: &str| {
            profile_findings(&configuration(&format!("{strategy}: {value}\n")), profile)
        };
        assert_eq!(
            found(&judged(&profile, "None")),
            [(Severity::Warn, Some(strategy), Some(1))]
        );
        assert!(judged(&profile, "disable")[0].message.contains("'disable'"));
        assert!(judged(&profile, "exponential-delay").is_empty());
        profile.purpose = Purpose::Development;
        assert!(judged(&profile, "none").is_empty());
    }
}
