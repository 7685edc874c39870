//! Worked examples for the layout's rules, each figure computed by hand from the rule it pins (issue 15: what the
//! advisor's other tests did not catch under cargo-mutants, docs/mutants.md). Network buffers per TaskManager are
//! slots x 2 shuffles x (3p + 9) buffers of 32 KiB (src/advisor/estimate/network_buffers.rs); a process size is
//! rounded down to whole mebibytes.

use std::cell::RefCell;

use super::*;
use crate::advisor::test_support::advise;

const MIB: u64 = 1 << 20;

#[test]
fn process_sizes_are_rounded_down_to_whole_mebibytes() {
    assert_eq!(whole_mebibytes(3 * MIB + 5), MemorySize::mebibytes(3));
    assert_eq!(whole_mebibytes(5 * MIB), MemorySize::mebibytes(5));
    assert_eq!(whole_mebibytes(MIB - 1), MemorySize::ZERO);
}

#[test]
fn each_slot_gets_at_least_half_a_gibibyte_of_process() {
    // 2 GiB holds four 512 MiB slots: four planned stay, with their own reason.
    assert_eq!(
        slots_within_memory(4, "planned".into(), 4.0, MemorySize::gibibytes(2)),
        (4, "planned".to_string())
    );
    assert_eq!(
        slots_within_memory(8, "planned".into(), 4.0, MemorySize::gibibytes(2)),
        (
            4,
            "8 would suit 4 cores, but 2 GiB of memory allows 4 (at least 512 MiB each)"
                .to_string()
        )
    );
    // One byte less holds three; 256 MiB holds none, and a TaskManager keeps one slot.
    assert_eq!(
        slots_within_memory(
            4,
            "planned".into(),
            4.0,
            MemorySize::from_bytes((2 << 30) - 1)
        )
        .0,
        3
    );
    assert_eq!(
        slots_within_memory(2, "planned".into(), 1.5, MemorySize::mebibytes(256)),
        (
            1,
            "2 would suit 1.5 cores, but 256 MiB of memory allows 1 (at least 512 MiB each)"
                .to_string()
        )
    );
}

#[test]
fn the_managed_fraction_steps_down_by_twentieths_until_it_fits() {
    // Each tried fraction is recorded; past ten tries the closure gives up, so that no rule loops for ever.
    let tried = |wanted: f64, fits_at: f64| {
        let seen = RefCell::new(Vec::new());
        let fraction = fitting_fraction(wanted, |fraction| {
            seen.borrow_mut().push(fraction);
            fraction <= fits_at + 1e-9 || seen.borrow().len() > 10
        });
        (fraction, seen.into_inner())
    };
    assert_eq!(tried(0.7, 0.5), (0.5, vec![0.7, 0.65, 0.6, 0.55, 0.5]));
    assert_eq!(tried(0.7, 1.0), (0.7, vec![0.7]));
    // Nothing above zero fits: zero, which is not tried (a TaskManager without managed memory is the floor).
    assert_eq!(tried(0.15, -1.0), (0.0, vec![0.15, 0.1, 0.05]));
    assert_eq!(tried(0.0, -1.0), (0.0, vec![]));
}

/// The network settings `network_cap` writes, as (key, value, why).
fn network(derived: MemorySize, slots: u32, subtasks: u32) -> Vec<(String, String, String)> {
    network_cap(derived, slots, subtasks)
        .into_iter()
        .map(|setting| {
            (
                setting.key.to_string(),
                setting.value.to_string(),
                setting.why,
            )
        })
        .collect()
}

#[test]
fn a_tenth_of_flink_memory_short_of_the_shuffles_sets_both_bounds_to_the_need() {
    // 4 slots among 100 subtasks: 4 x 2 x 309 buffers of 32 KiB = 77.25 MiB; twice that, 154.5 MiB, rounded up to
    // whole mebibytes.
    let required = 4 * 2 * 309 * (32 << 10);
    let why = "4 slots shuffling with 100 subtasks need about 77 MiB of network buffers (155 MiB with headroom); a \
               tenth of Flink memory would give 64 MiB";
    assert_eq!(
        network(MemorySize::mebibytes(64), 4, 100),
        [
            (
                "taskmanager.memory.network.min".into(),
                "155m".into(),
                why.into()
            ),
            (
                "taskmanager.memory.network.max".into(),
                "155m".into(),
                why.into()
            ),
        ]
    );
    // Exactly the need without headroom is enough: Flink's own derivation stands (and under 1 GiB, is not capped).
    assert_eq!(network(MemorySize::from_bytes(required), 4, 100), []);
}

