//! The TaskManager model at its worked examples and at every boundary where Flink switches path or refuses, with the
//! byte counts Flink's `BashJavaUtils` gives (docs/flink-memory-model.md, "Worked example" and the results below it).
//! The differential test (tests/it/flink_differential.rs) compares hundreds of random configurations with real Flink
//! but needs Java and is `#[ignore]`d; these pin the same model offline, so that a changed comparison, operator or
//! branch fails `cargo test --lib` (issue 15, docs/mutants.md).

use super::error::MemoryError;
use super::taskmanager::{TaskManagerMemory, taskmanager_memory};
use crate::flink::config::{Configuration, Origin, Value};
use crate::flink::memory_size::{MemorySize, MemorySizeParseError, SizeArithmeticError};
use crate::flink::version::FlinkVersion;

const V2: FlinkVersion = FlinkVersion::line(2, 3);
const V1: FlinkVersion = FlinkVersion::line(1, 20);

pub(super) fn config(pairs: &[(&str, &str)]) -> Configuration {
    let mut configuration = Configuration::new();
    for (key, value) in pairs {
        configuration.set(*key, Value::Text((*value).into()), Origin::DynamicProperty);
    }
    configuration
}

fn mib(mebibytes: u64) -> MemorySize {
    MemorySize::mebibytes(mebibytes)
}

fn bytes(bytes: u64) -> MemorySize {
    MemorySize::from_bytes(bytes)
}

fn on(version: FlinkVersion, pairs: &[(&str, &str)]) -> Result<TaskManagerMemory, MemoryError> {
    taskmanager_memory(&config(pairs), version, None)
}

fn tm(pairs: &[(&str, &str)]) -> TaskManagerMemory {
    on(V2, pairs).unwrap()
}

/// The refusal inside Flink's "TaskManager memory configuration failed: " context.
pub(super) fn refused(result: Result<impl std::fmt::Debug, MemoryError>) -> MemoryError {
    match result.unwrap_err() {
        MemoryError::Context { cause, .. } => *cause,
        other => panic!("not wrapped in Flink's context: {other:?}"),
    }
}

fn tm_refused(pairs: &[(&str, &str)]) -> MemoryError {
    refused(on(V2, pairs))
}

const OVERHEAD_RAISED_TO_MIN_1728M: &str = "The derived from fraction jvm overhead memory (172.800mb (181193935 bytes)) \
    is less than its min value 192.000mb (201326592 bytes), min value will be used instead";

/// `taskmanager.memory.process.size: 1728m`, everything else default (docs/flink-memory-model.md, "Worked example").
fn worked_example(notes: Vec<String>) -> TaskManagerMemory {
    TaskManagerMemory {
        framework_heap: bytes(134_217_728),
        task_heap: bytes(402_653_174),
        managed: bytes(536_870_920),
        framework_off_heap: bytes(134_217_728),
        task_off_heap: MemorySize::ZERO,
        network: bytes(134_217_730),
        jvm_metaspace: bytes(268_435_456),
        jvm_overhead: bytes(201_326_592),
        total_flink: bytes(1_342_177_280),
        total_process: bytes(1_811_939_328),
        cpu_cores: 1.0,
        slots: 1,
        notes,
    }
}

#[test]
fn the_shipped_1728m_taskmanager_splits_as_flink_splits_it() {
    let memory = tm(&[("taskmanager.memory.process.size", "1728m")]);
    assert_eq!(
        memory,
        worked_example(vec![OVERHEAD_RAISED_TO_MIN_1728M.into()])
    );
    assert_eq!(memory.jvm_heap(), bytes(536_870_902));
    assert_eq!(memory.jvm_direct(), bytes(268_435_458));
    assert_eq!(
        memory.jvm_args(),
        "-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456"
    );
    assert_eq!(
        memory.dynamic_configs(),
        "-D taskmanager.memory.network.min=134217730b -D taskmanager.cpu.cores=1.0 \
         -D taskmanager.memory.task.off-heap.size=0b -D taskmanager.memory.jvm-metaspace.size=268435456b \
         -D external-resources=none -D taskmanager.memory.jvm-overhead.min=201326592b \
         -D taskmanager.memory.framework.off-heap.size=134217728b -D taskmanager.memory.network.max=134217730b \
         -D taskmanager.memory.framework.heap.size=134217728b -D taskmanager.memory.managed.size=536870920b \
         -D taskmanager.memory.task.heap.size=402653174b -D taskmanager.numberOfTaskSlots=1 \
         -D taskmanager.memory.jvm-overhead.max=201326592b"
    );
}

