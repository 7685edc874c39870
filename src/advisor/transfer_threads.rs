//! RocksDB checkpoint transfer threads for large state. Every stateful subtask uploads its new SST files at a
//! checkpoint and downloads them at a restore with `state.backend.rocksdb.checkpoint.transfer.thread.num` threads
//! (`RocksDBOptions`, default 4; `RocksDBStateUploader` / `RocksDBStateDownloader`). Object stores serve each stream
//! at a fraction of a machine's bandwidth and scale by parallel requests (AWS, "Best practices design patterns:
//! optimizing Amazon S3 performance"), so a TaskManager with few slots and much state may not reach the bandwidth
//! the checkpoint and restore estimates assume with the default.
//!
//! threads per subtask = ceil(max(upload, download bandwidth) / PER_STREAM / slots per TaskManager), within
//! [Flink's default, MAX_THREADS]; written for RocksDB with at least LARGE_STATE per TaskManager when it is above
//! the default (with many slots the default already fills the bandwidth).

use crate::flink::MemorySize;
use crate::flink::job_options::{ROCKSDB_DEFAULT_TRANSFER_THREADS, StateBackendKind, state};
use crate::profile::Runtime;
use crate::text::units::show;

use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

/// What one object-store stream delivers, conservatively: AWS quotes about 85-90 MB/s per S3 connection for large
/// objects; SST files of tens of MiB with per-request latency see less.
pub(crate) const PER_STREAM: MemorySize = MemorySize::mebibytes(25);
/// State per TaskManager from which the transfer time is worth tuning (a restore of it takes about a minute at the
/// default 200 MiB/s download bandwidth).
pub(crate) const LARGE_STATE: MemorySize = MemorySize::gibibytes(10);
/// More threads per subtask than this only queue on the TaskManager's network.
pub(crate) const MAX_THREADS: u32 = 16;

pub(crate) fn settings(input: &AdviceInput, layout: &Layout, parallelism: u32) -> Vec<Setting> {
    let profile = input.profile;
    if profile.runtime != Runtime::Streaming
        || layout.backend.as_ref().map(|choice| choice.kind) != Some(StateBackendKind::RocksDb)
        || profile.state_size.is_none()
    {
        return Vec::new();
    }
    let state_per_taskmanager =
        super::checkpoint_budget::state_per_occupied_taskmanager(profile, layout, parallelism);
    if state_per_taskmanager < LARGE_STATE {
        return Vec::new();
    }
    let bandwidth = profile.upload_bandwidth.max(profile.download_bandwidth);
    let slots = layout.slots_per_taskmanager.max(1);
    let threads = threads_per_subtask(bandwidth, slots);
    if threads <= ROCKSDB_DEFAULT_TRANSFER_THREADS {
        // Flink's default already fills the bandwidth over this many slots: nothing to write.
        return Vec::new();
    }
    vec![
        Setting::new(
            Group::State,
            state::ROCKSDB_TRANSFER_THREADS.for_version(input.version),
            SettingValue::Integer(i64::from(threads)),
            format!(
                "{} of RocksDB state per TaskManager moves at {}/s at each restore and full checkpoint; at about {}/s \
                 per object-store stream that takes {} parallel streams, {} per subtask over {} slots (Flink's \
                 default {})",
                show(state_per_taskmanager),
                show(bandwidth),
                show(PER_STREAM),
                bandwidth.bytes().div_ceil(PER_STREAM.bytes()),
                threads,
                slots,
                ROCKSDB_DEFAULT_TRANSFER_THREADS
            ),
        )
        .from_inputs([
            Input::new("state per TaskManager", show(state_per_taskmanager)),
            Input::new("profile.upload-bandwidth", show(profile.upload_bandwidth)),
            Input::new("profile.download-bandwidth", show(profile.download_bandwidth)),
        ]),
    ]
}

