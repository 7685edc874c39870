//! Each invariant at its boundaries. The sweep (sweep_tests.rs) shows that `recommend` and `check` agree over random
//! inputs, which rarely land on a rule's edge; these pin where each rule starts to fire, which level and key it
//! reports and the figures its message shows, so that a changed comparison or formula fails a test (issue 15,
//! docs/mutants.md). Deployments are built field by field, so that each test sets only what its rule reads.

use std::time::Duration;

use crate::advisor::estimate::checkpoint_duration::{SnapshotKind, checkpoint_duration};
use crate::advisor::estimate::restore_time::RESCHEDULE;
use crate::flink::config::{Configuration, Origin, Value};
use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{
    CHECKPOINT_DEFAULT_TIMEOUT, JOBMANAGER_STORAGE_MAX_STATE, StateBackendKind, checkpointing,
    cluster, state,
};
use crate::flink::memory::{JobManagerMemory, TaskManagerMemory};
use crate::flink::options::taskmanager as tm;
use crate::flink::{FlinkVersion, MemorySize};
use crate::host::{DiskKind, HostSpec};
use crate::profile::{Deployment as ProfileDeployment, JobProfile, Purpose};

use super::deployment::{Checkpointing, jobmanager_shares_host};
use super::{Deployment, Level, Violation, evaluate};

const VERSION: FlinkVersion = FlinkVersion::line(2, 3);

fn mib(mebibytes: u64) -> MemorySize {
    MemorySize::mebibytes(mebibytes)
}

fn gib(gibibytes: u64) -> MemorySize {
    MemorySize::gibibytes(gibibytes)
}

/// One byte more than `size`.
fn above(size: MemorySize) -> MemorySize {
    MemorySize::from_bytes(size.bytes() + 1)
}

