//! The advisor's cost: every rule, the memory-model checks inside them, and rendering the config file, for a small
//! and a large host. Whole-process wall time and peak memory are measured by scripts/bench-recommend.sh.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flinktune::MemorySize;
use flinktune::embedded_profile;
use flinktune::{AdviceInput, recommend};
use flinktune::{ConfigFormat, Header, render};
use flinktune::{DiskKind, HostSpec};

fn advise(c: &mut Criterion) {
    let header = Header {
        tool_version: "bench".to_string(),
        command: "flinktune recommend".to_string(),
        inputs: vec![],
    };
    for (label, cores, memory_gib, profile) in [
        (
            "recommend+render 4 cores 16 GiB balanced",
            4.0,
            16,
            "balanced",
        ),
        (
            "recommend+render 96 cores 768 GiB large-state",
            96.0,
            768,
            "large-state",
        ),
    ] {
        let host = HostSpec::planned(cores, MemorySize::gibibytes(memory_gib), DiskKind::Ssd);
        let mut profile = embedded_profile(profile).unwrap();
        profile.checkpoint_dir = Some("s3://bucket/checkpoints".to_string());
        c.bench_function(label, |b| {
            b.iter(|| {
                let recommendation = recommend(&AdviceInput {
                    host: black_box(&host),
                    profile: black_box(&profile),
                    version: "2.3".parse().unwrap(),
                    local_state_dir: None,
                    allow_local_checkpoints: false,
                    working_dir: None,
                    pins: Default::default(),
                })
                .unwrap();
                black_box(render(&recommendation, ConfigFormat::Yaml, &header).unwrap())
            })
        });
    }
}

criterion_group!(benches, advise);
criterion_main!(benches);
