//! The changelog state backend for exactly-once sinks with short checkpoint intervals (issue 11, case 3). Sinks that
//! commit on checkpoints publish once per interval, so such jobs checkpoint often; the heap backend then writes its
//! whole state at every checkpoint. The changelog backend (FLIP-158, Flink docs "State Backends: Enabling Changelog")
//! uploads state changes continuously to durable storage, leaves only a small tail for each checkpoint, and writes
//! the full state in the background every `periodic-materialize.interval` (10 min), so checkpoints stay short while
//! the heap backend keeps its fast state access (measured on this host: RocksDB made a small-state job 3x slower, see
//! state_size.rs). RocksDB is incremental already and gets no changelog; ForSt does not support it.
//!
//! Written when the interval is at most SHORT_INTERVAL and a full snapshot of the state per TaskManager takes more
//! than 1/FULL_SNAPSHOT_SHARE of it (or the state size is unknown).

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{CHANGELOG_STORAGE_FILESYSTEM, StateBackendKind, state};
use crate::profile::Runtime;
use crate::text::units::show;

use super::estimate::transfer_time;
use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

/// Intervals up to this are "short": the interval sinks commit at, set by a latency target of seconds.
pub(crate) const SHORT_INTERVAL: Duration = Duration::from_secs(10);
/// A full snapshot that uploads in a tenth of the interval or less costs too little to change backends for.
pub(crate) const FULL_SNAPSHOT_SHARE: u32 = 10;
/// The changelog's directory name, beside the checkpoint directory.
pub(crate) const DIR_NAME: &str = "changelog";