#[test]
fn direct_memory_adds_both_off_heaps_and_the_network() {
    let memory = tm(&[
        ("taskmanager.memory.process.size", "1728m"),
        ("taskmanager.memory.task.off-heap.size", "64m"),
    ]);
    // 64 MiB of task off-heap comes out of the task heap and into direct memory.
    assert_eq!(memory.task_heap, bytes(402_653_174 - 67_108_864));
    assert_eq!(
        memory.jvm_direct(),
        bytes(134_217_728 + 67_108_864 + 134_217_730)
    );
}

#[test]
fn a_4096m_taskmanager_takes_its_overhead_as_a_plain_fraction() {
    let memory = tm(&[("taskmanager.memory.process.size", "4096m")]);
    assert_eq!(memory.network, bytes(359_703_515));
    assert_eq!(memory.managed, bytes(1_438_814_063));
    assert_eq!(memory.jvm_overhead, bytes(429_496_736));
    assert_eq!(memory.task_heap, bytes(1_530_082_070));
    assert_eq!(memory.total_process, mib(4096));
    assert!(memory.notes.is_empty(), "{:?}", memory.notes);
}

#[test]
fn a_32g_taskmanager_caps_its_overhead_and_before_1_17_its_network() {
    let memory = tm(&[("taskmanager.memory.process.size", "32g")]);
    assert_eq!(memory.jvm_overhead, MemorySize::gibibytes(1));
    assert_eq!(memory.network, bytes(3_301_756_158));
    assert_eq!(memory.jvm_direct(), bytes(3_435_973_886));
    assert_eq!(memory.notes.len(), 1, "{:?}", memory.notes);
    assert!(
        memory.notes[0].starts_with("The derived from fraction jvm overhead memory (")
            && memory.notes[0].ends_with(
                "is greater than its max value 1024.000mb (1073741824 bytes), max value will be used instead"
            ),
        "{:?}",
        memory.notes
    );
    let old = on(
        FlinkVersion::line(1, 16),
        &[("taskmanager.memory.process.size", "32g")],
    )
    .unwrap();
    assert_eq!(old.network, MemorySize::gibibytes(1));
    assert_eq!(old.jvm_direct(), bytes(1_207_959_552));
}

#[test]
fn total_flink_memory_alone_splits_the_same_way() {
    let memory = tm(&[("taskmanager.memory.flink.size", "1280m")]);
    // Overhead: the inverse fraction of 1536 MiB, 170.7 MiB, raised to the 192 MiB minimum.
    assert_eq!(memory.total_process, bytes(1_811_939_328));
    assert_eq!(
        TaskManagerMemory {
            notes: Vec::new(),
            ..memory
        },
        worked_example(Vec::new())
    );
}

#[test]
fn a_managed_size_replaces_the_managed_fraction() {
    let memory = tm(&[
        ("taskmanager.memory.process.size", "1728m"),
        ("taskmanager.memory.managed.size", "256m"),
    ]);
    assert_eq!(memory.managed, mib(256));
    assert_eq!(memory.network, bytes(134_217_730));
    assert_eq!(memory.task_heap, bytes(671_088_638));
}

#[test]
fn a_task_heap_beside_total_flink_leaves_the_network_the_remainder() {
    let memory = tm(&[
        ("taskmanager.memory.flink.size", "1280m"),
        ("taskmanager.memory.task.heap.size", "384m"),
    ]);
    assert_eq!(memory.task_heap, mib(384));
    assert_eq!(memory.managed, bytes(536_870_920));
    assert_eq!(memory.network, bytes(134_217_720));
    assert_eq!(memory.total_flink, mib(1280));
    assert_eq!(memory.total_process, bytes(1_811_939_328));
}

#[test]
fn task_heap_and_managed_set_give_the_network_its_inverse_fraction() {
    let memory = tm(&[
        ("taskmanager.memory.task.heap.size", "512m"),
        ("taskmanager.memory.managed.size", "512m"),
    ]);
    assert_eq!(memory.network, bytes(149_130_811));
    assert_eq!(memory.total_flink, bytes(1_491_308_091));
    assert_eq!(memory.jvm_overhead, mib(192));
    assert_eq!(memory.total_process, bytes(1_961_070_139));
}

