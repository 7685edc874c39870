//! The advisor: pure rules that turn what a host offers ([`HostSpec`]) and what a job needs ([`JobProfile`]) into
//! Flink settings for one release, each with its reason. No I/O here; the memory settings are checked against
//! flinktune's model of Flink's memory derivation before they are returned, so that what is emitted resolves in
//! Flink exactly as planned.
//!
//! The rules and the guidance they come from, one file each:
//! [`reserve`] (OS and JobManager share of a host), [`jobmanager`] (JobManager size), [`layout`] (TaskManagers per
//! host, cores, slots, process size), [`managed_memory`], [`state_backend`], [`rocksdb`], [`checkpointing`],
//! [`restore`], [`single_host_checkpoints`], [`high_availability`], [`local_recovery`], [`transfer_threads`], [`changelog`],
//! [`latency`], [`kafka_transactions`], [`restart`], [`parallelism`], [`runtime_mode`], [`batch`].

pub(crate) mod batch;
pub(crate) mod changelog;
pub(crate) mod checkpoint_budget;
pub(crate) mod checkpointing;
pub(crate) mod coherence;
pub(crate) mod error;
pub(crate) mod estimate;
pub(crate) mod garbage_collector;
pub(crate) mod high_availability;
pub(crate) mod jobmanager;
pub(crate) mod jvm;
pub(crate) mod kafka_transactions;
pub(crate) mod latency;
pub(crate) mod layout;
pub(crate) mod local_recovery;
pub(crate) mod managed_memory;
pub(crate) mod network_pair;
pub(crate) mod parallelism;
pub(crate) mod pins;
pub(crate) mod reserve;
pub(crate) mod restart;
pub(crate) mod restore;
pub(crate) mod rocksdb;
pub(crate) mod runtime_mode;
pub(crate) mod setting;
pub(crate) mod single_host_checkpoints;
pub(crate) mod slots;
pub(crate) mod state_backend;
pub(crate) mod state_size;
pub(crate) mod storage_path;
pub(crate) mod transfer_threads;

use std::borrow::Cow;
use std::path::PathBuf;

use crate::flink::FlinkVersion;
use crate::flink::config::{Configuration, Origin, Value};
use crate::flink::memory::{
    JobManagerMemory, TaskManagerMemory, jobmanager_memory, taskmanager_memory,
};
use crate::host::HostSpec;
use crate::profile::{JobProfile, Mode};

pub(crate) use error::AdviceError;
pub(crate) use layout::Layout;
pub use pins::Pins;
pub(crate) use setting::{Group, Input, Setting, SettingValue};

/// Everything the advisor takes.
#[derive(Debug, Clone)]
pub struct AdviceInput<'a> {
    pub host: &'a HostSpec,
    pub profile: &'a JobProfile,
    pub version: FlinkVersion,
    /// Where RocksDB keeps its files, when the user named it (`--state-dir`).
    pub local_state_dir: Option<PathBuf>,
    /// `--allow-local-checkpoints`: a `file://` checkpoint directory is a shared mount, not a local disk.
    pub allow_local_checkpoints: bool,
    /// The directory `recommend` runs in, resolved by the edge: a development session on one host checkpoints
    /// under it ([`single_host_checkpoints`]). `None` where unknown.
    pub working_dir: Option<PathBuf>,
    /// `-D key=value`: values the rules take as given (src/advisor/pins.rs).
    pub pins: Pins,
}

/// The advice: settings in emission order, warnings, the cluster's shape and the memory Flink will derive.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub version: FlinkVersion,
    pub settings: Vec<Setting>,
    pub warnings: Vec<String>,
    pub layout: Layout,
    pub parallelism: u32,
    pub taskmanager_memory: TaskManagerMemory,
    pub jobmanager_memory: JobManagerMemory,
    /// The keys pinned with `-D`, in byte order.
    pub pinned: Vec<Cow<'static, str>>,
}