#[test]
fn network_memory_over_a_gibibyte_is_capped_at_the_larger_of_the_need_and_a_gibibyte() {
    // Up to 1 GiB Flink's tenth stands, at exactly 1 GiB too.
    assert_eq!(network(MemorySize::gibibytes(1), 4, 4), []);
    // 4 slots among 4 subtasks need 4 x 2 x 21 x 32 KiB = 5.25 MiB, 10.5 MiB with headroom: capped at 1 GiB, and
    // the minimum is Flink's 64 MiB floor (above the 6 MiB the shuffles need).
    assert_eq!(
        network(MemorySize::gibibytes(4), 4, 4),
        [
            (
                "taskmanager.memory.network.min".into(),
                "64m".into(),
                "set with the maximum, so the pair states the planned range: at least the 64 MiB the shuffles of 4 \
                 slots among 4 subtasks need"
                    .into()
            ),
            (
                "taskmanager.memory.network.max".into(),
                "1g".into(),
                "a tenth of Flink memory would be 4 GiB of network buffers; 4 slots shuffling with 4 subtasks need \
                 about 10 MiB with headroom, so cap it at 1 GiB (Flink's bound until 1.16 was 1 GiB)"
                    .into()
            ),
        ]
    );
    // 8 slots among 680 subtasks need 8 x 2 x 2049 x 32 KiB = 1024.5 MiB, 2049 MiB with headroom: the cap is the
    // need, the minimum the need without headroom rounded up (1025 MiB).
    let capped = network(MemorySize::gibibytes(4), 8, 680);
    assert_eq!(
        capped
            .iter()
            .map(|(key, value, _)| (key.as_str(), value.as_str()))
            .collect::<Vec<_>>(),
        [
            ("taskmanager.memory.network.min", "1025m"),
            ("taskmanager.memory.network.max", "2049m"),
        ]
    );
    // A tenth that is no more than the need with headroom stands: 2049 MiB exactly, and 2 GiB.
    assert_eq!(network(MemorySize::mebibytes(2049), 8, 680), []);
    assert_eq!(network(MemorySize::gibibytes(2), 8, 680), []);
}

#[test]
fn the_cluster_counts_taskmanagers_and_slots_over_all_hosts() {
    let mut layout = advise(4.0, 16, "balanced", "2.3", |_, _| {})
        .unwrap()
        .layout;
    layout.hosts = 3;
    layout.taskmanagers_per_host = 2;
    layout.slots_per_taskmanager = 4;
    assert_eq!(layout.total_taskmanagers(), 6);
    assert_eq!(layout.total_slots(), 24);
}

#[test]
fn the_cpu_reason_says_whether_the_host_was_split() {
    assert_eq!(cpu_reason(16.0, 1), "all 16 usable cores of the host");
    assert_eq!(
        cpu_reason(96.0, 24),
        "96 usable cores split among 24 TaskManagers"
    );
    assert_eq!(
        source_text("64 GiB", &Source::Flag("--memory")),
        "64 GiB (from --memory)"
    );
}

#[test]
fn the_smallest_taskmanager_is_flinks_fixed_components_and_a_little_task_heap() {
    // Framework heap 128 MiB, framework off-heap 128 MiB, network minimum 64 MiB, metaspace 256 MiB, overhead
    // minimum 192 MiB (the same defaults on every release), and 256 MiB of task heap: 1 GiB.
    for version in ["1.17", "2.3"] {
        assert_eq!(
            minimum_taskmanager(version.parse().unwrap()),
            MemorySize::gibibytes(1)
        );
    }
}

/// The reason written for `key`.
fn why(advice: &crate::advisor::Recommendation, key: &str) -> String {
    advice
        .settings
        .iter()
        .find(|setting| setting.key == key)
        .map(|setting| setting.why.clone())
        .unwrap_or_default()
}

