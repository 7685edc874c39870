//! The plan's arithmetic invariants, on chosen cases and on random inputs: capacity covers the input rate at the
//! target utilization (and one host fewer would not); every TaskManager's memory resolves in the memory model to the
//! planned sizes; cost adds up; a plan for one host type is `recommend`'s plan for that many hosts; nothing panics.

use std::time::Duration;

use proptest::prelude::*;

use crate::advisor::parallelism::TARGET_UTILIZATION;
use crate::advisor::{AdviceInput, as_configuration, recommend};
use crate::flink::MemorySize;
use crate::flink::memory::{jobmanager_memory, taskmanager_memory};
use crate::host::{DiskKind, HostSpec};
use crate::profile::embedded::embedded_profile;
use crate::text::table::PLAIN;

use super::advise::{Load, advise};
use super::capacity::covers;
use super::cost::HOURS_PER_MONTH;
use super::emit::{PlanFormat, render};
use super::*;

fn host_type(name: &str, cores: f64, memory_gib: u64, price: Option<f64>) -> HostType {
    HostType {
        name: name.to_string(),
        spec: HostSpec::planned(cores, MemorySize::gibibytes(memory_gib), DiskKind::Ssd),
        disk_size: None,
        price_per_hour: price,
        max_count: None,
        pod: false,
    }
}

fn input(rate: u64, throughput: u64, state_gib: Option<u64>, types: Vec<HostType>) -> PlanInput {
    let mut profile = embedded_profile("balanced").unwrap();
    profile.input_rate = Some(rate);
    profile.slot_throughput = Some(throughput);
    profile.state_size = state_gib.map(MemorySize::gibibytes);
    profile.checkpoint_dir = Some("s3://bucket/checkpoints".to_string());
    PlanInput {
        profile,
        input_rate: rate,
        slot_throughput: throughput,
        version: "2.3".parse().unwrap(),
        host_types: types,
        min_hosts: 1,
        jobmanager_on_host: false,
        target_utilization: TARGET_UTILIZATION,
        growth: Growth {
            rate_per_month: 0.05,
            state_per_month: 0.05,
            horizon_months: 6,
        },
        outage: Duration::from_secs(600),
        record_size: Some(MemorySize::from_bytes(1024)),
        local_state_dir: None,
        allow_local_checkpoints: false,
        working_dir: None,
    }
}

/// Every invariant of one type's plan; `Err` names the first that breaks.
fn check_invariants(input: &PlanInput, t: &TypePlan) -> Result<(), String> {
    let Ok(s) = &t.sizing else {
        return Ok(());
    };
    let r = &s.advised.recommendation;
    let layout = &r.layout;
    // Capacity covers the target at the headroom, within the slots the cluster has.
    let capacity = f64::from(r.parallelism) * input.slot_throughput as f64;
    if !covers(input.input_rate as f64 / capacity, input.target_utilization) {
        return Err(format!(
            "parallelism {} does not cover the rate",
            r.parallelism
        ));
    }
    if r.parallelism > layout.total_slots() || s.hosts < input.min_hosts || layout.hosts != s.hosts
    {
        return Err(format!(
            "parallelism {} over {} slots",
            r.parallelism,
            layout.total_slots()
        ));
    }
    // The memory resolves in the model to what the plan shows, and adds up.
    let configuration = as_configuration(&r.settings);
    let tm =
        taskmanager_memory(&configuration, input.version, None).map_err(|e| format!("{e:?}"))?;
    if tm != r.taskmanager_memory || tm.total_process != layout.taskmanager_process {
        return Err("the TaskManager memory does not resolve to the plan's".to_string());
    }
    let parts = [
        tm.framework_heap,
        tm.task_heap,
        tm.managed,
        tm.framework_off_heap,
        tm.task_off_heap,
        tm.network,
        tm.jvm_metaspace,
        tm.jvm_overhead,
    ]
    .iter()
    .map(|size| size.bytes())
    .sum::<u64>();
    if parts != tm.total_process.bytes() {
        return Err(format!(
            "components {parts} != process {}",
            tm.total_process.bytes()
        ));
    }
    let jm =
        jobmanager_memory(&configuration, input.version, None).map_err(|e| format!("{e:?}"))?;
    if jm != r.jobmanager_memory {
        return Err("the JobManager memory does not resolve to the plan's".to_string());
    }
    let per_host = tm.total_process.bytes() * u64::from(layout.taskmanagers_per_host);
    if per_host > t.host_type.spec.usable_memory().value.bytes() {
        return Err(format!(
            "{per_host} bytes of TaskManagers on a smaller host"
        ));
    }
    // Cost adds up.
    if let (Some(price), Some(cost)) = (t.host_type.price_per_hour, s.cost) {
        let expected = price * f64::from(s.hosts) * HOURS_PER_MONTH;
        if (cost.per_month - expected).abs() > 1e-6 * expected.max(1.0) || cost.hosts != s.hosts {
            return Err(format!("cost {} != {expected}", cost.per_month));
        }
    }
    for row in &s.what_if {
        if let (Some(price), Some(cost)) = (t.host_type.price_per_hour, row.cost)
            && (cost.per_month - price * f64::from(row.hosts) * HOURS_PER_MONTH).abs() > 1e-6
        {
            return Err(format!("what-if cost at {}%", row.percent));
        }
    }
    if s.horizon.months.len() != input.growth.horizon_months as usize + 1 {
        return Err("a month is missing from the horizon".to_string());
    }
    Ok(())
}