#[test]
fn the_network_left_by_an_explicit_total_flink_must_fit_its_range() {
    let fine_grained = |total_flink: &str, more: &[(&str, &str)]| {
        let mut pairs = vec![
            ("taskmanager.memory.task.heap.size", "512m"),
            ("taskmanager.memory.managed.size", "512m"),
            ("taskmanager.memory.flink.size", total_flink),
        ];
        pairs.extend_from_slice(more);
        on(V2, &pairs)
    };
    // The fixed parts are 1280 MiB: 64 MiB more is exactly the network minimum, no note.
    let at_min = fine_grained("1344m", &[]).unwrap();
    assert_eq!(at_min.network, mib(64));
    assert_eq!(at_min.total_flink, mib(1344));
    assert!(
        !at_min
            .notes
            .iter()
            .any(|note| note.contains("Network Memory fraction")),
        "{:?}",
        at_min.notes
    );
    let under_min = refused(fine_grained("1409286143b", &[]));
    assert_eq!(
        under_min,
        MemoryError::NetworkRemainderInconsistent(Box::new(MemoryError::NetworkOutOfRange {
            derived: bytes(67_108_863),
            min: mib(64),
            max: MemorySize::MAX,
        }))
    );
    let max = [("taskmanager.memory.network.max", "128m")];
    assert_eq!(fine_grained("1408m", &max).unwrap().network, mib(128));
    assert_eq!(
        refused(fine_grained("1476395009b", &max)),
        MemoryError::NetworkRemainderInconsistent(Box::new(MemoryError::NetworkOutOfRange {
            derived: bytes(134_217_729),
            min: mib(64),
            max: mib(128),
        }))
    );
    // Nothing left: refused as Flink refuses it (N1 caused by N2), unless the range starts at zero.
    let nothing_left = fine_grained("1280m", &[]);
    assert_eq!(
        nothing_left.as_ref().unwrap_err().chain(),
        [
            "TaskManager memory configuration failed: If Total Flink, Task Heap and (or) Managed Memory sizes are \
             explicitly configured then the Network Memory size is the rest of the Total Flink memory after \
             subtracting all other configured types of memory, but the derived Network Memory is inconsistent with \
             its configuration.",
            "If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network \
             Memory size is the rest of the Total Flink memory after subtracting all other configured types of \
             memory, but the derived Network Memory is inconsistent with its configuration.",
            "Derived Network Memory size (0 bytes) is not in configured Network Memory range [64.000mb (67108864 \
             bytes), 8388608.000tb (9223372036854775807 bytes)].",
        ]
    );
    let zero_min = [("taskmanager.memory.network.min", "0")];
    assert_eq!(
        fine_grained("1280m", &zero_min).unwrap().network,
        MemorySize::ZERO
    );
    // One byte under the fixed parts: S1.
    assert_eq!(
        refused(fine_grained("1342177279b", &zero_min)),
        MemoryError::FineGrainedExceedTotalFlink {
            framework_heap: mib(128),
            framework_off_heap: mib(128),
            task_heap: mib(512),
            task_off_heap: MemorySize::ZERO,
            managed: mib(512),
            total_flink: bytes(1_342_177_279),
        }
    );
}

#[test]
fn a_network_fraction_set_beside_an_explicit_total_flink_is_only_noted_when_it_disagrees() {
    let fine_grained = |total_flink: &str, fraction: &str| {
        tm(&[
            ("taskmanager.memory.task.heap.size", "512m"),
            ("taskmanager.memory.managed.size", "512m"),
            ("taskmanager.memory.flink.size", total_flink),
            ("taskmanager.memory.network.fraction", fraction),
        ])
        .notes
    };
    let expected = format!(
        "The derived Network Memory size ({}) does not match the configured Network Memory fraction \
         (0.10000000149011612) from the configured Total Flink Memory size ({}). The derived Network Memory size \
         will be used.",
        mib(64).human_readable(),
        mib(1344).human_readable()
    );
    let disagrees = fine_grained("1344m", "0.1");
    assert!(disagrees.contains(&expected), "{disagrees:?}");
    // 1280 MiB left of 2560 MiB is exactly half.
    let agrees = fine_grained("2560m", "0.5");
    assert!(
        !agrees
            .iter()
            .any(|note| note.contains("Network Memory fraction")),
        "{agrees:?}"
    );
}

