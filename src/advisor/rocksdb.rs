//! RocksDB options (Flink docs: "Tuning RocksDB Memory", "Large State Tuning"; RocksDB wiki "Setup Options and Basic
//! Tuning"). Applied when the state backend is RocksDB; ForSt has its own options and keeps Flink's defaults.

use crate::flink::job_options::{
    ROCKSDB_DEFAULT_HIGH_PRIORITY_POOL_RATIO, ROCKSDB_DEFAULT_THREADS,
    ROCKSDB_DEFAULT_WRITE_BUFFER_RATIO, RocksDbPredefinedOptions, StateBackendKind,
    TIMER_SERVICE_ROCKSDB, state,
};
use crate::host::DiskKind;

use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};
use crate::text::units::{cores, show};

/// Background flush and compaction threads per RocksDB instance: Flink's default 2, up to 4 when a slot has the
/// cores for them (compaction competes with the task for the slot's CPU).
pub(crate) const MAX_THREADS: u32 = 4;
/// State this many times the managed memory is "far larger than memory": most reads miss the block cache.
pub(crate) const FAR_LARGER_RATIO: f64 = 10.0;
/// With state far larger than the cache: more cache for reads (less for write buffers), and a larger
/// high-priority pool to keep index and filter blocks cached (Flink docs, `memory.partitioned-index-filters`).
pub(crate) const LARGE_STATE_WRITE_BUFFER_RATIO: f64 = 0.4;
pub(crate) const LARGE_STATE_HIGH_PRIORITY_POOL_RATIO: f64 = 0.2;
/// Spinning disks get the high-memory variant when a slot has at least this much managed memory.
pub(crate) const HIGH_MEM_PER_SLOT: crate::flink::MemorySize =
    crate::flink::MemorySize::gibibytes(1);

pub(crate) fn settings(input: &AdviceInput, layout: &Layout) -> Vec<Setting> {
    let Some(choice) = &layout.backend else {
        return Vec::new();
    };
    if choice.kind != StateBackendKind::RocksDb {
        return Vec::new();
    }
    let slots = layout.slots_per_taskmanager.max(1);
    let managed_per_slot =
        crate::flink::MemorySize::from_bytes(layout.managed.bytes() / u64::from(slots));
    let disk = &input.host.disk;
    let (predefined, why_predefined) = match disk.value {
        DiskKind::Ssd => (
            RocksDbPredefinedOptions::FlashSsdOptimized,
            "local state on SSD: RocksDB's flash profile".to_string(),
        ),
        DiskKind::Hdd if managed_per_slot >= HIGH_MEM_PER_SLOT => (
            RocksDbPredefinedOptions::SpinningDiskOptimizedHighMem,
            format!(
                "local state on a spinning disk with {} managed memory per slot: larger blocks and buffers",
                show(managed_per_slot)
            ),
        ),
        DiskKind::Hdd => (
            RocksDbPredefinedOptions::SpinningDiskOptimized,
            "local state on a spinning disk: fewer, larger compactions".to_string(),
        ),
        DiskKind::Unknown => (
            RocksDbPredefinedOptions::Default,
            "disk kind unknown (pass --disk ssd|hdd): Flink's defaults".to_string(),
        ),
    };
    let cores_per_slot = layout.cores_per_taskmanager / f64::from(slots);
    let threads =
        ((cores_per_slot * 2.0).floor() as u32).clamp(ROCKSDB_DEFAULT_THREADS, MAX_THREADS);
    let ratio = layout.state_per_taskmanager.bytes() as f64 / layout.managed.bytes().max(1) as f64;
    let far_larger = ratio >= FAR_LARGER_RATIO;
    let state_input = || {
        Input::new(
            "state per TaskManager / managed memory",
            format!("{ratio:.1}x"),
        )
    };

    let mut settings = vec![
        Setting::new(
            Group::State,
            state::ROCKSDB_PREDEFINED_OPTIONS.for_version(input.version),
            SettingValue::Word(predefined.flink_name()),
            why_predefined,
        )
        .from_inputs([Input::new("disk", format!("{:?}", disk.value).to_lowercase())]),
        Setting::new(
            Group::State,
            state::ROCKSDB_THREADS.for_version(input.version),
            SettingValue::Integer(i64::from(threads)),
            format!(
                "cores per slot: {}, so {threads} background flush and compaction threads (Flink's default 2, at most {MAX_THREADS})",
                cores(cores_per_slot)
            ),
        ),
        Setting::new(
            Group::State,
            state::ROCKSDB_WRITE_BUFFER_RATIO.for_version(input.version),
            SettingValue::Decimal(if far_larger {
                LARGE_STATE_WRITE_BUFFER_RATIO
            } else {
                ROCKSDB_DEFAULT_WRITE_BUFFER_RATIO
            }),
            if far_larger {
                "state far larger than the cache: reads miss it, so more of managed memory goes to the block cache"
            } else {
                "Flink's default split between write buffers and block cache suits state within 10x the cache"
            },
        )
        .from_inputs([state_input()]),
        Setting::new(
            Group::State,
            state::ROCKSDB_HIGH_PRIORITY_POOL_RATIO.for_version(input.version),
            SettingValue::Decimal(if far_larger {
                LARGE_STATE_HIGH_PRIORITY_POOL_RATIO
            } else {
                ROCKSDB_DEFAULT_HIGH_PRIORITY_POOL_RATIO
            }),
            if far_larger {
                "keeps the top-level index and filter blocks of partitioned indexes cached"
            } else {
                "Flink's default share of the cache reserved for index and filter blocks"
            },
        ),
    ];
    if far_larger {
        settings.push(
            Setting::new(
                Group::State,
                state::ROCKSDB_PARTITIONED_INDEX_FILTERS.for_version(input.version),
                SettingValue::Bool(true),
                "index and filter blocks of state far larger than memory would crowd data out of the cache; \
                 partitioned, only their top level stays pinned",
            )
            .from_inputs([state_input()]),
        );
    }
    settings.push(Setting::new(
        Group::State,
        state::ROCKSDB_TIMER_SERVICE.for_version(input.version),
        SettingValue::Word(TIMER_SERVICE_ROCKSDB),
        "timers stay in RocksDB beside their state, snapshotted incrementally; heap timers would put a large \
         timer set back on the heap",
    ));
    if let Some(dir) = &input.local_state_dir {
        settings.push(Setting::new(
            Group::State,
            state::ROCKSDB_LOCAL_DIR.for_version(input.version),
            SettingValue::Text(dir.display().to_string()),
            format!(
                "the {} directory named with --state-dir",
                format!("{:?}", disk.value).to_lowercase()
            ),
        ));
    }
    settings
}

