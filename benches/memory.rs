//! The memory model's cost: parsing a config file and deriving both processes, the work `flinktune memory` does
//! between reading the file and printing. Whole-process wall time against Flink's BashJavaUtils is measured by
//! scripts/bench-memory.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flinktune::FlinkVersion;
use flinktune::{jobmanager_memory, taskmanager_memory};
use flinktune::{parse_legacy_file, parse_standard_yaml};

const SHIPPED_DEFAULTS: &str = "jobmanager.memory.process.size: 1600m\ntaskmanager.memory.process.size: 1728m\n\
    taskmanager.numberOfTaskSlots: 1\nparallelism.default: 1\njobmanager.execution.failover-strategy: region\n";

const FINE_GRAINED_YAML: &str = "taskmanager:\n  memory:\n    task.heap.size: 6g\n    managed.size: 8g\n    \
    network.min: 256m\n    network.max: 2g\n    network.fraction: 0.15\n    jvm-overhead.fraction: 0.12\n  \
    numberOfTaskSlots: 8\n  cpu.cores: 8\njobmanager:\n  memory:\n    heap.size: 2g\n    flink.size: 2304m\n";

fn memory(c: &mut Criterion) {
    let version = FlinkVersion::line(2, 3);
    c.bench_function("parse+derive shipped defaults (config.yaml)", |b| {
        b.iter(|| {
            let loaded = parse_standard_yaml("config.yaml", black_box(SHIPPED_DEFAULTS)).unwrap();
            let tm = taskmanager_memory(&loaded.configuration, version, None).unwrap();
            let jm = jobmanager_memory(&loaded.configuration, version, None).unwrap();
            black_box((tm.jvm_args(), jm.jvm_args()))
        })
    });
    c.bench_function("parse+derive fine-grained nested (config.yaml)", |b| {
        b.iter(|| {
            let loaded = parse_standard_yaml("config.yaml", black_box(FINE_GRAINED_YAML)).unwrap();
            black_box(
                taskmanager_memory(&loaded.configuration, version, None)
                    .unwrap()
                    .dynamic_configs(),
            )
        })
    });
    c.bench_function(
        "parse+derive shipped defaults (legacy flink-conf.yaml, 1.20)",
        |b| {
            let version = FlinkVersion::line(1, 20);
            b.iter(|| {
                let loaded = parse_legacy_file("flink-conf.yaml", black_box(SHIPPED_DEFAULTS));
                black_box(
                    taskmanager_memory(&loaded.configuration, version, None)
                        .unwrap()
                        .jvm_args(),
                )
            })
        },
    );
}

criterion_group!(benches, memory);
criterion_main!(benches);