#[test]
fn capacity_covers_the_target_and_one_host_fewer_would_not() {
    for (rate, throughput, state, cores, memory) in [
        (200_000, 5_000, Some(200), 16.0, 64),
        (1_000, 5_000, None, 2.0, 8),
        (50_000, 800, Some(20), 8.0, 32),
        (3_000_000, 20_000, Some(2_000), 64.0, 256),
    ] {
        let input = input(
            rate,
            throughput,
            state,
            vec![host_type("t", cores, memory, Some(1.0))],
        );
        let planned = plan(input.clone());
        let t = &planned.types[0];
        check_invariants(&input, t).unwrap();
        let s = t.sizing.as_ref().unwrap();
        if s.hosts > 1 {
            let fewer = advise(&input, &t.host_type, s.hosts - 1, Load::now(&input)).unwrap();
            let busy = input.input_rate as f64
                / (f64::from(fewer.recommendation.parallelism) * throughput as f64);
            assert!(
                !covers(busy, input.target_utilization),
                "{rate}: {} hosts would do",
                s.hosts - 1
            );
        }
    }
}

#[test]
fn a_lower_target_utilization_plans_more_hosts() {
    let hot = plan(input(
        200_000,
        5_000,
        Some(200),
        vec![host_type("t", 16.0, 64, None)],
    ));
    let mut cool_input = input(
        200_000,
        5_000,
        Some(200),
        vec![host_type("t", 16.0, 64, None)],
    );
    cool_input.target_utilization = 0.5;
    let cool = plan(cool_input.clone());
    check_invariants(&cool_input, &cool.types[0]).unwrap();
    let hosts = |p: &Plan| p.types[0].sizing.as_ref().unwrap().hosts;
    assert!(
        hosts(&cool) > hosts(&hot),
        "{} vs {}",
        hosts(&cool),
        hosts(&hot)
    );
    assert!(cool.types[0].sizing.as_ref().unwrap().utilization <= 0.5);
}

#[test]
fn one_host_type_plan_is_recommend_for_that_many_hosts() {
    let input = input(
        200_000,
        5_000,
        Some(200),
        vec![host_type("t", 16.0, 64, None)],
    );
    let planned = plan(input.clone());
    let s = planned.types[0].sizing.as_ref().unwrap();
    let mut host = HostSpec::planned(16.0, MemorySize::gibibytes(64), DiskKind::Ssd);
    host.hosts = s.hosts;
    let advice = recommend(&AdviceInput {
        host: &host,
        profile: &input.profile,
        version: input.version,
        local_state_dir: None,
        allow_local_checkpoints: false,
        working_dir: None,
        pins: crate::advisor::Pins::default(),
    })
    .unwrap();
    let planned = &s.advised.recommendation;
    assert_eq!(planned.layout, advice.layout);
    assert_eq!(planned.taskmanager_memory, advice.taskmanager_memory);
    assert_eq!(planned.jobmanager_memory, advice.jobmanager_memory);
    assert_eq!(planned.parallelism, advice.parallelism);
    assert_eq!(planned.settings, advice.settings);
}