#[cfg(test)]
mod tests {
    use crate::advisor::test_support::{advise, value};
    use crate::host::DiskKind;

    fn large_state(
        cores: f64,
        memory_gib: u64,
        disk: DiskKind,
        version: &str,
    ) -> crate::advisor::Recommendation {
        advise(cores, memory_gib, "large-state", version, |h, p| {
            h.disk.value = disk;
            p.checkpoint_dir = Some("s3://b/c".into());
        })
        .unwrap()
    }

    #[test]
    fn predefined_options_follow_the_disk() {
        let option = |disk, memory| {
            value(
                &large_state(8.0, memory, disk, "2.3"),
                "state.backend.rocksdb.predefined-options",
            )
            .unwrap()
        };
        assert_eq!(option(DiskKind::Ssd, 32), "FLASH_SSD_OPTIMIZED");
        assert_eq!(
            option(DiskKind::Hdd, 32),
            "SPINNING_DISK_OPTIMIZED_HIGH_MEM"
        );
        assert_eq!(option(DiskKind::Hdd, 8), "SPINNING_DISK_OPTIMIZED");
        assert_eq!(option(DiskKind::Unknown, 32), "DEFAULT");
    }

    #[test]
    fn threads_and_cache_split_follow_cores_and_state() {
        let advice = large_state(8.0, 32, DiskKind::Ssd, "2.3");
        assert_eq!(
            value(&advice, "state.backend.rocksdb.thread.num").as_deref(),
            Some("2")
        );
        assert_eq!(
            value(
                &advice,
                "state.backend.rocksdb.memory.partitioned-index-filters"
            )
            .as_deref(),
            Some("true")
        );
        assert_eq!(
            value(&advice, "state.backend.rocksdb.memory.write-buffer-ratio").as_deref(),
            Some("0.4")
        );
        // State within 10x the cache keeps Flink's split and whole indexes.
        let moderate = advise(8.0, 32, "balanced", "2.3", |_, p| {
            p.state_backend = crate::profile::BackendChoice::RocksDb;
            p.workload = crate::profile::Workload::Cpu;
        })
        .unwrap();
        assert_eq!(
            value(&moderate, "state.backend.rocksdb.memory.write-buffer-ratio").as_deref(),
            Some("0.5")
        );
        assert_eq!(
            value(
                &moderate,
                "state.backend.rocksdb.memory.partitioned-index-filters"
            ),
            None
        );
        assert_eq!(
            value(&moderate, "execution.checkpointing.incremental").as_deref(),
            Some("true")
        );
        let wide = advise(8.0, 32, "balanced", "2.3", |h, p| {
            p.state_backend = crate::profile::BackendChoice::RocksDb;
            h.cpu_limit = Some(crate::host::Fact::new(
                16.0,
                crate::host::Source::Flag("--cores"),
            ));
            h.logical_cores = crate::host::Fact::new(16, crate::host::Source::Flag("--cores"));
            p.workload = crate::profile::Workload::Io;
        })
        .unwrap();
        assert_eq!(
            value(&wide, "state.backend.rocksdb.thread.num").as_deref(),
            Some("2")
        );
        // Memory-bound slots leave a slot several cores: up to four threads (two hosts: the JobManager runs
        // elsewhere).
        let roomy = advise(8.0, 3, "balanced", "2.3", |h, p| {
            h.hosts = 2;
            p.state_backend = crate::profile::BackendChoice::RocksDb
        })
        .unwrap();
        assert!(
            roomy.layout.slots_per_taskmanager <= 4,
            "{}",
            roomy.layout.slots_per_taskmanager
        );
        assert_eq!(
            value(&roomy, "state.backend.rocksdb.thread.num").as_deref(),
            Some("4")
        );
    }

