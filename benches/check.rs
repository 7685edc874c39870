//! `check` on a very large configuration (issue 12: 300,000 keys in under a second), loaded from disk as the command
//! loads it, then checked and rendered as the table a pipe gets (its 1,000 most severe rows) and as JSON. Two files,
//! each with a few real findings (a fraction Flink refuses, a size without a unit, a removed key):
//! - `unknown`: 300,000 keys no release reads, each far from every key it does;
//! - `varied`: 300,000 keys as a file that grew by hand might hold them: typos of real keys (did-you-mean, near or too
//!   far), unknown keys under a real prefix, plugin keys, nested maps and typos of a real key's first segment.
//!
//! Whole-process CPU time and peak memory of the same input: `/usr/bin/time -v flinktune check FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use flinktune::check_report;
use flinktune::conf_source::{ConfigSource, load};
use flinktune::{Catalogue, FlinkVersion};

/// The keys of each file besides its few findings.
const KEYS: usize = 300_000;

const FINDINGS: &str = "taskmanager.memory.process.size: 4g\n\
                        taskmanager.memory.managed.fraction: 1.0\n\
                        taskmanager.memory.network.min: 64\n\
                        state.backend: rocksdb\n";

fn unknown_file() -> String {
    let mut text = String::from(FINDINGS);
    for index in 0..KEYS {
        text.push_str(&format!("custom.key.{index}: value\n"));
    }
    text
}

/// A deterministic stream of numbers (a linear congruential generator: the bench needs the same file every run, not
/// good randomness).
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    /// `key` with one to three slips (a letter replaced, added or dropped).
    fn typo(&mut self, key: &str) -> String {
        const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz.-";
        let mut bytes = key.as_bytes().to_vec();
        for _ in 0..[1, 1, 2, 3][self.below(4)] {
            let at = self.below(bytes.len() + 1);
            let letter = LETTERS[self.below(LETTERS.len())];
            match self.below(3) {
                0 if at < bytes.len() => bytes[at] = letter,
                1 => bytes.insert(at, letter),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.push(letter),
            }
        }
        String::from_utf8(bytes).unwrap()
    }
}

fn varied_file(version: FlinkVersion) -> String {
    let real: Vec<&str> = Catalogue::get()
        .keys(version)
        .filter(|key| !key.contains('<'))
        .collect();
    let mut numbers = Numbers(12);
    let mut seen: HashSet<String> = real.iter().map(|key| key.to_string()).collect();
    let mut text = String::from(FINDINGS);
    let mut keys = 0;
    let mut index = 0;
    while keys < KEYS {
        index += 1;
        let key = real[numbers.below(real.len())];
        let line = match index % 8 {
            // Typos of real keys, three in eight: near enough for a suggestion, or too far.
            0..=2 => {
                let typo = numbers.typo(key);
                if !typo.contains('.') || typo.starts_with(['.', '-']) || seen.contains(&typo) {
                    continue;
                }
                seen.insert(typo.clone());
                format!("{typo}: 1g\n")
            }
            3 => {
                let prefix = key.rsplit_once('.').map_or(key, |(prefix, _)| prefix);
                format!("{prefix}.custom-{index}: value\n")
            }
            4 => format!("metrics.reporter.r{index}.port: 9249\n"),
            5 => {
                keys += 3;
                format!(
                    "group{index}:\n  memory:\n{}",
                    (0..4)
                        .map(|sub| format!("    sub{sub}.size: {sub}g\n"))
                        .collect::<String>()
                )
            }
            6 => format!("custom.key.{index}: value\n"),
            _ => {
                let Some((head, rest)) = key.split_once('.') else {
                    continue;
                };
                format!("{}-{index}:\n  {rest}: 1\n", numbers.typo(head))
            }
        };
        text.push_str(&line);
        keys += 1;
    }
    text
}

fn check_large(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("flinktune-bench-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let version: FlinkVersion = "2.3".parse().unwrap();
    let mut group = c.benchmark_group("check 300k keys");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (name, text) in [
        ("unknown", unknown_file()),
        ("varied", varied_file(version)),
    ] {
        let file = dir.join(name).join("config.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        let source = ConfigSource::File(file);
        for (format, json) in [("table", false), ("json", true)] {
            group.bench_function(format!("{name}: load+check+{format}"), |b| {
                b.iter(|| {
                    let loaded = load(black_box(&source), version, &[]).unwrap();
                    black_box(check_report(&loaded, version, json))
                })
            });
        }
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, check_large);
criterion_main!(benches);
