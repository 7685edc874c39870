//! `check` on a very large configuration (issue 12: 300,000 keys in under a second): 300,000 keys no release reads
//! plus a few real findings (a fraction Flink refuses, a size without a unit, a removed key), loaded from disk as the
//! command loads it, then checked and rendered as the table a pipe gets (its 1,000 most severe rows) and as JSON.
//! Whole-process CPU time and peak memory of the same input: `/usr/bin/time -v flinktune check FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use flinktune::FlinkVersion;
use flinktune::check_report;
use flinktune::conf_source::{ConfigSource, load};

/// The unknown keys of the file.
const KEYS: usize = 300_000;

fn large_file() -> String {
    let mut text = String::from(
        "taskmanager.memory.process.size: 4g\n\
         taskmanager.memory.managed.fraction: 1.0\n\
         taskmanager.memory.network.min: 64\n\
         state.backend: rocksdb\n",
    );
    for index in 0..KEYS {
        text.push_str(&format!("custom.key.{index}: value\n"));
    }
    text
}

fn check_large(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("flinktune-bench-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.yaml");
    std::fs::write(&file, large_file()).unwrap();
    let version: FlinkVersion = "2.3".parse().unwrap();
    let source = ConfigSource::File(file);
    let mut group = c.benchmark_group("check 300k keys");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (label, json) in [("load+check+table", false), ("load+check+json", true)] {
        group.bench_function(label, |b| {
            b.iter(|| {
                let loaded = load(black_box(&source), version, &[]).unwrap();
                black_box(check_report(&loaded, version, json))
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, check_large);
criterion_main!(benches);