/// Runs every rule.
pub fn recommend(input: &AdviceInput) -> Result<Recommendation, AdviceError> {
    let version = input.version;
    let pinned_profile = input.pins.over_profile(input.profile, version);
    let input = &AdviceInput {
        profile: &pinned_profile,
        ..input.clone()
    };
    let profile = input.profile;
    if !version.has_unambiguous_job_keys() {
        return Err(AdviceError::VersionTooOld(version.to_string()));
    }
    if profile.mode == Mode::PerJob && version.is_2x() {
        return Err(AdviceError::PerJobGone(version.to_string()));
    }
    let mut warnings = Vec::new();
    let mut settings = Vec::new();

    let layout = layout::plan(input)?;
    settings.extend(layout.settings.iter().cloned());
    settings.extend(runtime_mode::settings(input));
    settings.extend(batch::settings(input, &layout));

    let parallelism = parallelism::recommend(
        profile,
        &layout,
        version,
        input.pins.parallelism(version),
        &mut warnings,
    );
    settings.extend(parallelism.settings);

    settings.extend(state_backend::settings(input, &layout)?);
    settings.extend(rocksdb::settings(input, &layout));
    settings.extend(checkpointing::settings(input, &layout, parallelism.value));
    let interval = checkpointing::planned_interval(input.version, &settings);
    settings.extend(latency::settings(input, interval, &mut warnings));
    settings.extend(changelog::settings(
        input,
        &layout,
        parallelism.value,
        interval,
    ));
    let timeout = checkpointing::planned_timeout(input.version, &settings);
    warnings.extend(kafka_transactions::warning(input, interval, timeout));
    settings.extend(restore::settings(input, &mut warnings)?);
    settings.extend(high_availability::settings(input, &mut warnings));
    settings.extend(local_recovery::settings(input, &layout, parallelism.value));
    settings.extend(transfer_threads::settings(
        input,
        &layout,
        parallelism.value,
    ));
    settings.extend(restart::settings(input));
    settings.extend(jvm::settings(input));
    settings.extend(garbage_collector::settings(input, &layout));
    input.pins.apply(&mut settings);

    // A stable order: by group, then in the order the rules produced them (which follows Flink's docs).
    settings.sort_by_key(|setting| setting.group);

    let (taskmanager_memory, jobmanager_memory) =
        resolve_memory(&settings, version).map_err(|error| match error {
            AdviceError::Rejected(message) if !input.pins.is_empty() => AdviceError::PinRejected {
                pins: input.pins.flags().join(" "),
                message,
            },
            other => other,
        })?;
    warnings.extend(coherence::judge(input, &settings)?);
    Ok(Recommendation {
        version,
        settings,
        warnings,
        layout,
        parallelism: parallelism.value,
        taskmanager_memory,
        jobmanager_memory,
        pinned: input.pins.keys().cloned().collect(),
    })
}

/// The settings as the configuration Flink would load from the emitted file.
pub(crate) fn as_configuration(settings: &[Setting]) -> Configuration {
    let mut configuration = Configuration::new();
    for setting in settings {
        configuration.set(
            setting.key.as_ref(),
            Value::Text(setting.value.to_string()),
            Origin::DynamicProperty,
        );
    }
    configuration
}

/// Resolves the emitted memory settings with flinktune's model of Flink's derivation (checked byte for byte against
/// Flink by tests/it/flink_differential.rs): a rejection here is a flinktune bug, never something to emit.
pub(crate) fn resolve_memory(
    settings: &[Setting],
    version: FlinkVersion,
) -> Result<(TaskManagerMemory, JobManagerMemory), AdviceError> {
    let configuration = as_configuration(settings);
    let taskmanager = taskmanager_memory(&configuration, version, None)
        .map_err(|error| AdviceError::Rejected(error.chain().join(": ")))?;
    let jobmanager = jobmanager_memory(&configuration, version, None)
        .map_err(|error| AdviceError::Rejected(error.chain().join(": ")))?;
    Ok((taskmanager, jobmanager))
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::flink::MemorySize;
    use crate::host::DiskKind;
    use crate::profile::embedded::embedded_profile;

    /// A planned host and a shipped profile, adjusted by `edit`, through every rule.
    pub(crate) fn advise(
        cores: f64,
        memory_gib: u64,
        profile: &str,
        version: &str,
        edit: impl FnOnce(&mut HostSpec, &mut JobProfile),
    ) -> Result<Recommendation, AdviceError> {
        let mut host = HostSpec::planned(cores, MemorySize::gibibytes(memory_gib), DiskKind::Ssd);
        let mut profile = embedded_profile(profile).unwrap();
        edit(&mut host, &mut profile);
        recommend(&input(
            &host,
            &profile,
            version.parse().unwrap(),
            Pins::default(),
        ))
    }

    /// The advisor's input for a host and profile, with nothing named on the command line but `pins`.
    pub(crate) fn input<'a>(
        host: &'a HostSpec,
        profile: &'a JobProfile,
        version: FlinkVersion,
        pins: Pins,
    ) -> AdviceInput<'a> {
        AdviceInput {
            host,
            profile,
            version,
            local_state_dir: None,
            allow_local_checkpoints: false,
            working_dir: None,
            pins,
        }
    }

    /// One rule run on `host` and `profile` as edited by `edit`, with the layout and parallelism the advisor planned
    /// for the unedited job (2.3): each condition of a rule's guard can then be changed alone, the backend included.
    pub(crate) fn rule_on_edited_plan<T>(
        host: &HostSpec,
        mut profile: JobProfile,
        edit: impl FnOnce(&mut JobProfile, &mut Layout),
        rule: impl FnOnce(&AdviceInput, &Layout, u32) -> T,
    ) -> T {
        let version = "2.3".parse().unwrap();
        let advice = recommend(&input(host, &profile, version, Pins::default())).unwrap();
        let mut layout = advice.layout;
        edit(&mut profile, &mut layout);
        rule(
            &input(host, &profile, version, Pins::default()),
            &layout,
            advice.parallelism,
        )
    }

    /// The value written for `key`, if any.
    pub(crate) fn value(recommendation: &Recommendation, key: &str) -> Option<String> {
        recommendation
            .settings
            .iter()
            .find(|setting| setting.key == key)
            .map(|setting| setting.value.to_string())
    }
}