#[test]
fn cores_per_taskmanager_are_the_host_split_evenly_to_two_decimals() {
    // A 2.555-core limit: 2.55 cores, rounded down.
    let limited = advise(2.555, 8, "balanced", "2.3", |_, _| {}).unwrap();
    assert_eq!(limited.layout.cores_per_taskmanager, 2.55);
    // 96 cores over the 24 TaskManagers a 768 GiB host splits into: 4 each.
    let split = advise(96.0, 768, "balanced", "2.3", |_, _| {}).unwrap();
    assert_eq!(
        (
            split.layout.taskmanagers_per_host,
            split.layout.cores_per_taskmanager
        ),
        (24, 4.0)
    );
}

#[test]
fn the_process_reason_says_how_the_hosts_memory_came_to_it() {
    // One TaskManager: 32 GiB less a 3.2 GiB reserve and the 1600 MiB JobManager beside it (one standalone host),
    // 27891.2 MiB rounded down.
    let one = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
    assert_eq!(
        one.layout.taskmanager_process,
        MemorySize::mebibytes(27_891)
    );
    assert_eq!(
        why(&one, "taskmanager.memory.process.size"),
        "27.2 GiB of 32 GiB usable, after a 3.2 GiB reserve and a 1.6 GiB JobManager"
    );
    // 64 GiB: one TaskManager of 57382 MiB would have a heap over 31 GiB; two of 28691 MiB (57382.4 / 2, rounded
    // down) do not.
    let split = advise(16.0, 64, "balanced", "2.3", |_, _| {}).unwrap();
    assert_eq!(
        (
            split.layout.taskmanagers_per_host,
            split.layout.taskmanager_process
        ),
        (2, MemorySize::mebibytes(28_691))
    );
    assert_eq!(
        why(&split, "taskmanager.memory.process.size"),
        "28 GiB of 64 GiB usable, after a 6.4 GiB reserve and a 1.6 GiB JobManager, split among 2 TaskManagers to \
         keep each heap under 31 GiB"
    );
}

#[test]
fn a_taskmanager_whose_heap_cannot_fit_is_capped_and_the_rest_of_the_host_named_unused() {
    // 2 cores and 256 GiB: 256 GiB less an 8 GiB reserve and a 1600 MiB JobManager, over two TaskManagers of one
    // core (one slot) each: 126176 MiB. With the heap backend the JVM heap is the process less 256 MiB metaspace,
    // 1 GiB overhead, 128 MiB framework off-heap and 1 GiB of network (capped): 123744 MiB, over 31 GiB. The
    // process is scaled by 31744 / 123744 x 0.99: 32044.2 MiB, rounded down to 32044 MiB, whose heap (29612 MiB)
    // fits. Unused: (126176 - 32044) x 2 = 188264 MiB.
    let advice = advise(2.0, 256, "balanced", "2.3", |_, _| {}).unwrap();
    let layout = &advice.layout;
    assert_eq!(
        (layout.taskmanagers_per_host, layout.slots_per_taskmanager),
        (2, 1)
    );
    assert_eq!(layout.taskmanager_process, MemorySize::mebibytes(32_044));
    assert_eq!(layout.jvm_heap, MemorySize::mebibytes(29_612));
    assert_eq!(
        why(&advice, "taskmanager.memory.process.size"),
        "31.3 GiB of the 123.2 GiB each TaskManager could take, so that the JVM heap stays under 31 GiB (compressed \
         pointers); 183.9 GiB of 256 GiB usable stays unused: more cores would let more TaskManagers use it"
    );
}

