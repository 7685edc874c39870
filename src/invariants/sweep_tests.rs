//! The self-consistency property (issue 11): over random hosts, profiles, hints and releases, what `recommend`
//! returns breaks no invariant at error level, and `check`'s rules (keys, memory, JVM options, risks, invariants)
//! find no error in it and no warning `recommend` did not print itself. Where the inputs leave no coherent plan,
//! `recommend` refuses with one line.

use std::time::Duration;

use proptest::prelude::*;

use crate::advisor::{AdviceInput, as_configuration, recommend};
use crate::check::{Severity, invariant_rules, jvm_rules, key_rules, memory_rules, risk_rules};
use crate::flink::MemorySize;
use crate::flink::catalogue::Catalogue;
use crate::host::{DiskKind, HostSpec};
use crate::profile::embedded::{embedded_profile, names};
use crate::profile::{BackendChoice, Deployment, JobProfile};

const VERSIONS: [&str; 7] = ["1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.3"];

#[derive(Debug, Clone)]
struct Case {
    cores: u32,
    memory_gib: u64,
    hosts: u32,
    disk: DiskKind,
    jobmanager_on_host: bool,
    profile: &'static str,
    version: &'static str,
    kubernetes: bool,
    state_mib: Option<u64>,
    rate: Option<(u64, u64)>,
    latency_ms: Option<u64>,
    exactly_once: bool,
    rto_s: Option<u64>,
    backend: Option<BackendChoice>,
}

fn cases() -> impl Strategy<Value = Case> {
    let profiles: Vec<&'static str> = names().collect();
    (
        (
            1u32..=128,
            1u64..=1024,
            1u32..=64,
            prop::sample::select(vec![DiskKind::Ssd, DiskKind::Hdd, DiskKind::Unknown]),
        ),
        (
            any::<bool>(),
            prop::sample::select(profiles),
            prop::sample::select(VERSIONS.to_vec()),
            any::<bool>(),
        ),
        (
            prop::option::of(1u64..=8_000_000),
            prop::option::of((1u64..=10_000_000, 1u64..=1_000_000)),
            prop::option::of(1u64..=120_000),
            any::<bool>(),
            prop::option::of(10u64..=7200),
            prop::option::of(prop::sample::select(vec![
                BackendChoice::HashMap,
                BackendChoice::RocksDb,
                BackendChoice::ForSt,
            ])),
        ),
    )
        .prop_map(
            |(
                (cores, memory_gib, hosts, disk),
                (jobmanager_on_host, profile, version, kubernetes),
                (state_mib, rate, latency_ms, exactly_once, rto_s, backend),
            )| Case {
                cores,
                memory_gib,
                hosts,
                disk,
                jobmanager_on_host,
                profile,
                version,
                kubernetes,
                state_mib,
                rate,
                latency_ms,
                exactly_once,
                rto_s,
                backend,
            },
        )
}

fn inputs(case: &Case) -> (HostSpec, JobProfile) {
    let mut host = HostSpec::planned(
        f64::from(case.cores),
        MemorySize::gibibytes(case.memory_gib),
        case.disk,
    );
    host.hosts = case.hosts;
    host.jobmanager_on_host = case.jobmanager_on_host;
    let mut profile = embedded_profile(case.profile).unwrap_or_else(|_| unreachable!());
    // Development sessions keep their own default: checkpoints under the working directory (single_host_checkpoints.rs).
    if profile.purpose != crate::profile::Purpose::Development {
        profile.checkpoint_dir = Some("s3://bucket/checkpoints".into());
        profile.savepoint_dir = Some("s3://bucket/savepoints".into());
    }
    if case.kubernetes {
        profile.deployment = Deployment::Kubernetes;
    }
    if let Some(mib) = case.state_mib {
        profile.state_size = Some(MemorySize::mebibytes(mib));
    }
    if let Some((rate, throughput)) = case.rate {
        profile.input_rate = Some(rate);
        profile.slot_throughput = Some(throughput);
    }
    if let Some(ms) = case.latency_ms {
        profile.latency_target = Some(Duration::from_millis(ms));
    }
    profile.exactly_once_sinks |= case.exactly_once;
    if let Some(seconds) = case.rto_s {
        profile.recovery_time_objective = Duration::from_secs(seconds);
    }
    if let Some(backend) = case.backend {
        profile.state_backend = backend;
    }
    (host, profile)
}

/// IDs (`FT-...`) in a message.
fn id_of(message: &str) -> Option<&str> {
    message.split(':').next().filter(|id| id.starts_with("FT-"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn check_finds_what_recommend_writes_coherent(case in cases()) {
        let (host, profile) = inputs(&case);
        let version = case.version.parse().unwrap_or_else(|_| unreachable!());
        let result = recommend(&AdviceInput {
            host: &host,
            profile: &profile,
            version,
            local_state_dir: None,
            allow_local_checkpoints: false,
            working_dir: Some(std::path::PathBuf::from("/home/dev/project")),
            pins: crate::advisor::Pins::default(),
        });
        let advice = match result {
            Ok(advice) => advice,
            Err(error) => {
                // A refusal is one line that names what to change.
                let message = error.to_string();
                prop_assert!(!message.contains('\n'), "{case:?}: {message}");
                prop_assert!(message.contains("--") || message.contains("FT-"), "{case:?}: {message}");
                return Ok(());
            }
        };
        let configuration = as_configuration(&advice.settings);
        let mut findings = key_rules::findings(&configuration, version, Catalogue::get());
        findings.extend(memory_rules::findings(&configuration, version));
        findings.extend(jvm_rules::findings(&configuration, version));
        findings.extend(risk_rules::findings(&configuration));
        findings.extend(risk_rules::profile_findings(&configuration, &profile));
        findings.extend(invariant_rules::findings(&configuration, version, Some(&profile)));
        for finding in &findings {
            prop_assert!(finding.severity != Severity::Error, "{case:?}: {finding:?}");
            if finding.severity == Severity::Warn {
                // A warning check gives, recommend gave too (same ID for invariants, same gist for the others).
                let said = match id_of(&finding.message) {
                    Some(id) => advice.warnings.iter().any(|w| w.starts_with(id)),
                    None => false,
                };
                prop_assert!(said, "{case:?}: check warns {finding:?}; recommend warned {:?}", advice.warnings);
            }
        }
    }
}
