//! The JobManager model at Flink's examples and at each boundary where it refuses or only warns, with the byte counts
//! Flink's `BashJavaUtils` gives (docs/flink-memory-model.md, "JobManager components, derivation and errors"). Offline
//! companions of the differential test, as taskmanager_tests.rs is for the TaskManager (issue 15, docs/mutants.md).

use super::error::MemoryError;
use super::jobmanager::{JobManagerMemory, jobmanager_memory};
use super::taskmanager_tests::{config, refused};
use crate::flink::config::Configuration;
use crate::flink::memory_size::MemorySize;
use crate::flink::version::FlinkVersion;

const V2: FlinkVersion = FlinkVersion::line(2, 3);
const V1: FlinkVersion = FlinkVersion::line(1, 20);

fn mib(mebibytes: u64) -> MemorySize {
    MemorySize::mebibytes(mebibytes)
}

fn bytes(bytes: u64) -> MemorySize {
    MemorySize::from_bytes(bytes)
}

fn on(version: FlinkVersion, pairs: &[(&str, &str)]) -> Result<JobManagerMemory, MemoryError> {
    jobmanager_memory(&config(pairs), version, None)
}

fn jm(pairs: &[(&str, &str)]) -> JobManagerMemory {
    on(V2, pairs).unwrap()
}

/// Flink's note for a heap under 128 MiB, which it only logs.
fn heap_small(heap: MemorySize) -> String {
    format!(
        "The configured or derived JVM heap memory size ({}) is less than its recommended minimum value (128.000mb \
         (134217728 bytes))",
        heap.human_readable()
    )
}

#[test]
fn the_shipped_1600m_jobmanager_splits_as_flink_splits_it() {
    let memory = jm(&[("jobmanager.memory.process.size", "1600m")]);
    assert_eq!(
        memory,
        JobManagerMemory {
            jvm_heap: bytes(1_073_741_824),
            off_heap: bytes(134_217_728),
            jvm_metaspace: bytes(268_435_456),
            jvm_overhead: bytes(201_326_592),
            total_flink: bytes(1_207_959_552),
            total_process: bytes(1_677_721_600),
            direct_memory_limited: false,
            notes: vec![
                "The derived from fraction jvm overhead memory (160.000mb (167772162 bytes)) is less than its min \
                 value 192.000mb (201326592 bytes), min value will be used instead"
                    .into()
            ],
        }
    );
    assert_eq!(
        memory.jvm_args(),
        "-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456"
    );
    assert_eq!(
        memory.dynamic_configs(),
        "-D jobmanager.memory.off-heap.size=134217728b -D jobmanager.memory.jvm-overhead.min=201326592b \
         -D jobmanager.memory.jvm-metaspace.size=268435456b -D jobmanager.memory.heap.size=1073741824b \
         -D jobmanager.memory.jvm-overhead.max=201326592b"
    );
}

#[test]
fn the_direct_memory_limit_puts_the_off_heap_size_in_the_jvm_arguments() {
    let limited = jm(&[
        ("jobmanager.memory.process.size", "1600m"),
        ("jobmanager.memory.enable-jvm-direct-memory-limit", "true"),
    ]);
    assert!(limited.direct_memory_limited);
    assert_eq!(
        limited.jvm_args(),
        "-Xmx1073741824 -Xms1073741824 -XX:MaxDirectMemorySize=134217728 -XX:MaxMetaspaceSize=268435456"
    );
    // Read outside Flink's context: a value that does not convert surfaces bare, on 1.x too.
    assert!(matches!(
        on(
            V1,
            &[
                ("jobmanager.memory.process.size", "1600m"),
                ("jobmanager.memory.enable-jvm-direct-memory-limit", "maybe"),
            ]
        ),
        Err(MemoryError::Unparseable(read))
            if read.key == "jobmanager.memory.enable-jvm-direct-memory-limit"
    ));
}

#[test]
fn total_flink_or_heap_alone_size_the_rest() {
    let by_flink = jm(&[("jobmanager.memory.flink.size", "1g")]);
    assert_eq!(by_flink.jvm_heap, bytes(939_524_096));
    assert_eq!(by_flink.total_process, bytes(1_543_503_872));
    let by_heap = jm(&[("jobmanager.memory.heap.size", "1g")]);
    assert_eq!(by_heap.off_heap, mib(128));
    assert_eq!(by_heap.total_flink, mib(1152));
    assert_eq!(by_heap.total_process, bytes(1_677_721_600));
}