#[test]
fn rocksdb_keeps_one_taskmanager_by_raising_the_managed_fraction_to_at_most_point_nine() {
    // 2 cores and 256 GiB, 500 GiB of state: one TaskManager of 252352 MiB (256 GiB less an 8 GiB reserve and the
    // 1600 MiB JobManager), state 2x its memory: 0.5 managed. Flink memory is 251072 MiB (less 256 MiB metaspace and
    // 1 GiB overhead); the heap is its unmanaged share less 128 MiB framework off-heap and 1 GiB of network: 36508
    // MiB at 0.85, 23955 MiB at 0.9, which fits.
    let advice = advise(2.0, 256, "large-state", "2.3", |_, p| {
        p.checkpoint_dir = Some("s3://b/c".into());
    })
    .unwrap();
    let layout = &advice.layout;
    assert_eq!(layout.taskmanagers_per_host, 1);
    assert_eq!(layout.taskmanager_process, MemorySize::mebibytes(252_352));
    assert_eq!(layout.managed_fraction, 0.9);
    assert!(
        why(&advice, "taskmanager.memory.managed.fraction").ends_with(
            "; raised to 0.9 so that the JVM heap stays under 31 GiB: RocksDB keeps state off the heap, which needs \
             only records in flight and user objects"
        ),
        "{}",
        why(&advice, "taskmanager.memory.managed.fraction")
    );
    // Where even 0.9 leaves the heap over 31 GiB (one core, 512 GiB), the fraction stays within 0.9 and the
    // process is capped instead.
    let huge = advise(1.0, 512, "large-state", "2.3", |_, p| {
        p.checkpoint_dir = Some("s3://b/c".into());
    })
    .unwrap();
    assert!(
        huge.layout.managed_fraction <= 0.9,
        "{}",
        huge.layout.managed_fraction
    );
    assert!(huge.layout.jvm_heap <= HEAP_LIMIT);
    // The heap backend's fraction is never raised: its zero is its reason.
    let heap = advise(4.0, 16, "balanced", "2.3", |_, _| {}).unwrap();
    assert_eq!(
        why(&heap, "taskmanager.memory.managed.fraction"),
        "the heap state backend does not use managed memory; Flink's tuning guide says set it to zero so the heap \
         gets it"
    );
}

#[test]
fn a_development_session_on_one_host_keeps_flinks_shipped_jobmanager() {
    let jobmanager = |profile: &str, hosts: u32, mode: Mode| {
        let advice = advise(4.0, 16, profile, "2.3", |h, p| {
            h.hosts = hosts;
            p.mode = mode;
        })
        .unwrap();
        (
            advice.layout.jobmanager_process,
            why(&advice, "jobmanager.memory.process.size"),
        )
    };
    // A session's 2 GiB JobManager, lowered to the shipped 1600 MiB for development on one host.
    assert_eq!(
        jobmanager("dev-session", 1, Mode::Session),
        (
            MemorySize::mebibytes(1600),
            "a development session on one host: Flink's shipped size holds a few small jobs' graphs, and the host's \
             memory goes to the TaskManager that runs them"
                .to_string()
        )
    );
    assert_eq!(
        jobmanager("dev-session", 2, Mode::Session).0,
        MemorySize::gibibytes(2)
    );
    assert_eq!(
        jobmanager("balanced", 1, Mode::Session).0,
        MemorySize::gibibytes(2)
    );
    // Already the shipped size: kept with its own reason.
    assert_eq!(
        jobmanager("dev-session", 1, Mode::Application),
        (
            MemorySize::mebibytes(1600),
            "Flink's shipped size fits 4 slots (up to 256)".to_string()
        )
    );
}

#[test]
fn an_application_spreads_its_state_over_every_taskmanager_and_a_session_job_sits_on_one() {
    // 500 GiB over three hosts of one TaskManager each.
    let state = |mode: Mode| {
        advise(16.0, 64, "large-state", "2.3", |h, p| {
            h.hosts = 3;
            p.mode = mode;
            p.checkpoint_dir = Some("s3://b/c".into());
        })
        .unwrap()
        .layout
    };
    let application = state(Mode::Application);
    assert_eq!(application.total_taskmanagers(), 3);
    assert_eq!(
        application.state_per_taskmanager,
        MemorySize::from_bytes((500 << 30) / 3)
    );
    assert_eq!(
        state(Mode::Session).state_per_taskmanager,
        MemorySize::gibibytes(500)
    );
}

#[test]
fn shuffles_that_would_take_half_a_taskmanager_are_an_error_naming_the_flags() {
    // 2500 hosts of 4 cores and 16 GiB: TaskManagers of 14745 MiB (less a 1.6 GiB reserve; the JobManager runs
    // elsewhere) with 4 slots, 10000 subtasks: 4 x 2 x 30009 buffers of 32 KiB = 7502.25 MiB, over half of 14745.
    let error = advise(4.0, 16, "balanced", "2.3", |h, _| h.hosts = 2500).unwrap_err();
    assert_eq!(
        error,
        AdviceError::Incoherent(
            "FT-NET-001: 4 slots exchanging data among 10000 subtasks need about 7.3 GiB of network buffers per \
             TaskManager, more than half of its 14.4 GiB; plan fewer hosts (--hosts) or give each more memory \
             (--memory)"
                .to_string()
        )
    );
}