/// One byte less than `size`.
fn below(size: MemorySize) -> MemorySize {
    MemorySize::from_bytes(size.bytes() - 1)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A streaming deployment with the heap backend and nothing else known.
fn bare() -> Deployment {
    Deployment {
        version: VERSION,
        taskmanager: None,
        jobmanager: None,
        slots: 1,
        heap_pinned: false,
        network_min_set: false,
        network_max_set: false,
        parallelism: None,
        max_parallelism: None,
        backend: StateBackendKind::HashMap,
        streaming: true,
        checkpointing: None,
        local_recovery: false,
        taskmanager_collectors: Vec::new(),
        host: None,
        profile: None,
    }
}

/// A TaskManager of `task_heap` and 1 GiB of network memory, every other component zero.
fn taskmanager(task_heap: MemorySize) -> TaskManagerMemory {
    TaskManagerMemory {
        framework_heap: MemorySize::ZERO,
        task_heap,
        managed: MemorySize::ZERO,
        framework_off_heap: MemorySize::ZERO,
        task_off_heap: MemorySize::ZERO,
        network: gib(1),
        jvm_metaspace: MemorySize::ZERO,
        jvm_overhead: MemorySize::ZERO,
        total_flink: MemorySize::ZERO,
        total_process: MemorySize::ZERO,
        cpu_cores: 1.0,
        slots: 1,
        notes: Vec::new(),
    }
}

fn jobmanager(total_process: MemorySize) -> JobManagerMemory {
    JobManagerMemory {
        jvm_heap: MemorySize::ZERO,
        off_heap: MemorySize::ZERO,
        jvm_metaspace: MemorySize::ZERO,
        jvm_overhead: MemorySize::ZERO,
        total_flink: MemorySize::ZERO,
        total_process,
        direct_memory_limited: false,
        notes: Vec::new(),
    }
}

/// The balanced profile with `state`, 100 MiB/s up and down, 10% of the state changed per checkpoint.
fn profile(state: Option<MemorySize>) -> JobProfile {
    let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
    profile.state_size = state;
    profile.upload_bandwidth = mib(100);
    profile.download_bandwidth = mib(100);
    profile.state_change_percent = 10;
    profile
}

/// IDs and levels, in order.
fn found(violations: &[Violation]) -> Vec<(&'static str, Level)> {
    violations
        .iter()
        .map(|violation| (violation.id, violation.level))
        .collect()
}

// FT-PAR-001, FT-PAR-002.

fn parallelism(parallelism: Option<u32>, max: Option<u32>) -> Vec<Violation> {
    let mut deployment = bare();
    deployment.parallelism = parallelism;
    deployment.max_parallelism = max;
    super::parallelism::violations(&deployment)
}

#[test]
fn a_max_parallelism_past_flinks_bound_is_an_error_and_the_bound_itself_is_not() {
    assert!(parallelism(None, Some(32_768)).is_empty());
    let past = parallelism(None, Some(32_769));
    assert_eq!(found(&past), [("FT-PAR-001", Level::Error)]);
    assert_eq!(
        past[0].key,
        Some(cluster::MAX_PARALLELISM.for_version(VERSION))
    );
}

#[test]
fn a_parallelism_past_flinks_bound_is_the_only_error_reported() {
    assert!(parallelism(Some(32_768), Some(32_768)).is_empty());
    // Past the bound, the max parallelism below it is not reported as well.
    let past = parallelism(Some(32_769), Some(4));
    assert_eq!(found(&past), [("FT-PAR-001", Level::Error)]);
    assert_eq!(
        past[0].key,
        Some(cluster::PARALLELISM_DEFAULT.for_version(VERSION))
    );
    assert!(past[0].message.contains("Flink's bound"), "{past:?}");
}

#[test]
fn a_parallelism_above_the_max_parallelism_is_an_error_in_streaming_only() {
    assert_eq!(
        found(&parallelism(Some(5), Some(4))),
        [("FT-PAR-001", Level::Error)]
    );
    assert!(parallelism(Some(4), Some(4)).is_empty());
    // A max parallelism of 0 is not one.
    assert!(parallelism(Some(5), Some(0)).is_empty());
    let mut batch = bare();
    batch.streaming = false;
    batch.parallelism = Some(5);
    batch.max_parallelism = Some(4);
    assert!(super::parallelism::violations(&batch).is_empty());
}

#[test]
fn key_groups_split_at_most_ten_percent_apart() {
    // 101 key groups over 10 subtasks: 11 and 10, exactly 10% apart.
    assert!(parallelism(Some(10), Some(101)).is_empty());
    // 91 over 10: 10 and 9, 11% apart.
    let skewed = parallelism(Some(10), Some(91));
    assert_eq!(found(&skewed), [("FT-PAR-002", Level::Warning)]);
    assert_eq!(
        skewed[0].key,
        Some(cluster::MAX_PARALLELISM.for_version(VERSION))
    );
    assert!(
        skewed[0].message.contains("some carry 10, others 9"),
        "{skewed:?}"
    );
    assert!(parallelism(Some(64), Some(128)).is_empty());
    assert_eq!(
        found(&parallelism(Some(100), Some(128))),
        [("FT-PAR-002", Level::Warning)]
    );
}

// FT-NET-001, FT-NET-002.

fn network(slots: u32, parallelism: Option<u32>, network: MemorySize) -> Deployment {
    let mut memory = taskmanager(gib(1));
    memory.network = network;
    let mut deployment = bare();
    deployment.taskmanager = Some(memory);
    deployment.slots = slots;
    deployment.parallelism = parallelism;
    deployment
}

#[test]
fn network_memory_covers_the_buffers_of_the_slots_the_parallelism_fills() {
    // Parallelism 2 on 4 slots fills 2: 2 shuffles each of (2 x 2 + 8) + (2 + 1) = 15 buffers of 32 KiB.
    let needed = MemorySize::from_bytes(2 * 2 * 15 * 32 * 1024);
    assert!(super::network::violations(&network(4, Some(2), needed)).is_empty());
    let short = super::network::violations(&network(4, Some(2), below(needed)));
    assert_eq!(found(&short), [("FT-NET-001", Level::Error)]);
    assert_eq!(short[0].key, Some(tm::NETWORK_MEMORY_MAX.key));
    assert!(
        short[0]
            .message
            .starts_with("2 slots exchanging data among 2 subtasks"),
        "{short:?}"
    );
    // Parallelism 100 fills all 4: 4 x 2 x ((100 x 2 + 8) + (100 + 1)) buffers.
    let needed = MemorySize::from_bytes(4 * 2 * 309 * 32 * 1024);
    assert!(super::network::violations(&network(4, Some(100), needed)).is_empty());
    assert_eq!(
        found(&super::network::violations(&network(
            4,
            Some(100),
            below(needed)
        ))),
        [("FT-NET-001", Level::Error)]
    );
    // Without a parallelism, or in batch, no shuffle is judged.
    assert!(super::network::violations(&network(4, None, MemorySize::ZERO)).is_empty());
    let mut batch = network(4, Some(100), MemorySize::ZERO);
    batch.streaming = false;
    assert!(super::network::violations(&batch).is_empty());
}

#[test]
fn network_min_or_max_alone_is_a_warning_about_the_one_set() {
    let mut deployment = network(1, None, gib(1));
    deployment.network_min_set = true;
    let min_only = super::network::violations(&deployment);
    assert_eq!(found(&min_only), [("FT-NET-002", Level::Warning)]);
    assert_eq!(min_only[0].key, Some(tm::NETWORK_MEMORY_MIN.key));
    deployment.network_max_set = true;
    assert!(super::network::violations(&deployment).is_empty());
    deployment.network_min_set = false;
    let max_only = super::network::violations(&deployment);
    assert_eq!(found(&max_only), [("FT-NET-002", Level::Warning)]);
    assert_eq!(max_only[0].key, Some(tm::NETWORK_MEMORY_MAX.key));
}

// FT-STA-001, FT-STA-002.

/// One TaskManager (no parallelism: one TaskManager's slots) with `task_heap` and `state` on the heap backend.
fn heap_state(task_heap: MemorySize, state: MemorySize) -> Deployment {
    let mut deployment = bare();
    deployment.taskmanager = Some(taskmanager(task_heap));
    deployment.profile = Some(profile(Some(state)));
    deployment
}

#[test]
fn heap_state_as_objects_warns_past_half_the_task_heap_and_fails_past_all_of_it() {
    // Three times the state as objects on a 3 GiB task heap: 512 MiB is exactly half, 1 GiB all of it.
    let heap = gib(3);
    assert!(super::state::violations(&heap_state(heap, mib(512))).is_empty());
    let over_half = super::state::violations(&heap_state(heap, above(mib(512))));
    assert_eq!(found(&over_half), [("FT-STA-001", Level::Warning)]);
    assert!(
        over_half[0].message.contains("over half of"),
        "{over_half:?}"
    );
    assert_eq!(over_half[0].key, Some(state::BACKEND.for_version(VERSION)));
    let all = super::state::violations(&heap_state(heap, gib(1)));
    assert_eq!(found(&all), [("FT-STA-001", Level::Warning)]);
    let past = super::state::violations(&heap_state(heap, above(gib(1))));
    assert_eq!(found(&past), [("FT-STA-001", Level::Error)]);
    assert!(past[0].message.contains("more than"), "{past:?}");
    // Off the heap, or in batch, the heap is not judged.
    let mut rocksdb = heap_state(heap, gib(4));
    rocksdb.backend = StateBackendKind::RocksDb;
    assert!(super::state::violations(&rocksdb).is_empty());
    let mut batch = heap_state(heap, gib(4));
    batch.streaming = false;
    assert!(super::state::violations(&batch).is_empty());
}

#[test]
fn fifty_gib_of_declared_state_on_the_heap_backend_is_a_warning() {
    let mut deployment = bare();
    deployment.profile = Some(profile(Some(gib(50))));
    assert_eq!(
        found(&super::state::violations(&deployment)),
        [("FT-STA-002", Level::Warning)]
    );
    deployment.profile = Some(profile(Some(below(gib(50)))));
    assert!(super::state::violations(&deployment).is_empty());
}

// FT-CKP-001 to FT-CKP-004.

fn checkpointed(interval: Duration) -> Checkpointing {
    Checkpointing {
        interval,
        timeout: CHECKPOINT_DEFAULT_TIMEOUT,
        min_pause: Duration::ZERO,
        tolerated_failures: 0,
        directory: Some("s3://bucket/checkpoints".into()),
        in_jobmanager: false,
        incremental: false,
        changelog: false,
    }
}

fn with_checkpoints(checkpoints: Checkpointing, state: Option<MemorySize>) -> Deployment {
    let mut deployment = bare();
    deployment.checkpointing = Some(checkpoints);
    deployment.profile = Some(profile(state));
    deployment
}

#[test]
fn an_interval_under_ten_milliseconds_is_an_error_in_streaming() {
    let under = super::checkpoints::violations(&with_checkpoints(checkpointed(ms(9)), None));
    assert_eq!(found(&under), [("FT-CKP-001", Level::Error)]);
    assert_eq!(
        under[0].key,
        Some(checkpointing::INTERVAL.for_version(VERSION))
    );
    assert!(
        super::checkpoints::violations(&with_checkpoints(checkpointed(ms(10)), None)).is_empty()
    );
    let mut batch = with_checkpoints(checkpointed(ms(9)), None);
    batch.streaming = false;
    assert!(super::checkpoints::violations(&batch).is_empty());
}

#[test]
fn the_snapshot_kind_is_changelog_then_incremental_off_the_heap_then_full() {
    let kind = |deployment: &Deployment| {
        let checkpoints = deployment.checkpointing.as_ref().unwrap();
        super::checkpoints::load(deployment, checkpoints).map(|load| load.kind)
    };
    let mut deployment = with_checkpoints(checkpointed(ms(60_000)), Some(gib(1)));
    let load =
        super::checkpoints::load(&deployment, deployment.checkpointing.as_ref().unwrap()).unwrap();
    assert_eq!(load.state_per_taskmanager, gib(1));
    assert_eq!(load.change_percent, 10);
    assert_eq!(load.upload_per_second, mib(100));
    assert_eq!(kind(&deployment), Some(SnapshotKind::Full));
    // Incremental checkpoints need state off the heap.
    deployment.checkpointing.as_mut().unwrap().incremental = true;
    assert_eq!(kind(&deployment), Some(SnapshotKind::Full));
    deployment.backend = StateBackendKind::RocksDb;
    assert_eq!(kind(&deployment), Some(SnapshotKind::Incremental));
    deployment.checkpointing.as_mut().unwrap().changelog = true;
    assert_eq!(kind(&deployment), Some(SnapshotKind::Changelog));
    deployment.profile = Some(profile(None));
    assert_eq!(kind(&deployment), None);
}

#[test]
fn a_checkpoint_longer_than_the_interval_warns_and_longer_than_the_timeout_fails() {
    // 1 GiB in full at 100 MiB/s: 200 ms and 10,240 ms, shown as 11 s (rounded up to a second).
    let steady = ms(10_440);
    let mut deployment = with_checkpoints(checkpointed(steady), Some(gib(1)));
    deployment.checkpointing.as_mut().unwrap().timeout = steady;
    let load =
        super::checkpoints::load(&deployment, deployment.checkpointing.as_ref().unwrap()).unwrap();
    assert_eq!(checkpoint_duration(&load), steady);
    assert!(super::checkpoints::violations(&deployment).is_empty());

    deployment.checkpointing.as_mut().unwrap().interval = ms(10_439);
    let late = super::checkpoints::violations(&deployment);
    assert_eq!(found(&late), [("FT-CKP-002", Level::Warning)]);
    assert_eq!(
        late[0].key,
        Some(checkpointing::INTERVAL.for_version(VERSION))
    );
    assert!(late[0].message.contains("estimated at 11 s"), "{late:?}");

    deployment.checkpointing.as_mut().unwrap().interval = steady;
    deployment.checkpointing.as_mut().unwrap().timeout = ms(10_439);
    let never = super::checkpoints::violations(&deployment);
    assert_eq!(found(&never), [("FT-CKP-003", Level::Error)]);
    assert_eq!(
        never[0].key,
        Some(checkpointing::TIMEOUT.for_version(VERSION))
    );
    assert!(never[0].message.contains("estimated at 11 s"), "{never:?}");
}

#[test]
fn a_checkpoint_is_shown_in_milliseconds_under_a_second_and_whole_seconds_stay_whole() {
    // 10 MiB in full at 100 MiB/s: 200 ms and 100 ms, shown as they are; 180 MiB: 200 ms and 1,800 ms, exactly 2 s.
    let shown = |state: MemorySize, steady: Duration| {
        let deployment = with_checkpoints(checkpointed(ms(100)), Some(state));
        let load =
            super::checkpoints::load(&deployment, deployment.checkpointing.as_ref().unwrap())
                .unwrap();
        assert_eq!(checkpoint_duration(&load), steady);
        let late = super::checkpoints::violations(&deployment);
        assert_eq!(found(&late), [("FT-CKP-002", Level::Warning)]);
        late[0].message.clone()
    };
    let short = shown(mib(10), ms(300));
    let expected = format!("estimated at {} (", FlinkDuration(ms(300)));
    assert!(short.contains(&expected), "{short}");
    let whole = shown(mib(180), ms(2_000));
    assert!(whole.contains("estimated at 2 s ("), "{whole}");
}

#[test]
fn checkpoints_in_the_jobmanagers_heap_hold_at_most_its_limit() {
    let mut in_jobmanager = checkpointed(ms(60_000));
    in_jobmanager.in_jobmanager = true;
    let at_limit = with_checkpoints(in_jobmanager.clone(), Some(JOBMANAGER_STORAGE_MAX_STATE));
    assert!(super::checkpoints::violations(&at_limit).is_empty());
    let past = super::checkpoints::violations(&with_checkpoints(
        in_jobmanager,
        Some(above(JOBMANAGER_STORAGE_MAX_STATE)),
    ));
    assert_eq!(found(&past), [("FT-CKP-004", Level::Error)]);
    assert_eq!(
        past[0].key,
        Some(state::CHECKPOINT_DIR.for_version(VERSION))
    );
    let on_a_file_system = with_checkpoints(
        checkpointed(ms(60_000)),
        Some(above(JOBMANAGER_STORAGE_MAX_STATE)),
    );
    assert!(super::checkpoints::violations(&on_a_file_system).is_empty());
}

// FT-MEM-001 to FT-MEM-004.

fn with_taskmanager(memory: TaskManagerMemory, slots: u32) -> Deployment {
    let mut deployment = bare();
    deployment.taskmanager = Some(memory);
    deployment.slots = slots;
    deployment
}

#[test]
fn every_slot_keeps_128_mib_of_task_heap() {
    assert!(super::memory::violations(&with_taskmanager(taskmanager(mib(512)), 4)).is_empty());
    let short = super::memory::violations(&with_taskmanager(taskmanager(below(mib(512))), 4));
    assert_eq!(found(&short), [("FT-MEM-001", Level::Error)]);
    assert!(short[0].message.starts_with("each of 4 slots"), "{short:?}");
}

#[test]
fn rocksdb_and_forst_get_64_mib_of_managed_memory_per_slot() {
    let off_heap = |managed: MemorySize, backend: StateBackendKind| {
        let mut memory = taskmanager(gib(1));
        memory.managed = managed;
        let mut deployment = with_taskmanager(memory, 2);
        deployment.backend = backend;
        super::memory::violations(&deployment)
    };
    assert!(off_heap(mib(128), StateBackendKind::RocksDb).is_empty());
    assert_eq!(
        found(&off_heap(below(mib(128)), StateBackendKind::RocksDb)),
        [("FT-MEM-002", Level::Warning)]
    );
    assert_eq!(
        found(&off_heap(MemorySize::ZERO, StateBackendKind::RocksDb)),
        [("FT-MEM-002", Level::Error)]
    );
    assert_eq!(
        found(&off_heap(MemorySize::ZERO, StateBackendKind::ForSt)),
        [("FT-MEM-002", Level::Error)]
    );
    assert!(off_heap(MemorySize::ZERO, StateBackendKind::HashMap).is_empty());
    let mut batch = with_taskmanager(taskmanager(gib(1)), 2);
    batch.backend = StateBackendKind::RocksDb;
    batch.streaming = false;
    assert!(super::memory::violations(&batch).is_empty());
}

#[test]
fn a_jvm_heap_past_31_gib_warns_unless_sized_by_hand() {
    let heap = |jvm_heap: MemorySize, pinned: bool| {
        let mut memory = taskmanager(MemorySize::from_bytes(jvm_heap.bytes() - mib(128).bytes()));
        memory.framework_heap = mib(128);
        let mut deployment = with_taskmanager(memory, 1);
        deployment.heap_pinned = pinned;
        super::memory::violations(&deployment)
    };
    assert!(heap(gib(31), false).is_empty());
    assert_eq!(
        found(&heap(above(gib(31)), false)),
        [("FT-MEM-003", Level::Warning)]
    );
    assert!(heap(above(gib(31)), true).is_empty());
}

#[test]
fn the_taskmanagers_of_a_host_and_a_jobmanager_beside_them_fit_its_memory() {
    // Parallelism 2 on one slot each: two TaskManagers, on one 8 GiB host or one on each of two.
    let judged = |process: MemorySize, hosts: u32, jobmanager_on_host: bool| {
        let mut memory = taskmanager(gib(1));
        memory.total_process = process;
        let mut deployment = with_taskmanager(memory, 1);
        deployment.parallelism = Some(2);
        let mut host = HostSpec::planned(4.0, gib(8), DiskKind::Ssd);
        host.hosts = hosts;
        host.jobmanager_on_host = jobmanager_on_host;
        deployment.host = Some(host);
        deployment.jobmanager = Some(jobmanager(gib(1)));
        super::memory::violations(&deployment)
    };
    assert!(judged(gib(4), 1, false).is_empty());
    let over = judged(above(gib(4)), 1, false);
    assert_eq!(found(&over), [("FT-MEM-004", Level::Error)]);
    assert!(
        over[0].message.starts_with("2 TaskManagers of "),
        "{over:?}"
    );
    assert!(!over[0].message.contains("JobManager"), "{over:?}");
    assert!(judged(above(gib(4)), 2, false).is_empty());
    // One TaskManager per host and the 1 GiB JobManager beside it.
    assert!(judged(gib(7), 2, true).is_empty());
    let with_jobmanager = judged(above(gib(7)), 2, true);
    assert_eq!(found(&with_jobmanager), [("FT-MEM-004", Level::Error)]);
    assert!(
        with_jobmanager[0].message.starts_with("1 TaskManager of "),
        "{with_jobmanager:?}"
    );
    assert!(
        with_jobmanager[0]
            .message
            .contains(" and a 1 GiB JobManager"),
        "{with_jobmanager:?}"
    );
    assert!(judged(above(gib(7)), 2, false).is_empty());
}

// FT-RCV-001.

#[test]
fn a_recovery_past_the_objective_warns_and_offers_the_lever_not_yet_pulled() {
    let mut deployment = with_checkpoints(checkpointed(ms(60_000)), Some(gib(1)));
    let estimate = super::recovery::estimate(&deployment).unwrap();
    // Downloaded at 100 MiB/s: 10 s to reschedule and 10,240 ms for 1 GiB.
    assert_eq!(estimate.restore, ms(20_240));
    deployment.profile.as_mut().unwrap().recovery_time_objective = estimate.total;
    assert!(super::recovery::violations(&deployment).is_empty());
    deployment.profile.as_mut().unwrap().recovery_time_objective = estimate.total - ms(1);
    let late = super::recovery::violations(&deployment);
    assert_eq!(found(&late), [("FT-RCV-001", Level::Warning)]);
    assert_eq!(
        late[0].key,
        Some(checkpointing::TIMEOUT.for_version(VERSION))
    );
    let shown = FlinkDuration(Duration::from_secs(estimate.total.as_secs())).to_string();
    assert!(
        late[0]
            .message
            .starts_with(&format!("a recovery may take {shown} (")),
        "{late:?}"
    );
    assert!(
        late[0]
            .fix
            .contains(state::LOCAL_RECOVERY.for_version(VERSION)),
        "{late:?}"
    );

    // Local recovery reads at 400 MiB/s: 2,560 ms; the fix then offers more hosts.
    deployment.local_recovery = true;
    assert_eq!(
        super::recovery::estimate(&deployment).unwrap().restore,
        ms(12_560)
    );
    deployment.profile.as_mut().unwrap().recovery_time_objective = ms(1_000);
    let local = super::recovery::violations(&deployment);
    assert!(local[0].fix.contains("--hosts"), "{local:?}");
    // ForSt reads its state remotely: the reschedule alone.
    deployment.backend = StateBackendKind::ForSt;
    assert_eq!(
        super::recovery::estimate(&deployment).unwrap().restore,
        RESCHEDULE
    );
    deployment.streaming = false;
    assert!(super::recovery::violations(&deployment).is_empty());
}

// The deployment view.

#[test]
fn the_taskmanagers_used_are_the_parallelism_over_the_slots() {
    let mut deployment = bare();
    deployment.slots = 4;
    assert_eq!(deployment.taskmanagers_used(), 1);
    deployment.parallelism = Some(8);
    assert_eq!(deployment.taskmanagers_used(), 2);
    deployment.parallelism = Some(9);
    assert_eq!(deployment.taskmanagers_used(), 3);
    deployment.parallelism = Some(0);
    assert_eq!(deployment.taskmanagers_used(), 1);
    deployment.parallelism = Some(9);
    assert_eq!(deployment.state_per_taskmanager(), None);
    deployment.profile = Some(profile(Some(gib(12))));
    assert_eq!(deployment.state_per_taskmanager(), Some(gib(4)));
}

#[test]
fn state_is_off_the_heap_with_rocksdb_and_forst() {
    let mut deployment = bare();
    assert!(!deployment.state_off_heap());
    deployment.backend = StateBackendKind::RocksDb;
    assert!(deployment.state_off_heap());
    deployment.backend = StateBackendKind::ForSt;
    assert!(deployment.state_off_heap());
}

#[test]
fn the_jobmanager_shares_the_host_when_told_or_alone_with_a_standalone_or_development_cluster() {
    let mut host = HostSpec::planned(4.0, gib(8), DiskKind::Ssd);
    let mut job = profile(None);
    job.purpose = Purpose::Production;
    job.deployment = ProfileDeployment::Kubernetes;
    assert!(!jobmanager_shares_host(&host, Some(&job)));
    assert!(!jobmanager_shares_host(&host, None));
    job.deployment = ProfileDeployment::Standalone;
    assert!(jobmanager_shares_host(&host, Some(&job)));
    host.hosts = 2;
    assert!(!jobmanager_shares_host(&host, Some(&job)));
    job.deployment = ProfileDeployment::Kubernetes;
    job.purpose = Purpose::Development;
    assert!(!jobmanager_shares_host(&host, Some(&job)));
    host.hosts = 1;
    assert!(jobmanager_shares_host(&host, Some(&job)));
    host.hosts = 2;
    host.jobmanager_on_host = true;
    assert!(jobmanager_shares_host(&host, None));
}

fn configured(pairs: &[(&str, &str)]) -> Deployment {
    let mut configuration = Configuration::new();
    for (key, value) in pairs {
        configuration.set(*key, Value::Text((*value).into()), Origin::DynamicProperty);
    }
    Deployment::from_configuration(&configuration, VERSION, None, None)
}

#[test]
fn a_configuration_is_read_with_flinks_defaults() {
    let plain = configured(&[]);
    assert!(plain.streaming);
    assert!(plain.checkpointing.is_none());
    assert_eq!(plain.backend, StateBackendKind::HashMap);
    assert!(!plain.heap_pinned && !plain.network_min_set && !plain.network_max_set);
    assert!(!plain.local_recovery);
    assert_eq!((plain.parallelism, plain.max_parallelism), (None, None));

    let interval = checkpointing::INTERVAL.for_version(VERSION);
    let defaults = configured(&[(interval, "30 s")]).checkpointing.unwrap();
    assert_eq!(
        defaults,
        Checkpointing {
            interval: ms(30_000),
            timeout: CHECKPOINT_DEFAULT_TIMEOUT,
            min_pause: Duration::ZERO,
            tolerated_failures: 0,
            directory: None,
            // No storage and no directory: the JobManager's heap.
            in_jobmanager: true,
            incremental: false,
            changelog: false,
        }
    );
    let set = configured(&[
        (interval, "30 s"),
        (checkpointing::TIMEOUT.for_version(VERSION), "5 min"),
        (checkpointing::MIN_PAUSE.for_version(VERSION), "10 s"),
        (checkpointing::TOLERABLE_FAILURES.for_version(VERSION), "3"),
        (state::CHECKPOINT_DIR.for_version(VERSION), "s3://b/c"),
        (state::INCREMENTAL.for_version(VERSION), "true"),
        (state::CHANGELOG.for_version(VERSION), "TRUE"),
    ])
    .checkpointing
    .unwrap();
    assert_eq!(
        set,
        Checkpointing {
            interval: ms(30_000),
            timeout: ms(300_000),
            min_pause: ms(10_000),
            tolerated_failures: 3,
            directory: Some("s3://b/c".into()),
            in_jobmanager: false,
            incremental: true,
            changelog: true,
        }
    );
    let storage = state::CHECKPOINT_STORAGE.for_version(VERSION);
    let dir = state::CHECKPOINT_DIR.for_version(VERSION);
    let in_jobmanager = |pairs: &[(&str, &str)]| {
        configured(pairs)
            .checkpointing
            .is_some_and(|checkpoints| checkpoints.in_jobmanager)
    };
    assert!(in_jobmanager(&[
        (interval, "1 min"),
        (storage, "JobManager"),
        (dir, "s3://b/c")
    ]));
    assert!(!in_jobmanager(&[
        (interval, "1 min"),
        (storage, "filesystem")
    ]));
}

#[test]
fn a_configuration_names_the_mode_backend_parallelism_and_pinned_sizes() {
    let mode = cluster::RUNTIME_MODE.for_version(VERSION);
    assert!(!configured(&[(mode, "BATCH")]).streaming);
    assert!(!configured(&[(mode, "batch")]).streaming);
    assert!(configured(&[(mode, "STREAMING")]).streaming);
    let backend = state::BACKEND.for_version(VERSION);
    assert_eq!(
        configured(&[(backend, "RocksDB")]).backend,
        StateBackendKind::RocksDb
    );
    assert_eq!(
        configured(&[(backend, "forst")]).backend,
        StateBackendKind::ForSt
    );
    let parallelism = configured(&[
        (cluster::PARALLELISM_DEFAULT.for_version(VERSION), "8"),
        (cluster::MAX_PARALLELISM.for_version(VERSION), "128"),
        (state::LOCAL_RECOVERY.for_version(VERSION), "true"),
    ]);
    assert_eq!(parallelism.parallelism, Some(8));
    assert_eq!(parallelism.max_parallelism, Some(128));
    assert!(parallelism.local_recovery);
    // -1: derived per operator, not a number of subtasks.
    assert_eq!(
        configured(&[(cluster::MAX_PARALLELISM.for_version(VERSION), "-1")]).max_parallelism,
        None
    );
    assert!(configured(&[(tm::TASK_HEAP_MEMORY.key, "1g")]).heap_pinned);
    assert!(configured(&[(tm::FRAMEWORK_HEAP_MEMORY.key, "128m")]).heap_pinned);
    let min_only = configured(&[(tm::NETWORK_MEMORY_MIN.key, "64m")]);
    assert!(min_only.network_min_set && !min_only.network_max_set);
    let max_only = configured(&[(tm::NETWORK_MEMORY_MAX.key, "1g")]);
    assert!(!max_only.network_min_set && max_only.network_max_set);
}

// All of them.

#[test]
fn evaluate_puts_errors_first_then_orders_by_id() {
    let mut deployment = bare();
    deployment.taskmanager = Some(taskmanager(gib(1)));
    // FT-NET-002, FT-PAR-002 (10 and 9 key groups) and FT-CKP-001, found in that order.
    deployment.network_min_set = true;
    deployment.parallelism = Some(10);
    deployment.max_parallelism = Some(91);
    deployment.checkpointing = Some(checkpointed(ms(9)));
    let ids: Vec<_> = evaluate(&deployment)
        .iter()
        .map(|violation| violation.id)
        .collect();
    assert_eq!(ids, ["FT-CKP-001", "FT-NET-002", "FT-PAR-002"]);
}

#[test]
fn a_violation_reads_as_id_message_and_fix_on_one_line() {
    let violation = Violation::new("FT-X-001", Level::Warning, None, "what", "fix it");
    assert_eq!(violation.one_line(), "FT-X-001: what; fix it");
}