#[test]
fn task_heap_takes_what_the_fractions_leave_of_total_flink_down_to_zero() {
    let no_fractions = |total_flink: &str| {
        on(
            V2,
            &[
                ("taskmanager.memory.flink.size", total_flink),
                ("taskmanager.memory.managed.fraction", "0"),
                ("taskmanager.memory.network.fraction", "0"),
                ("taskmanager.memory.network.min", "0"),
            ],
        )
    };
    let exact = no_fractions("256m").unwrap();
    assert_eq!(exact.task_heap, MemorySize::ZERO);
    assert_eq!(exact.total_flink, mib(256));
    assert_eq!(
        refused(no_fractions("268435455b")),
        MemoryError::DerivedExceedTotalFlink {
            framework_heap: mib(128),
            framework_off_heap: mib(128),
            task_off_heap: MemorySize::ZERO,
            managed: MemorySize::ZERO,
            network: MemorySize::ZERO,
            total_flink: bytes(268_435_455),
        }
    );
}

#[test]
fn metaspace_and_overhead_filling_the_process_leave_nothing_for_flink() {
    // 448 MiB: 256 MiB metaspace and the 192 MiB overhead minimum fit exactly, and Total Flink Memory is zero (S2);
    // one byte less and they do not fit (P1).
    assert!(matches!(
        tm_refused(&[("taskmanager.memory.process.size", "448m")]),
        MemoryError::DerivedExceedTotalFlink { total_flink, .. } if total_flink == MemorySize::ZERO
    ));
    assert_eq!(
        tm_refused(&[("taskmanager.memory.process.size", "469762047b")]),
        MemoryError::MetaspaceAndOverheadExceedProcess {
            metaspace: mib(256),
            overhead: mib(192),
            total_process: bytes(469_762_047),
        }
    );
}

#[test]
fn a_process_size_beside_total_flink_must_hold_it_and_the_metaspace() {
    let both = |total_process: &str, more: &[(&str, &str)]| {
        let mut pairs = vec![
            ("taskmanager.memory.flink.size", "1280m"),
            ("taskmanager.memory.process.size", total_process),
        ];
        pairs.extend_from_slice(more);
        on(V2, &pairs)
    };
    let no_min = [("taskmanager.memory.jvm-overhead.min", "0")];
    let exact = both("1536m", &no_min).unwrap();
    assert_eq!(exact.jvm_overhead, MemorySize::ZERO);
    assert_eq!(exact.total_process, mib(1536));
    assert!(exact.notes.is_empty(), "{:?}", exact.notes);
    assert_eq!(
        refused(both("1610612735b", &no_min)),
        MemoryError::ProcessBelowFlinkAndMetaspace {
            total_process: bytes(1_610_612_735),
            total_flink: mib(1280),
            metaspace: mib(256),
        }
    );
    // The overhead left must lie in [192 MiB, 1 GiB], both ends included.
    assert_eq!(both("1728m", &[]).unwrap(), worked_example(Vec::new()));
    assert_eq!(
        refused(both("1811939327b", &[])),
        MemoryError::OverheadOutOfRange {
            derived: bytes(201_326_591),
            min: mib(192),
            max: MemorySize::gibibytes(1),
        }
    );
    assert_eq!(
        both("2560m", &[]).unwrap().jvm_overhead,
        MemorySize::gibibytes(1)
    );
    assert_eq!(
        refused(both("2684354561b", &[])),
        MemoryError::OverheadOutOfRange {
            derived: bytes(1_073_741_825),
            min: mib(192),
            max: MemorySize::gibibytes(1),
        }
    );
}

#[test]
fn an_overhead_fraction_set_beside_both_totals_is_only_noted_when_it_disagrees() {
    let disagrees = tm(&[
        ("taskmanager.memory.flink.size", "1280m"),
        ("taskmanager.memory.process.size", "1728m"),
        ("taskmanager.memory.jvm-overhead.fraction", "0.1"),
    ]);
    assert_eq!(
        disagrees.notes,
        [
            "The derived JVM Overhead size (192.000mb (201326592 bytes)) does not match the configured JVM Overhead \
             fraction (0.10000000149011612) from the configured Total Process Memory size (1.688gb (1811939328 \
             bytes)). The derived JVM OVerhead size will be used."
        ]
    );
    // 1536 MiB of overhead is exactly half of 3072 MiB.
    let agrees = tm(&[
        ("taskmanager.memory.flink.size", "1280m"),
        ("taskmanager.memory.process.size", "3072m"),
        ("taskmanager.memory.jvm-overhead.fraction", "0.5"),
        ("taskmanager.memory.jvm-overhead.max", "2g"),
    ]);
    assert_eq!(agrees.jvm_overhead, mib(1536));
    assert!(agrees.notes.is_empty(), "{:?}", agrees.notes);
}

