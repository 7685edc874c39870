//! Invariants of the memory model over arbitrary inputs: the components add up to Total Flink and Total Process
//! Memory, JVM heap and direct memory are the sums Flink defines, and no input (configuration text or value) panics.

use flinktune::FlinkVersion;
use flinktune::MemorySize;
use flinktune::{Configuration, Origin, Value, parse_legacy_file, parse_standard_yaml};
use flinktune::{jobmanager_memory, taskmanager_memory};
use proptest::prelude::*;

const MIB: u64 = 1 << 20;

fn versions() -> impl Strategy<Value = FlinkVersion> {
    prop::sample::select(vec![
        "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.2", "2.3",
    ])
    .prop_map(|v| v.parse().unwrap())
}

/// A few memory keys set to sizes, fractions or junk, the way configs in the wild look.
fn configs() -> impl Strategy<Value = Configuration> {
    let size = (0u64..=65536, 0u64..MIB).prop_map(|(mib, extra)| format!("{}b", mib * MIB + extra));
    let fraction = (0u32..1200).prop_map(|p| format!("{}", f64::from(p) / 1000.0));
    let value = prop_oneof![4 => size, 2 => fraction, 1 => ".*"];
    let key = prop::sample::select(vec![
        "taskmanager.memory.process.size",
        "taskmanager.memory.flink.size",
        "taskmanager.memory.task.heap.size",
        "taskmanager.memory.managed.size",
        "taskmanager.memory.managed.fraction",
        "taskmanager.memory.network.min",
        "taskmanager.memory.network.max",
        "taskmanager.memory.network.fraction",
        "taskmanager.memory.jvm-overhead.fraction",
        "taskmanager.memory.jvm-metaspace.size",
        "taskmanager.memory.task.off-heap.size",
        "taskmanager.network.numberOfBuffers",
        "taskmanager.heap.size",
        "taskmanager.numberOfTaskSlots",
        "taskmanager.cpu.cores",
        "jobmanager.memory.process.size",
        "jobmanager.memory.flink.size",
        "jobmanager.memory.heap.size",
        "jobmanager.memory.off-heap.size",
        "jobmanager.memory.jvm-overhead.fraction",
        "jobmanager.heap.mb",
    ]);
    prop::collection::vec((key, value), 0..8).prop_map(|entries| {
        let mut config = Configuration::new();
        for (key, value) in entries {
            config.set(key, Value::Text(value), Origin::DynamicProperty);
        }
        config
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn taskmanager_components_add_up(config in configs(), version in versions()) {
        if let Ok(tm) = taskmanager_memory(&config, version, None) {
            let flink = tm.framework_heap.bytes() + tm.task_heap.bytes() + tm.managed.bytes()
                + tm.framework_off_heap.bytes() + tm.task_off_heap.bytes() + tm.network.bytes();
            prop_assert_eq!(tm.total_flink.bytes(), flink);
            prop_assert_eq!(tm.total_process.bytes(), flink + tm.jvm_metaspace.bytes() + tm.jvm_overhead.bytes());
            prop_assert_eq!(tm.jvm_heap().bytes(), tm.framework_heap.bytes() + tm.task_heap.bytes());
            // Managed memory is off-heap but not JVM direct memory.
            prop_assert_eq!(
                tm.jvm_direct().bytes(),
                tm.framework_off_heap.bytes() + tm.task_off_heap.bytes() + tm.network.bytes()
            );
            prop_assert!(tm.cpu_cores > 0.0);
            let expected_args = format!(
                "-Xmx{0} -Xms{0} -XX:MaxDirectMemorySize={1} -XX:MaxMetaspaceSize={2}",
                tm.jvm_heap().bytes(), tm.jvm_direct().bytes(), tm.jvm_metaspace.bytes()
            );
            prop_assert_eq!(tm.jvm_args(), expected_args);
        }
    }

    #[test]
    fn jobmanager_components_add_up(config in configs(), version in versions()) {
        if let Ok(jm) = jobmanager_memory(&config, version, None) {
            prop_assert_eq!(jm.total_flink.bytes(), jm.jvm_heap.bytes() + jm.off_heap.bytes());
            prop_assert_eq!(
                jm.total_process.bytes(),
                jm.total_flink.bytes() + jm.jvm_metaspace.bytes() + jm.jvm_overhead.bytes()
            );
            let heap_args = format!("-Xmx{0} -Xms{0}", jm.jvm_heap.bytes());
            prop_assert!(jm.jvm_args().starts_with(&heap_args));
        }
    }

    /// Total Process Memory given alone, from the smallest size the defaults fit in (metaspace 256m + overhead 192m
    /// + framework 256m + network 64m + 40% managed needs about 981m) to 1 TiB, is honoured to the byte.
    #[test]
    fn process_size_is_honoured(mib in 1024u64..=1_048_576, extra in 0u64..MIB, version in versions()) {
        let bytes = mib * MIB + extra;
        let mut config = Configuration::new();
        config.set("taskmanager.memory.process.size", Value::Text(format!("{bytes}")), Origin::DynamicProperty);
        config.set("jobmanager.memory.process.size", Value::Text(format!("{bytes}b")), Origin::DynamicProperty);
        let tm = taskmanager_memory(&config, version, None).unwrap();
        prop_assert_eq!(tm.total_process, MemorySize::from_bytes(bytes));
        let jm = jobmanager_memory(&config, version, None).unwrap();
        prop_assert_eq!(jm.total_process, MemorySize::from_bytes(bytes));
        prop_assert!(tm.jvm_overhead.bytes() >= 192 * MIB && tm.jvm_overhead.bytes() <= 1024 * MIB);
    }

    /// No text, however broken, makes a reader or the model panic.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}", version in versions()) {
        let legacy = parse_legacy_file("f", &text);
        let _ = taskmanager_memory(&legacy.configuration, version, Some(&text));
        let _ = jobmanager_memory(&legacy.configuration, version, Some(&text));
        if let Ok(standard) = parse_standard_yaml("f", &text) {
            let _ = taskmanager_memory(&standard.configuration, version, None);
        }
        let _ = MemorySize::parse(&text);
    }

    /// YAML-ish text built from the characters that matter to YAML never panics the reader.
    #[test]
    fn yaml_shaped_text_never_panics(text in "[a-z.:# \\n\\-\\[\\]{}'\"&*!|>0-9]{0,200}") {
        let _ = parse_standard_yaml("f", &text);
    }
}