pub(crate) fn settings(
    input: &AdviceInput,
    layout: &Layout,
    parallelism: u32,
    interval: Option<Duration>,
) -> Vec<Setting> {
    let profile = input.profile;
    let (Some(interval), Some(checkpoint_dir)) = (interval, profile.checkpoint_dir.as_deref())
    else {
        return Vec::new();
    };
    let heap = layout.backend.as_ref().map(|choice| choice.kind) == Some(StateBackendKind::HashMap);
    if profile.runtime != Runtime::Streaming
        || !profile.exactly_once_sinks
        || !heap
        || interval > SHORT_INTERVAL
        || profile.state_size.is_some_and(|size| size.bytes() == 0)
    {
        return Vec::new();
    }
    let state_per_taskmanager =
        super::checkpoint_budget::state_per_occupied_taskmanager(profile, layout, parallelism);
    let full_upload = transfer_time(state_per_taskmanager, profile.upload_bandwidth);
    let numbers = match profile.state_size {
        Some(_) if full_upload <= interval / FULL_SNAPSHOT_SHARE => return Vec::new(),
        Some(_) => format!(
            "a full snapshot of {} per TaskManager at {}/s uploads for about {}",
            show(state_per_taskmanager),
            show(profile.upload_bandwidth),
            FlinkDuration(Duration::from_millis(
                u64::try_from(full_upload.as_millis()).unwrap_or(u64::MAX)
            ))
        ),
        None => format!(
            "the state size is unknown ({}), and any state is written whole",
            super::state_size::HOW_TO_TELL
        ),
    };
    let version = input.version;
    let base_path = super::storage_path::sibling(checkpoint_dir, DIR_NAME);
    vec![
        Setting::new(
            Group::State,
            state::CHANGELOG.for_version(version),
            SettingValue::Bool(true),
            format!(
                "exactly-once sinks commit at every checkpoint, here every {}: the heap backend would write the whole \
                 state each time ({numbers}); the changelog uploads state changes as they happen and leaves a small \
                 tail per checkpoint, rewriting the full state in the background every 10 min, at the cost of \
                 writing each change twice",
                FlinkDuration(interval)
            ),
        )
        .from_inputs([
            Input::new("profile.exactly-once-sinks", profile.exactly_once_sinks),
            Input::new("checkpoint interval", FlinkDuration(interval)),
            Input::new(
                "state per TaskManager",
                super::state_size::shown_per_taskmanager(profile, state_per_taskmanager),
            ),
        ]),
        Setting::new(
            Group::State,
            state::CHANGELOG_STORAGE.for_version(version),
            SettingValue::Word(CHANGELOG_STORAGE_FILESYSTEM),
            "the changelog must outlive the TaskManagers that write it: Flink's default storage keeps it in memory, \
             for tests only",
        ),
        Setting::new(
            Group::State,
            state::CHANGELOG_BASE_PATH.for_version(version),
            SettingValue::Text(base_path),
            format!("the changelog on the checkpoints' durable storage, beside {checkpoint_dir}"),
        )
        .from_inputs([Input::new("profile.checkpoint-dir", checkpoint_dir)]),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::advisor::HostSpec;
    use crate::advisor::test_support::{advise, rule_on_edited_plan, value};
    use crate::flink::MemorySize;
    use crate::host::DiskKind;
    use crate::profile::JobProfile;
    use crate::profile::embedded::embedded_profile;

    fn low_latency(version: &str, state: Option<MemorySize>) -> crate::advisor::Recommendation {
        advise(8.0, 32, "low-latency", version, |_, p| {
            p.latency_target = Some(Duration::from_millis(100));
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = state;
        })
        .unwrap()
    }

    #[test]
    fn case_3_short_intervals_with_exactly_once_sinks_use_the_changelog() {
        let advice = low_latency("2.3", None);
        assert_eq!(
            value(&advice, "state.backend.type").as_deref(),
            Some("hashmap")
        );
        assert_eq!(
            value(&advice, "state.changelog.enabled").as_deref(),
            Some("true")
        );
        assert_eq!(
            value(&advice, "state.changelog.storage").as_deref(),
            Some("filesystem")
        );
        assert_eq!(
            value(&advice, "state.changelog.dstl.dfs.base-path").as_deref(),
            Some("s3://b/changelog")
        );
        let old = low_latency("1.18", Some(MemorySize::gibibytes(2)));
        assert_eq!(
            value(&old, "state.backend.changelog.enabled").as_deref(),
            Some("true")
        );
        assert_eq!(
            value(&old, "dstl.dfs.base-path").as_deref(),
            Some("s3://b/changelog")
        );
    }

    /// The changelog for `edit` of the case-3 job (low latency, exactly-once sinks, the heap backend, unknown state)
    /// at `interval`, with the layout the advisor planned for the unedited job.
    fn changelog_for(
        interval: Duration,
        edit: impl FnOnce(&mut JobProfile, &mut Layout),
    ) -> Vec<Setting> {
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let mut profile = embedded_profile("low-latency").unwrap();
        profile.latency_target = Some(Duration::from_millis(100));
        profile.checkpoint_dir = Some("s3://b/ckpt".into());
        profile.state_size = None;
        rule_on_edited_plan(&host, profile, edit, |input, layout, parallelism| {
            settings(input, layout, parallelism, Some(interval))
        })
    }

    /// Each condition alone keeps full snapshots: a batch job, sinks that are not exactly-once, a backend other than
    /// the heap, an interval past SHORT_INTERVAL, no state.
    #[test]
    fn every_condition_for_the_changelog_must_hold_on_its_own() {
        let short = Duration::from_millis(100);
        assert_eq!(changelog_for(short, |_, _| {}).len(), 3);
        assert!(changelog_for(short, |p, _| p.runtime = Runtime::Batch).is_empty());
        assert!(changelog_for(short, |p, _| p.exactly_once_sinks = false).is_empty());
        assert!(changelog_for(short, |_, layout| layout.backend = None).is_empty());
        assert!(
            changelog_for(short, |p, _| p.state_size = Some(MemorySize::from_bytes(0))).is_empty()
        );
        // SHORT_INTERVAL itself is short; a millisecond more is not.
        assert_eq!(changelog_for(SHORT_INTERVAL, |_, _| {}).len(), 3);
        let longer = SHORT_INTERVAL + Duration::from_millis(1);
        assert!(changelog_for(longer, |_, _| {}).is_empty());
    }

    /// A full snapshot that takes more than a tenth of the interval, though less than the interval, gets the
    /// changelog: 5 MiB at 100 MiB/s uploads in 50 ms, half a 100 ms interval.
    #[test]
    fn a_full_snapshot_over_a_tenth_of_the_interval_gets_the_changelog() {
        let changelog = changelog_for(Duration::from_millis(100), |p, _| {
            p.state_size = Some(MemorySize::mebibytes(5));
            p.upload_bandwidth = MemorySize::mebibytes(100);
        });
        assert_eq!(changelog.len(), 3);
        assert!(
            changelog[0].why.contains(
                "a full snapshot of 5 MiB per TaskManager at 100 MiB/s uploads for about 50 ms"
            ),
            "{}",
            changelog[0].why
        );
    }

    #[test]
    fn tiny_state_keeps_full_snapshots() {
        // 1 MiB per TaskManager uploads in about 10 ms at 100 MiB/s, a tenth of a 100 ms interval.
        let advice = low_latency("2.3", Some(MemorySize::from_bytes(512 << 10)));
        assert_eq!(value(&advice, "state.changelog.enabled"), None);
    }
}