#[test]
fn the_managed_fraction_is_lowered_until_each_slot_keeps_its_task_heap() {
    // Batch on two hosts of 2 cores and 4 GiB: TaskManagers of 3 GiB (less a 1 GiB reserve), 2 slots. Flink memory
    // is 3072 - 256 metaspace - 307.2 overhead = 2508.8 MiB; the task heap is that less 256 MiB of framework memory,
    // 250.88 MiB of network and the managed share: 245.76 MiB at 0.7, under the 256 MiB two slots need; 371.2 MiB at
    // 0.65.
    let advice = advise(2.0, 4, "batch", "2.3", |h, _| h.hosts = 2).unwrap();
    assert_eq!(
        (
            advice.layout.slots_per_taskmanager,
            advice.layout.managed_fraction
        ),
        (2, 0.65)
    );
    assert_eq!(
        why(&advice, "taskmanager.memory.managed.fraction"),
        "batch operators sort, hash and spill in managed memory; 0.7 leaves the heap room for user code; lowered \
         from 0.7 so that each of 2 slots keeps a 128 MiB task heap in a 3 GiB TaskManager"
    );
    // Where 0.7 fits, it is kept with its own reason.
    let roomy = advise(2.0, 16, "batch", "2.3", |h, _| h.hosts = 2).unwrap();
    assert_eq!(roomy.layout.managed_fraction, 0.7);
    assert_eq!(
        why(&roomy, "taskmanager.memory.managed.fraction"),
        "batch operators sort, hash and spill in managed memory; 0.7 leaves the heap room for user code"
    );
}

#[test]
fn a_small_rocksdb_taskmanager_runs_fewer_slots_rather_than_starve_its_cache() {
    // Two hosts of 2 cores and 2192 MiB: TaskManagers of 1168 MiB (less a 1 GiB reserve), planned with 2 slots.
    // Flink memory is 1168 - 256 metaspace - 192 overhead = 720 MiB; two slots' 256 MiB of task heap leave managed
    // memory at most 720 - 256 framework - 72 network - 256 = 136 MiB: 0.15 (108 MiB), 54 MiB a slot, under
    // RocksDB's 64. One slot needs 128 MiB of task heap: at most 264 MiB managed, 0.35 (252 MiB).
    let rocksdb = |memory: MemorySize| {
        advise(2.0, 1, "balanced", "2.3", |h, p| {
            h.hosts = 2;
            h.total_memory.value = memory;
            h.memory_limit = None;
            p.state_backend = crate::profile::BackendChoice::RocksDb;
        })
        .unwrap()
        .layout
    };
    let layout = rocksdb(MemorySize::mebibytes(2192));
    assert_eq!(layout.taskmanager_process, MemorySize::mebibytes(1168));
    assert_eq!(
        (layout.slots_per_taskmanager, layout.managed_fraction),
        (1, 0.35)
    );
    // 1 GiB TaskManagers: 576 MiB of Flink memory leave two slots no managed memory at all; one slot gets 0.2
    // (115.2 MiB; at 0.25 the task heap would be 112 MiB).
    let small = rocksdb(MemorySize::mebibytes(2048));
    assert_eq!(
        (small.slots_per_taskmanager, small.managed_fraction),
        (1, 0.2)
    );
}