#[test]
fn the_cheapest_fitting_type_wins_and_the_others_say_why() {
    let mut small = host_type("small", 4.0, 16, Some(0.2));
    small.max_count = Some(2);
    let types = vec![
        host_type("dear", 16.0, 64, Some(5.0)),
        host_type("cheap", 16.0, 64, Some(0.5)),
        small,
        host_type("unpriced", 8.0, 32, None),
    ];
    let planned = plan(input(200_000, 5_000, Some(100), types));
    assert_eq!(planned.choice.best, Some(1));
    let reasons = &planned.choice.reasons;
    assert!(
        reasons[0]
            .as_deref()
            .unwrap()
            .contains("more per month than cheap"),
        "{reasons:?}"
    );
    assert!(
        reasons[2]
            .as_deref()
            .unwrap()
            .contains("at most 2 can be had"),
        "{reasons:?}"
    );
    assert_eq!(reasons[1], None);
    assert!(
        reasons[3].as_deref().unwrap().contains("no price-per-hour"),
        "{reasons:?}"
    );
    assert_eq!(planned.choice.basis, choice::Basis::Cost);
    // With no prices at all, the fewest cores in all wins, and the reasons say how they were compared.
    let unpriced = plan(input(
        200_000,
        5_000,
        Some(100),
        vec![
            host_type("big", 32.0, 128, None),
            host_type("small", 8.0, 32, None),
        ],
    ));
    assert_eq!(unpriced.choice.basis, choice::Basis::Cores);
    let totals: Vec<f64> = unpriced
        .types
        .iter()
        .map(|t| {
            t.host_type.spec.usable_cores().value * f64::from(t.sizing.as_ref().unwrap().hosts)
        })
        .collect();
    let best = unpriced.choice.best.unwrap();
    assert!(
        totals.iter().all(|total| *total >= totals[best]),
        "{totals:?}"
    );
}

#[test]
fn a_job_wider_than_the_source_partitions_is_no_plan() {
    let mut input = input(200_000, 5_000, None, vec![host_type("t", 16.0, 64, None)]);
    input.profile.source_partitions = Some(12);
    let planned = plan(input);
    let reason = planned.types[0].sizing.as_ref().unwrap_err();
    assert!(reason.contains("12 partitions"), "{reason}");
    assert_eq!(planned.choice.best, None);
}

#[test]
fn growth_runs_out_of_headroom_in_the_month_the_rate_passes_it() {
    let mut input = input(70_000, 1_000, None, vec![host_type("t", 10.0, 40, None)]);
    input.growth = Growth {
        rate_per_month: 0.10,
        state_per_month: 0.0,
        horizon_months: 12,
    };
    let planned = plan(input.clone());
    let s = planned.types[0].sizing.as_ref().unwrap();
    let slots = s.advised.recommendation.layout.total_slots();
    // The first month whose rate the cluster's slots cannot carry at 70%.
    let expected = (0..=12).find(|&m| {
        Growth::grown(70_000, 0.10, m) as f64
            > f64::from(slots) * 1_000.0 * TARGET_UTILIZATION + 1e-6
    });
    assert_eq!(s.horizon.runs_out, expected);
    assert!(s.horizon.hosts_at_end.as_ref().unwrap() > &s.hosts);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random host shapes and jobs: no panic anywhere (plan and every renderer), and the invariants hold wherever a
    /// type could be planned.
    #[test]
    fn plans_never_panic_and_keep_their_invariants(
        cores_tenths in 5u32..1000,
        memory_gib in 1u64..800,
        rate in 0u64..5_000_000,
        throughput in 1u64..100_000,
        state_gib in proptest::option::of(0u64..5_000),
        utilization_percent in 10u32..95,
        growth_percent in 0u32..30,
        horizon in 0u32..4,
        price in proptest::option::of(0.0f64..10.0),
        max_count in proptest::option::of(1u32..50),
        pod in any::<bool>(),
        jobmanager_on_host in any::<bool>(),
    ) {
        let mut host_type = host_type("t<&>\"x\"", f64::from(cores_tenths) / 10.0, memory_gib, price);
        host_type.max_count = max_count;
        host_type.pod = pod;
        let mut input = input(rate, throughput, state_gib, vec![host_type]);
        input.target_utilization = f64::from(utilization_percent) / 100.0;
        input.jobmanager_on_host = jobmanager_on_host;
        input.growth = Growth {
            rate_per_month: f64::from(growth_percent) / 100.0,
            state_per_month: f64::from(growth_percent) / 100.0,
            horizon_months: horizon,
        };
        let planned = plan(input.clone());
        for t in &planned.types {
            if let Err(broken) = check_invariants(&input, t) {
                prop_assert!(false, "{broken}");
            }
        }
        for format in [PlanFormat::Table, PlanFormat::Markdown, PlanFormat::Html] {
            let text = render(&planned, format, PLAIN);
            prop_assert!(text.contains(super::emit::MARKER));
            if format != PlanFormat::Table {
                prop_assert!(!text.contains("t<&>"), "unescaped name in {format:?}");
            }
        }
        let json = render(&planned, PlanFormat::Json, PLAIN);
        prop_assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
}
