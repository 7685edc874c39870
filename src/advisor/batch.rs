//! Bounded jobs in BATCH mode (Flink docs, "Batch Shuffle", "Elastic Scaling: Adaptive Batch Scheduler"). Batch
//! jobs keep no checkpointed state; their disk traffic is spilled sorts and hash tables and blocking shuffle files,
//! all written to `io.tmp.dirs`, so that is what goes on the fastest disk. Exchanges are blocking: each stage's
//! output is written whole before the next stage starts, which lets the adaptive batch scheduler (the default for
//! batch jobs from 1.17) size each stage from the data it actually reads, lets a stage run with fewer slots than the
//! job's width, and reruns only the failed region on a failure. The scheduler's upper bound is Flink's 128 unless
//! set: the cluster's slots, so a stage runs in one wave and a large cluster is not capped at 128.

use crate::flink::job_options::batch;
use crate::profile::{Deployment, Runtime};

use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

pub(crate) fn settings(input: &AdviceInput, layout: &Layout) -> Vec<Setting> {
    let profile = input.profile;
    if profile.runtime != Runtime::Batch {
        return Vec::new();
    }
    let version = input.version;
    let mut settings = Vec::new();
    // On YARN the TaskManagers use the container's local directories whatever io.tmp.dirs says.
    if let Some(dir) = input
        .local_state_dir
        .as_ref()
        .filter(|_| profile.deployment != Deployment::Yarn)
    {
        settings.push(
            Setting::new(
                Group::State,
                batch::TMP_DIRS.for_version(version),
                SettingValue::Text(dir.display().to_string()),
                format!(
                    "BATCH mode spills sorts and hash tables and writes every blocking shuffle here: the {} disk named \
                     with --state-dir instead of the JVM's temporary directory",
                    input.host.disk.value
                ),
            )
            .from_inputs([Input::new("--state-dir", dir.display())]),
        );
    }
    settings.push(
        Setting::new(
            Group::Cluster,
            batch::SHUFFLE_MODE.for_version(version),
            SettingValue::Word(batch::SHUFFLE_ALL_BLOCKING),
            "each stage writes its output whole to local disk before the next starts: the adaptive batch scheduler \
             then sizes the next stage from the data it reads, a stage needs no more slots than its own width, and \
             a failure reruns only its region",
        )
        .from_inputs([Input::new("profile.runtime", profile.runtime)]),
    );
    let slots = layout.total_slots().max(1);
    let bound = largest_power_of_two_at_most(slots);
    if bound != batch::ADAPTIVE_DEFAULT_MAX_PARALLELISM {
        settings.push(
            Setting::new(
                Group::Cluster,
                batch::ADAPTIVE_MAX_PARALLELISM.for_version(version),
                SettingValue::Integer(i64::from(bound)),
                format!(
                    "the adaptive batch scheduler sizes each stage from its input up to this bound: the cluster's {} \
                     slots rounded down to a power of two (1.17 rounds other values up), so {} (Flink's default \
                     bound is {})",
                    slots,
                    if bound < batch::ADAPTIVE_DEFAULT_MAX_PARALLELISM {
                        "no stage asks for more subtasks than the cluster runs at once"
                    } else {
                        "a stage may use the whole cluster"
                    },
                    batch::ADAPTIVE_DEFAULT_MAX_PARALLELISM
                ),
            )
            .from_inputs([
                Input::new("hosts", layout.hosts),
                Input::new("TaskManagers per host", layout.taskmanagers_per_host),
                Input::new("slots per TaskManager", layout.slots_per_taskmanager),
            ]),
        );
    }
    settings
}

/// The largest power of two at or below `value` (1 for 0).
pub(crate) fn largest_power_of_two_at_most(value: u32) -> u32 {
    if value <= 1 {
        1
    } else {
        1 << (31 - value.leading_zeros())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::advisor::test_support::{advise, value};
    use crate::advisor::{AdviceInput, recommend};
    use crate::flink::MemorySize;
    use crate::host::{DiskKind, HostSpec};
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn powers_of_two_round_down() {
        assert_eq!(largest_power_of_two_at_most(0), 1);
        assert_eq!(largest_power_of_two_at_most(1), 1);
        assert_eq!(largest_power_of_two_at_most(8), 8);
        assert_eq!(largest_power_of_two_at_most(9), 8);
        assert_eq!(largest_power_of_two_at_most(800), 512);
        assert_eq!(largest_power_of_two_at_most(u32::MAX), 1 << 31);
    }

    #[test]
    fn batch_bounds_the_adaptive_scheduler_by_the_clusters_slots() {
        let small = advise(8.0, 32, "batch", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&small, "execution.batch-shuffle-mode").as_deref(),
            Some("ALL_EXCHANGES_BLOCKING")
        );
        let bound: u32 = value(
            &small,
            "execution.batch.adaptive.auto-parallelism.max-parallelism",
        )
        .unwrap()
        .parse()
        .unwrap();
        assert!(bound <= small.layout.total_slots(), "{bound}");
        let wide = advise(32.0, 128, "batch", "1.17", |host, _| host.hosts = 40).unwrap();
        assert_eq!(
            value(
                &wide,
                "execution.batch.adaptive.auto-parallelism.max-parallelism"
            )
            .as_deref(),
            Some(
                largest_power_of_two_at_most(wide.layout.total_slots())
                    .to_string()
                    .as_str()
            )
        );
        let streaming = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(value(&streaming, "execution.batch-shuffle-mode"), None);
    }

    #[test]
    fn temporary_directories_go_to_the_named_disk() {
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let profile = embedded_profile("batch").unwrap();
        let advice = recommend(&AdviceInput {
            host: &host,
            profile: &profile,
            version: "2.3".parse().unwrap(),
            local_state_dir: Some(PathBuf::from("/mnt/nvme0/flink")),
            allow_local_checkpoints: false,
            working_dir: None,
            pins: crate::advisor::Pins::default(),
        })
        .unwrap();
        assert_eq!(
            value(&advice, "io.tmp.dirs").as_deref(),
            Some("/mnt/nvme0/flink")
        );
        let without = advise(8.0, 32, "batch", "2.3", |_, _| {}).unwrap();
        assert_eq!(value(&without, "io.tmp.dirs"), None);
    }
}