#[test]
fn the_cpu_cores_default_to_the_slots_and_must_be_positive() {
    let with = |pairs: &[(&str, &str)]| {
        let mut all = vec![("taskmanager.memory.process.size", "1728m")];
        all.extend_from_slice(pairs);
        on(V2, &all)
    };
    let slots = with(&[("taskmanager.numberOfTaskSlots", "4")]).unwrap();
    assert_eq!((slots.cpu_cores, slots.slots), (4.0, 4));
    assert_eq!(
        with(&[("taskmanager.cpu.cores", "0.5")]).unwrap().cpu_cores,
        0.5
    );
    let non_positive = MemoryError::NonPositiveCpuCores {
        key: "taskmanager.cpu.cores",
    };
    assert_eq!(
        refused(with(&[("taskmanager.cpu.cores", "0")])),
        non_positive
    );
    assert_eq!(
        refused(with(&[("taskmanager.cpu.cores", "-1")])),
        non_positive
    );
    assert_eq!(
        refused(with(&[("taskmanager.numberOfTaskSlots", "0")])),
        non_positive
    );
    assert_eq!(
        with(&[("taskmanager.cpu.cores", "0")])
            .unwrap_err()
            .to_string(),
        "TaskManager memory configuration failed: TaskExecutors need to be started with a positive number of CPU \
         cores. Please configure taskmanager.cpu.cores accordingly."
    );
    // A value that does not convert is Java's IllegalArgumentException: no context.
    assert!(matches!(
        with(&[("taskmanager.cpu.cores", "many")]),
        Err(MemoryError::Unparseable(read)) if read.key == "taskmanager.cpu.cores"
    ));
}

#[test]
fn nothing_configured_is_refused_with_the_three_ways_named() {
    assert_eq!(
        on(V2, &[]).unwrap_err().to_string(),
        "TaskManager memory configuration failed: Either required fine-grained memory \
         (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (Key: \
         'taskmanager.memory.flink.size' , default: null (fallback keys: [])), or Total Process Memory size (Key: \
         'taskmanager.memory.process.size' , default: null (fallback keys: [])) need to be configured explicitly."
    );
    // Task heap alone is not the fine-grained way.
    assert!(matches!(
        tm_refused(&[("taskmanager.memory.task.heap.size", "512m")]),
        MemoryError::NothingConfigured { .. }
    ));
}

// 1.x: the network buffer count and the pre-1.10 heap keys.

fn legacy(pairs: &[(&str, &str)]) -> Result<TaskManagerMemory, MemoryError> {
    let mut all = vec![("taskmanager.memory.process.size", "1728m")];
    all.extend_from_slice(pairs);
    on(V1, &all)
}

#[test]
fn the_network_buffer_count_sizes_the_network_on_1_x_when_no_network_option_is_set() {
    let buffers = ("taskmanager.network.numberOfBuffers", "4096");
    // 4096 buffers of 32 KiB: 128 MiB, two bytes less than the fraction gives; the task heap gets them.
    let counted = legacy(&[buffers]).unwrap();
    assert_eq!(counted.network, mib(128));
    assert_eq!(counted.task_heap, bytes(402_653_176));
    assert_eq!(
        legacy(&[buffers, ("taskmanager.memory.segment-size", "4k")])
            .unwrap()
            .network,
        mib(16)
    );
    assert_eq!(
        legacy(&[buffers, ("taskmanager.memory.segment-size", "8k")])
            .unwrap()
            .network,
        mib(32)
    );
    // Any network option, or 2.x, and the count is ignored.
    for option in [
        ("taskmanager.memory.network.min", "64m"),
        ("taskmanager.memory.network.max", "8g"),
        ("taskmanager.memory.network.fraction", "0.1"),
    ] {
        assert_eq!(
            legacy(&[buffers, option]).unwrap().network,
            bytes(134_217_730),
            "{option:?}"
        );
    }
    assert_eq!(
        on(V2, &[("taskmanager.memory.process.size", "1728m"), buffers])
            .unwrap()
            .network,
        bytes(134_217_730)
    );
    assert_eq!(legacy(&[]).unwrap().network, bytes(134_217_730));
}