#[test]
fn heap_and_total_flink_leave_the_off_heap_the_rest_and_say_so() {
    let memory = jm(&[
        ("jobmanager.memory.heap.size", "1g"),
        ("jobmanager.memory.flink.size", "1280m"),
    ]);
    assert_eq!(memory.off_heap, mib(256));
    assert!(
        memory.notes.contains(
            &"The Off-Heap Memory size (256.000mb (268435456 bytes)) is derived the configured Total Flink Memory \
              size (1.250gb (1342177280 bytes)) minus the configured JVM Heap Memory size (1024.000mb (1073741824 \
              bytes)). The default Off-Heap Memory size (128.000mb (134217728 bytes)) is ignored."
                .to_string()
        ),
        "{:?}",
        memory.notes
    );
    // A heap of all of Total Flink leaves no off-heap; one byte more is J2.
    assert_eq!(
        jm(&[
            ("jobmanager.memory.heap.size", "1280m"),
            ("jobmanager.memory.flink.size", "1280m"),
        ])
        .off_heap,
        MemorySize::ZERO
    );
    assert_eq!(
        on(
            V2,
            &[
                ("jobmanager.memory.heap.size", "1342177281b"),
                ("jobmanager.memory.flink.size", "1280m"),
            ]
        )
        .unwrap_err(),
        MemoryError::HeapExceedsTotalFlink {
            heap: bytes(1_342_177_281),
            total_flink: mib(1280),
        }
    );
}

#[test]
fn heap_off_heap_and_total_flink_all_set_must_add_up() {
    let all = |off_heap: &str| {
        on(
            V2,
            &[
                ("jobmanager.memory.heap.size", "1g"),
                ("jobmanager.memory.flink.size", "1280m"),
                ("jobmanager.memory.off-heap.size", off_heap),
            ],
        )
    };
    let adds_up = all("256m").unwrap();
    assert_eq!(adds_up.off_heap, mib(256));
    assert!(
        !adds_up.notes.iter().any(|note| note.contains("is ignored")),
        "{:?}",
        adds_up.notes
    );
    assert_eq!(
        all("255m").unwrap_err(),
        MemoryError::HeapAndOffHeapMismatchTotalFlink {
            heap: mib(1024),
            off_heap: mib(255),
            total_flink: mib(1280),
        }
    );
}

#[test]
fn total_flink_must_be_above_the_off_heap_size() {
    assert_eq!(
        on(V2, &[("jobmanager.memory.flink.size", "128m")]).unwrap_err(),
        MemoryError::TotalFlinkBelowOffHeap {
            total_flink: mib(128),
            off_heap: mib(128),
        }
    );
    let one_byte = jm(&[("jobmanager.memory.flink.size", "134217729b")]);
    assert_eq!(one_byte.jvm_heap, bytes(1));
    assert!(
        one_byte.notes.contains(&heap_small(bytes(1))),
        "{:?}",
        one_byte.notes
    );
}

#[test]
fn a_heap_under_128_mib_is_only_noted() {
    let at = jm(&[("jobmanager.memory.heap.size", "128m")]);
    assert!(
        !at.notes
            .iter()
            .any(|note| note.contains("recommended minimum")),
        "{:?}",
        at.notes
    );
    let under = bytes(134_217_727);
    let below = jm(&[("jobmanager.memory.heap.size", "134217727b")]);
    assert_eq!(below.jvm_heap, under);
    assert!(
        below.notes.contains(&heap_small(under)),
        "{:?}",
        below.notes
    );
}

#[test]
fn only_1_x_prefixes_jobmanager_refusals() {
    let nothing = |version| on(version, &[]).unwrap_err().to_string();
    let e0 = "Either required fine-grained memory (jobmanager.memory.heap.size), or Total Flink Memory size";
    assert!(nothing(V2).starts_with(e0), "{}", nothing(V2));
    assert!(
        nothing(V1).starts_with(&format!("JobManager memory configuration failed: {e0}")),
        "{}",
        nothing(V1)
    );
    assert_eq!(
        refused(on(V1, &[("jobmanager.memory.flink.size", "128m")])),
        MemoryError::TotalFlinkBelowOffHeap {
            total_flink: mib(128),
            off_heap: mib(128),
        }
    );
}

#[test]
fn the_legacy_heap_stands_in_for_the_jvm_heap_on_1_x_only() {
    let by_heap = on(V1, &[("jobmanager.memory.heap.size", "1g")]).unwrap();
    let legacy = on(V1, &[("jobmanager.heap.size", "1g")]).unwrap();
    let mut notes = vec![
        "'jobmanager.memory.heap.size' is not specified, use the configured deprecated task manager heap value \
         (1024.000mb (1073741824 bytes)) for it."
            .to_string(),
    ];
    notes.extend(by_heap.notes.iter().cloned());
    assert_eq!(legacy, JobManagerMemory { notes, ..by_heap });
    assert!(matches!(
        on(V2, &[("jobmanager.heap.size", "1g")]).unwrap_err(),
        MemoryError::NothingConfigured { .. }
    ));
    // A legacy value Flink cannot read is refused in the JobManager's context on 1.x.
    assert!(matches!(
        refused(jobmanager_memory(&Configuration::new(), V1, Some("lots"))),
        MemoryError::LegacyHeapEnvironment { .. }
    ));
}
