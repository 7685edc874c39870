//! Task-local recovery for restorable jobs (Flink docs, "Task-Local Recovery"): each TaskManager keeps a copy of its
//! last checkpoint on local disk, so a task restarted on a surviving TaskManager reads its state from there instead
//! of downloading it from checkpoint storage. The cost is one more copy of the state on local disk (and, for the
//! heap backend, writing it at every checkpoint); a replaced TaskManager still downloads. The restore-time estimate
//! (estimate/restore_time.rs) and invariant FT-RCV-001 read the setting back, so the plan's recovery estimate is the
//! one this rule argues with.
//!
//! Where the host's free disk is known and the copy would not fit beside the backend's own files (invariant
//! FT-STA-003, src/invariants/local_disk.rs), local recovery stays off: a restore that downloads beats a disk that
//! fills up.
//!
//! Written for the release: `state.backend.local-recovery` until 1.19, `execution.state-recovery.from-local` from
//! 1.20 (`StateRecoveryOptions.LOCAL_RECOVERY`, which `CheckpointingOptions.LOCAL_BACKUP_ENABLED` falls back to, so
//! the one key turns on both the local copy and reading it).

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{StateBackendKind, state};
use crate::profile::{Deployment, Runtime};
use crate::text::units::show;

use super::estimate::local_disk::local_disk_needed;
use super::estimate::restore_time::{LOCAL_READ, RestorePath, restore_time};
use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

/// Local recovery for a restorable streaming job whose state is kept by the heap backend or RocksDB (ForSt keeps its
/// primary copy remote and restores without moving state, so it gains nothing).
pub(crate) fn settings(input: &AdviceInput, layout: &Layout, parallelism: u32) -> Vec<Setting> {
    let profile = input.profile;
    if !profile.restore
        || profile.runtime != Runtime::Streaming
        || profile.checkpoint_dir.is_none()
        || profile.state_size.is_some_and(|size| size.bytes() == 0)
    {
        return Vec::new();
    }
    let Some(kind) = layout.backend.as_ref().map(|choice| choice.kind) else {
        return Vec::new();
    };
    if kind == StateBackendKind::ForSt {
        return Vec::new();
    }
    let state_per_taskmanager =
        super::checkpoint_budget::state_per_occupied_taskmanager(profile, layout, parallelism);
    if profile.state_size.is_some() && !copy_fits_disk(input, layout, kind, state_per_taskmanager) {
        return Vec::new();
    }
    let bandwidth = profile.download_bandwidth;
    let numbers = match profile.state_size {
        Some(_) => format!(
            "{} of state per TaskManager: a download at {}/s restores in about {}, a local copy read at {}/s in about \
             {}",
            show(state_per_taskmanager),
            show(bandwidth),
            seconds(restore_time(
                state_per_taskmanager,
                RestorePath::Download,
                bandwidth
            )),
            show(LOCAL_READ.max(bandwidth)),
            seconds(restore_time(
                state_per_taskmanager,
                RestorePath::Local,
                bandwidth
            )),
        ),
        None => format!(
            "state size unknown: a local copy is read at about {}/s against {}/s downloaded from checkpoint storage",
            show(LOCAL_READ.max(bandwidth)),
            show(bandwidth)
        ),
    };
    let cost = match kind {
        StateBackendKind::HashMap => {
            "; it costs one more copy of the state on local disk, written at every checkpoint"
        }
        _ => {
            "; it costs one more copy of the last checkpoint on local disk (RocksDB hard-links its files)"
        }
    };
    let kubernetes = if profile.deployment == Deployment::Kubernetes {
        " (a replaced pod downloads: its local disk goes with it)"
    } else {
        " (a replaced TaskManager downloads)"
    };
    vec![
        Setting::new(
            Group::Recovery,
            state::LOCAL_RECOVERY.for_version(input.version),
            SettingValue::Bool(true),
            format!(
                "a restorable job: a task restarted on a surviving TaskManager reads its state from local disk \
                 instead of checkpoint storage{kubernetes}; {numbers}{cost}"
            ),
        )
        .from_inputs([
            Input::new("profile.restore", profile.restore),
            Input::new(
                "state per TaskManager",
                super::state_size::shown_per_taskmanager(profile, state_per_taskmanager),
            ),
            Input::new("profile.download-bandwidth", show(bandwidth)),
        ]),
    ]
}

/// Whether the TaskManagers of one host have the free disk for the backend's files and a local copy each; true when
/// the free space is unknown.
fn copy_fits_disk(
    input: &AdviceInput,
    layout: &Layout,
    kind: StateBackendKind,
    state_per_taskmanager: crate::flink::MemorySize,
) -> bool {
    let Some(space) = &input.host.disk_space else {
        return true;
    };
    let on_disk = kind != StateBackendKind::HashMap;
    let per_taskmanager = local_disk_needed(state_per_taskmanager, on_disk, true);
    per_taskmanager
        .bytes()
        .saturating_mul(u64::from(layout.taskmanagers_per_host.max(1)))
        <= space.value.bytes()
}