/// The threads each subtask needs so that the TaskManager's subtasks together fill `bandwidth`.
pub(crate) fn threads_per_subtask(bandwidth: MemorySize, slots: u32) -> u32 {
    let streams = bandwidth.bytes().div_ceil(PER_STREAM.bytes().max(1));
    let per_subtask = streams.div_ceil(u64::from(slots.max(1)));
    u32::try_from(per_subtask)
        .unwrap_or(MAX_THREADS)
        .clamp(ROCKSDB_DEFAULT_TRANSFER_THREADS, MAX_THREADS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::HostSpec;
    use crate::advisor::test_support::{advise, rule_on_edited_plan, value};
    use crate::host::DiskKind;
    use crate::profile::JobProfile;
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn threads_fill_the_bandwidth_within_bounds() {
        let mib = MemorySize::mebibytes;
        assert_eq!(threads_per_subtask(mib(200), 1), 8);
        assert_eq!(threads_per_subtask(mib(200), 2), 4);
        assert_eq!(threads_per_subtask(mib(200), 8), 4);
        assert_eq!(threads_per_subtask(mib(1000), 1), 16);
        assert_eq!(threads_per_subtask(mib(300), 2), 6);
        assert_eq!(threads_per_subtask(MemorySize::ZERO, 0), 4);
    }

    /// The settings for `edit` of a large-state job with 40 GiB in RocksDB on one 2-core host downloading at
    /// 400 MiB/s, with the layout the advisor planned for the unedited job (one TaskManager, two slots).
    fn threads_for(edit: impl FnOnce(&mut JobProfile, &mut Layout)) -> Vec<Setting> {
        let host = HostSpec::planned(2.0, MemorySize::gibibytes(64), DiskKind::Ssd);
        let mut profile = embedded_profile("large-state").unwrap();
        profile.checkpoint_dir = Some("s3://b/ckpt".into());
        profile.state_size = Some(MemorySize::gibibytes(40));
        profile.download_bandwidth = MemorySize::mebibytes(400);
        rule_on_edited_plan(
            &host,
            profile,
            |profile, layout| {
                // The job the conditions are varied from: one TaskManager of two slots.
                assert_eq!(
                    (layout.total_taskmanagers(), layout.slots_per_taskmanager),
                    (1, 2)
                );
                edit(profile, layout);
            },
            settings,
        )
    }

    /// A batch job, a backend other than RocksDB, or an unknown state size each keep Flink's default alone; state of
    /// exactly LARGE_STATE per TaskManager is large.
    #[test]
    fn each_condition_for_more_threads_decides_alone() {
        let threads = threads_for(|_, _| {});
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0].value.to_string(), "8");
        assert!(threads_for(|p, _| p.runtime = Runtime::Batch).is_empty());
        assert!(
            threads_for(|_, layout| {
                layout.backend.as_mut().unwrap().kind = StateBackendKind::HashMap;
            })
            .is_empty()
        );
        assert!(threads_for(|p, _| p.state_size = None).is_empty());
        let at_the_bound = threads_for(|p, _| p.state_size = Some(LARGE_STATE));
        assert_eq!(at_the_bound.len(), 1);
        assert!(
            at_the_bound[0]
                .why
                .starts_with("10 GiB of RocksDB state per TaskManager"),
            "{}",
            at_the_bound[0].why
        );
        let below = MemorySize::from_bytes(LARGE_STATE.bytes() - 1);
        assert!(threads_for(|p, _| p.state_size = Some(below)).is_empty());
    }

    #[test]
    fn only_large_rocksdb_state_on_few_slots_gets_them() {
        let key = "state.backend.rocksdb.checkpoint.transfer.thread.num";
        let few_slots = advise(2.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = Some(MemorySize::gibibytes(40));
            p.download_bandwidth = MemorySize::mebibytes(400);
        })
        .unwrap();
        let threads: u32 = value(&few_slots, key)
            .unwrap_or_else(|| panic!("{:#?}", few_slots.layout))
            .parse()
            .unwrap();
        assert!(threads > 4, "{threads}");
        let many_slots = advise(32.0, 256, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = Some(MemorySize::gibibytes(400));
        })
        .unwrap();
        assert_eq!(
            value(&many_slots, key),
            None,
            "the default fills 200 MiB/s over many slots"
        );
        let small = advise(2.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
            p.state_size = Some(MemorySize::gibibytes(1));
        })
        .unwrap();
        assert_eq!(value(&small, key), None);
    }
}