#[test]
fn connectors_get_direct_memory_per_slot_and_sessions_a_larger_metaspace() {
    let advice = advise(4.0, 16, "balanced", "2.3", |_, p| {
        p.connector_direct_memory = MemorySize::mebibytes(64);
    })
    .unwrap();
    assert_eq!(
        crate::advisor::test_support::value(&advice, "taskmanager.memory.task.off-heap.size")
            .as_deref(),
        Some("256m")
    );
    assert_eq!(
        why(&advice, "taskmanager.memory.task.off-heap.size"),
        "connectors allocate direct memory: 64 MiB per slot times 4 slots"
    );
    let metaspace = |profile: &str, mode: Mode| {
        let advice = advise(4.0, 16, profile, "2.3", |_, p| p.mode = mode).unwrap();
        (
            crate::advisor::test_support::value(&advice, "taskmanager.memory.task.off-heap.size"),
            crate::advisor::test_support::value(&advice, "taskmanager.memory.jvm-metaspace.size"),
        )
    };
    assert_eq!(metaspace("balanced", Mode::Application), (None, None));
    assert_eq!(
        metaspace("balanced", Mode::Session),
        (None, Some("512m".to_string()))
    );
    assert_eq!(
        metaspace("dev-session", Mode::Application),
        (None, Some("512m".to_string()))
    );
}

#[test]
fn a_single_slot_without_its_task_heap_is_a_host_too_small() {
    // Two hosts of 1 core and 1856 MiB: TaskManagers of 832 MiB (less a 1 GiB reserve), one slot. Less 256 MiB
    // metaspace, 192 MiB overhead, 256 MiB of framework memory and 64 MiB of network, the task heap is 64 MiB, under
    // the slot's 128 MiB even without managed memory; no slot is left to drop. The smallest TaskManager is 1 GiB.
    let error = advise(1.0, 1, "balanced", "2.3", |h, _| {
        h.hosts = 2;
        h.total_memory.value = MemorySize::mebibytes(1856);
        h.memory_limit = None;
    })
    .unwrap_err();
    assert_eq!(
        error,
        AdviceError::HostTooSmall {
            available: "832 MiB".to_string(),
            reserved: "a 1 GiB reserve".to_string(),
            needed: "1 GiB".to_string(),
        }
    );
}

#[test]
fn a_task_heap_of_exactly_the_floor_per_slot_keeps_the_slots() {
    // Two hosts of 2 cores and 2 GiB: TaskManagers of 1 GiB (less a 1 GiB reserve), two slots. Flink memory is
    // 1024 - 256 metaspace - 192 overhead = 576 MiB; less 256 MiB of framework memory and 64 MiB of network, the task
    // heap is 256 MiB: exactly 128 MiB for each of the two slots, with no managed memory (the heap backend).
    let advice = advise(2.0, 2, "balanced", "2.3", |h, _| h.hosts = 2).unwrap();
    assert_eq!(
        (
            advice.layout.slots_per_taskmanager,
            advice.layout.managed_fraction
        ),
        (2, 0.0)
    );
    assert_eq!(
        advice.taskmanager_memory.task_heap,
        MemorySize::mebibytes(256)
    );
}

#[test]
fn a_pinned_fraction_that_leaves_rocksdb_exactly_its_minimum_per_slot_keeps_the_slots() {
    // Two hosts of 9 cores and 11663 MiB: TaskManagers of 10496 MiB (less a 1166.3 MiB reserve), 9 slots. Less 256
    // MiB metaspace and 1 GiB overhead, Flink memory is 9216 MiB; a pinned 0.0625 (exact in binary) gives RocksDB 576
    // MiB, exactly the 64 MiB a slot it needs (invariant FT-MEM-002), so all 9 slots stay.
    let mut host = crate::host::HostSpec::planned(
        9.0,
        MemorySize::mebibytes(11_663),
        crate::host::DiskKind::Ssd,
    );
    host.hosts = 2;
    let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
    profile.state_backend = crate::profile::BackendChoice::RocksDb;
    let version = "2.3".parse().unwrap();
    let pins = crate::advisor::Pins::resolve(
        &[(
            "taskmanager.memory.managed.fraction".to_string(),
            "0.0625".to_string(),
        )],
        version,
        crate::flink::catalogue::Catalogue::get(),
    )
    .unwrap();
    let advice = crate::advisor::recommend(&crate::advisor::test_support::input(
        &host, &profile, version, pins,
    ))
    .unwrap();
    assert_eq!(
        advice.layout.taskmanager_process,
        MemorySize::mebibytes(10_496)
    );
    assert_eq!(
        (advice.layout.slots_per_taskmanager, advice.layout.managed),
        (9, MemorySize::mebibytes(576))
    );
}