#[cfg(test)]
mod catalogue_tests {
    use super::test_support::advise;
    use crate::flink::catalogue::Catalogue;
    use crate::flink::version::SUPPORTED_LINES;
    use crate::profile::embedded::names;

    /// Every key `recommend` writes is a main, non-deprecated option of the release it writes for, and every value
    /// parses as its type, by the catalogue read from that release's own jars (all seven lines `recommend` targets,
    /// not only the two the real-Flink tests start).
    #[test]
    fn every_emitted_key_is_a_main_option_of_its_release() {
        let catalogue = Catalogue::get();
        let mut checked = 0;
        for (major, minor) in SUPPORTED_LINES.into_iter().filter(|line| *line >= (1, 17)) {
            let version = format!("{major}.{minor}");
            for profile in names() {
                let advice = advise(16.0, 64, profile, &version, |_, p| {
                    p.checkpoint_dir = Some("s3://bucket/checkpoints".into());
                    p.savepoint_dir = Some("s3://bucket/savepoints".into());
                })
                .unwrap();
                // check's own key and value rules find nothing in what recommend writes.
                let findings = crate::check::key_rules::findings(
                    &super::as_configuration(&advice.settings),
                    version.parse().unwrap(),
                    catalogue,
                );
                assert!(findings.is_empty(), "{version} {profile}: {findings:?}");
                for setting in &advice.settings {
                    let info = catalogue
                        .option(&setting.key, version.parse().unwrap())
                        .unwrap_or_else(|| {
                            panic!("{version} {profile}: {} is not an option", setting.key)
                        });
                    assert!(
                        !info.deprecated,
                        "{version} {profile}: {} is deprecated",
                        setting.key
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}

#[cfg(test)]
mod pin_tests {
    use super::test_support::{input, value};
    use super::*;
    use crate::flink::MemorySize;
    use crate::flink::catalogue::Catalogue;
    use crate::flink::job_options::state;
    use crate::host::DiskKind;
    use crate::profile::embedded::embedded_profile;

    fn advise_pinned(pairs: &[(&str, &str)]) -> Result<Recommendation, AdviceError> {
        let version: FlinkVersion = "2.3".parse().unwrap();
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        let pins = Pins::resolve(&pairs, version, Catalogue::get()).unwrap();
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let profile = embedded_profile("cpu-bound").unwrap();
        recommend(&input(&host, &profile, version, pins))
    }

    /// The rules plan with the profile as the pins leave it: a pinned RocksDB gets RocksDB's options, not only the
    /// key written over the heap backend the profile would have chosen.
    #[test]
    fn a_pinned_backend_is_planned_for_by_the_rules() {
        let version: FlinkVersion = "2.3".parse().unwrap();
        let options_key = state::ROCKSDB_PREDEFINED_OPTIONS.for_version(version);
        let unpinned = advise_pinned(&[]).unwrap();
        assert_eq!(value(&unpinned, options_key), None);
        let pinned = advise_pinned(&[("state.backend.type", "rocksdb")]).unwrap();
        assert_eq!(
            value(&pinned, options_key).as_deref(),
            Some("FLASH_SSD_OPTIMIZED")
        );
    }

    /// A memory setting Flink refuses because of a pin is the pin's error, naming it, not a flinktune bug.
    #[test]
    fn memory_flink_refuses_because_of_a_pin_names_the_pin() {
        let error = advise_pinned(&[("taskmanager.memory.jvm-overhead.min", "2g")]).unwrap_err();
        match error {
            AdviceError::PinRejected { pins, message } => {
                assert_eq!(pins, "-D taskmanager.memory.jvm-overhead.min=2g");
                assert!(message.contains("jvm-overhead"), "{message}");
            }
            other => panic!("expected the pin's rejection, got {other:?}"),
        }
    }
}