/// A duration in whole seconds (at least one), as reasons show estimates.
pub(crate) fn seconds(duration: Duration) -> FlinkDuration {
    FlinkDuration(Duration::from_secs(duration.as_secs().max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::HostSpec;
    use crate::advisor::test_support::{advise, rule_on_edited_plan, value};
    use crate::flink::MemorySize;
    use crate::host::DiskKind;
    use crate::profile::JobProfile;
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn restorable_jobs_recover_locally_with_the_releases_spelling() {
        for (version, key) in [
            ("1.18", "state.backend.local-recovery"),
            ("1.19", "state.backend.local-recovery"),
            ("1.20", "execution.state-recovery.from-local"),
            ("2.3", "execution.state-recovery.from-local"),
        ] {
            let advice = advise(16.0, 64, "large-state", version, |_, p| {
                p.checkpoint_dir = Some("s3://b/ckpt".into());
            })
            .unwrap();
            assert_eq!(value(&advice, key).as_deref(), Some("true"), "{version}");
            let why = &advice.settings.iter().find(|s| s.key == key).unwrap().why;
            assert!(why.contains("/s restores in about"), "{why}");
        }
    }

    #[test]
    fn local_recovery_stays_off_when_its_copy_would_not_fit_the_free_disk() {
        use crate::host::{Fact, Source};
        let key = "execution.state-recovery.from-local";
        let with_space = |free_gib: u64| {
            advise(16.0, 64, "large-state", "2.3", |host, p| {
                host.disk_space = Some(Fact::new(
                    MemorySize::gibibytes(free_gib),
                    Source::Flag("--disk-space"),
                ));
                p.checkpoint_dir = Some("s3://b/ckpt".into());
                p.state_size = Some(MemorySize::gibibytes(100));
            })
        };
        // 100 GiB in RocksDB on the one host: 200 GiB of working files, 300 GiB with the local copy.
        assert_eq!(
            value(&with_space(300).unwrap(), key).as_deref(),
            Some("true")
        );
        assert_eq!(value(&with_space(299).unwrap(), key), None);
        // Not even the working files fit: the plan fails, naming what to change.
        let error = with_space(199).unwrap_err().to_string();
        assert!(
            error.contains("FT-STA-003") && error.contains("--state-dir"),
            "{error}"
        );
    }

    /// The local-recovery settings for `edit` of a large-state job with a checkpoint directory and 20 GiB of state,
    /// with the layout the advisor planned for the unedited job.
    fn local_recovery_for(edit: impl FnOnce(&mut JobProfile, &mut Layout)) -> Vec<Setting> {
        let host = HostSpec::planned(16.0, MemorySize::gibibytes(64), DiskKind::Ssd);
        let mut profile = embedded_profile("large-state").unwrap();
        profile.checkpoint_dir = Some("s3://b/ckpt".into());
        profile.state_size = Some(MemorySize::gibibytes(20));
        rule_on_edited_plan(&host, profile, edit, settings)
    }

    /// No checkpoint directory alone keeps local recovery off: there is no checkpoint to keep a local copy of.
    #[test]
    fn a_job_without_checkpoint_storage_keeps_no_local_copy() {
        assert_eq!(local_recovery_for(|_, _| {}).len(), 1);
        assert!(local_recovery_for(|p, _| p.checkpoint_dir = None).is_empty());
    }

    /// The reason names what the copy costs for the backend that keeps it and who still downloads.
    #[test]
    fn the_reason_names_the_backends_cost_and_who_still_downloads() {
        let rocksdb = &local_recovery_for(|_, _| {})[0].why;
        assert!(
            rocksdb.contains("(a replaced TaskManager downloads)"),
            "{rocksdb}"
        );
        assert!(
            rocksdb.ends_with("(RocksDB hard-links its files)"),
            "{rocksdb}"
        );
        let heap = &local_recovery_for(|_, layout| {
            layout.backend.as_mut().unwrap().kind = StateBackendKind::HashMap;
        })[0]
            .why;
        assert!(heap.ends_with("written at every checkpoint"), "{heap}");
        let pod = &local_recovery_for(|p, _| p.deployment = Deployment::Kubernetes)[0].why;
        assert!(
            pod.contains("(a replaced pod downloads: its local disk goes with it)"),
            "{pod}"
        );
    }

    #[test]
    fn jobs_without_restore_or_state_keep_flinks_default() {
        let balanced = advise(8.0, 32, "balanced", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
        })
        .unwrap();
        assert_eq!(
            value(&balanced, "execution.state-recovery.from-local"),
            None
        );
        let stateless = advise(8.0, 32, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = Some(MemorySize::ZERO);
        })
        .unwrap();
        assert_eq!(
            value(&stateless, "execution.state-recovery.from-local"),
            None
        );
    }

    #[test]
    fn the_restore_time_invariant_counts_the_local_copy() {
        use crate::advisor::as_configuration;
        use crate::invariants::Deployment;
        use crate::invariants::recovery::estimate;
        let advice = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = Some(MemorySize::gibibytes(200));
        })
        .unwrap();
        let host = crate::host::HostSpec::planned(
            16.0,
            MemorySize::gibibytes(64),
            crate::host::DiskKind::Ssd,
        );
        let mut profile = crate::profile::embedded::embedded_profile("large-state").unwrap();
        profile.state_size = Some(MemorySize::gibibytes(200));
        let restore = |settings: &[crate::advisor::Setting]| {
            let deployment = Deployment::from_configuration(
                &as_configuration(settings),
                advice.version,
                Some(&host),
                Some(&profile),
            );
            estimate(&deployment).unwrap().restore
        };
        let without: Vec<_> = advice
            .settings
            .iter()
            .filter(|s| s.key != "execution.state-recovery.from-local")
            .cloned()
            .collect();
        assert!(restore(&advice.settings) < restore(&without));
    }
}