    #[test]
    fn incremental_key_is_spelled_per_release() {
        let old = large_state(8.0, 32, DiskKind::Ssd, "1.19");
        assert_eq!(
            value(&old, "state.backend.incremental").as_deref(),
            Some("true")
        );
        assert_eq!(
            value(&old, "state.backend.type").as_deref(),
            Some("rocksdb")
        );
        let new = large_state(8.0, 32, DiskKind::Ssd, "1.20");
        assert_eq!(
            value(&new, "execution.checkpointing.incremental").as_deref(),
            Some("true")
        );
    }

    /// Worked examples added for issue 15 (docs/mutants.md).
    mod worked_examples {
        use super::*;
        use crate::flink::MemorySize;

        #[test]
        fn state_ten_times_the_managed_memory_is_far_larger_than_the_cache() {
            // The large-state layout with 2 GiB of managed memory per TaskManager: 20 GiB of state is 10x, one byte less
            // is not.
            let advice = large_state(8.0, 32, DiskKind::Ssd, "2.3");
            let host =
                crate::host::HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
            let profile = crate::profile::embedded::embedded_profile("large-state").unwrap();
            let input = crate::advisor::test_support::input(
                &host,
                &profile,
                "2.3".parse().unwrap(),
                crate::advisor::Pins::default(),
            );
            let split = |state: MemorySize| {
                let mut layout = advice.layout.clone();
                layout.managed = MemorySize::gibibytes(2);
                layout.state_per_taskmanager = state;
                crate::advisor::rocksdb::settings(&input, &layout)
                    .into_iter()
                    .filter(|s| s.key.contains(".memory."))
                    .map(|s| (s.key.to_string(), s.value.to_string()))
                    .collect::<Vec<_>>()
            };
            let pairs = |pairs: &[(&str, &str)]| {
                pairs
                    .iter()
                    .map(|(key, value)| (key.to_string(), value.to_string()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                split(MemorySize::gibibytes(20)),
                pairs(&[
                    ("state.backend.rocksdb.memory.write-buffer-ratio", "0.4"),
                    ("state.backend.rocksdb.memory.high-prio-pool-ratio", "0.2"),
                    (
                        "state.backend.rocksdb.memory.partitioned-index-filters",
                        "true"
                    ),
                ])
            );
            assert_eq!(
                split(MemorySize::from_bytes((20 << 30) - 1)),
                pairs(&[
                    ("state.backend.rocksdb.memory.write-buffer-ratio", "0.5"),
                    ("state.backend.rocksdb.memory.high-prio-pool-ratio", "0.1"),
                ])
            );
        }
    }
}