#[test]
fn the_segment_size_is_a_power_of_two_of_at_least_4_kib() {
    let segment = |size: &str| {
        legacy(&[
            ("taskmanager.network.numberOfBuffers", "4096"),
            ("taskmanager.memory.segment-size", size),
        ])
    };
    assert_eq!(
        refused(segment("2k")),
        MemoryError::InvalidParameter {
            key: "taskmanager.memory.segment-size",
            value: "2048".into(),
            reason: "Minimum memory segment size is 4096".into(),
        }
    );
    assert_eq!(
        refused(segment("12k")),
        MemoryError::InvalidParameter {
            key: "taskmanager.memory.segment-size",
            value: "12288".into(),
            reason: "Memory segment size must be a power of 2.".into(),
        }
    );
    // A negative count is Java's arithmetic failing: no context.
    assert_eq!(
        legacy(&[("taskmanager.network.numberOfBuffers", "-1")]).unwrap_err(),
        MemoryError::Arithmetic(SizeArithmeticError::Negative)
    );
}

#[test]
fn the_network_buffer_count_also_sizes_a_fine_grained_taskmanager() {
    let fine_grained = |total_flink: Option<&str>| {
        let mut pairs = vec![
            ("taskmanager.memory.task.heap.size", "512m"),
            ("taskmanager.memory.managed.size", "512m"),
            ("taskmanager.network.numberOfBuffers", "4096"),
        ];
        pairs.extend(total_flink.map(|size| ("taskmanager.memory.flink.size", size)));
        on(V1, &pairs)
    };
    let counted = fine_grained(None).unwrap();
    assert_eq!(counted.network, mib(128));
    assert_eq!(counted.total_flink, mib(1408));
    assert_eq!(fine_grained(Some("1408m")).unwrap().network, mib(128));
    assert_eq!(
        refused(fine_grained(Some("1476395009b"))),
        MemoryError::NetworkRemainderInconsistent(Box::new(MemoryError::NetworkNotLegacySize {
            derived: bytes(134_217_729),
            configured: mib(128),
        }))
    );
}

#[test]
fn the_legacy_heap_stands_in_for_total_flink_on_1_x_only() {
    let by_flink_size = on(V1, &[("taskmanager.memory.flink.size", "1280m")]).unwrap();
    let mapped_note = "'taskmanager.memory.flink.size' is not specified, use the configured deprecated task manager \
                       heap value (1.250gb (1342177280 bytes)) for it.";
    let mut expected_notes = vec![mapped_note.to_string()];
    expected_notes.extend(by_flink_size.notes.iter().cloned());
    let expected = TaskManagerMemory {
        notes: expected_notes,
        ..by_flink_size.clone()
    };
    for (pairs, env) in [
        (&[("taskmanager.heap.size", "1280m")][..], None),
        (&[("taskmanager.heap.mb", "1280")][..], None),
        (&[("taskmanager.heap.size", "2g")][..], Some("1280m")),
    ] {
        assert_eq!(
            taskmanager_memory(&config(pairs), V1, env).unwrap(),
            expected,
            "{pairs:?} {env:?}"
        );
    }
    // Total Flink Memory set wins; 2.x reads none of them.
    let both = on(
        V1,
        &[
            ("taskmanager.memory.flink.size", "1280m"),
            ("taskmanager.heap.size", "2g"),
        ],
    )
    .unwrap();
    assert_eq!(both, by_flink_size);
    assert!(matches!(
        refused(on(V2, &[("taskmanager.heap.size", "1280m")])),
        MemoryError::NothingConfigured { .. }
    ));
    assert!(matches!(
        refused(taskmanager_memory(&Configuration::new(), V2, Some("1280m"))),
        MemoryError::NothingConfigured { .. }
    ));
}

#[test]
fn a_legacy_heap_flink_cannot_read_is_refused_in_its_own_context() {
    let environment = taskmanager_memory(&Configuration::new(), V1, Some("lots")).unwrap_err();
    assert_eq!(
        environment,
        MemoryError::Context {
            context: "TaskManager failed to map legacy JVM heap option to the new one: ",
            cause: Box::new(MemoryError::LegacyHeapEnvironment {
                value: "lots".into(),
                cause: MemorySizeParseError::NoNumber,
            }),
        }
    );
    assert_eq!(
        refused(on(V1, &[("taskmanager.heap.mb", "-1")])),
        MemoryError::LegacyHeapMegabytesNegative(-1)
    );
}
