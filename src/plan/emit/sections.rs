//! The report's content once, as a headline and titled tables with notes, for the table, Markdown and HTML
//! renderers to lay out alike. Numbers are shown for people (`12.5 GiB`, `4 min`, `68%`); JSON carries the exact
//! ones.

use std::time::Duration;

use crate::text::units::{cores, show};

use super::super::capacity::percent;
use super::super::choice::Basis;
use super::super::cost::money;
use super::super::{Plan, Sizing, TypePlan};

/// One titled table and the notes under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

/// The lines above the tables: the inputs and the verdict.
pub(crate) fn headline(plan: &Plan) -> Vec<String> {
    let input = &plan.input;
    let profile = &input.profile;
    let mut lines = vec![format!(
        "Capacity plan ({}) for Flink {}, profile {}: {} records/s at {} per subtask, {}% target utilization, state {}",
        super::MARKER,
        input.version,
        profile.name,
        input.input_rate,
        input.slot_throughput,
        percent(input.target_utilization),
        profile.state_size.map_or("not given".to_string(), show),
    )];
    lines.push(format!(
        "Growth {}%/month (state {}%/month) over {} months; catch-up quoted after a {} outage",
        percent(input.growth.rate_per_month),
        percent(input.growth.state_per_month),
        input.growth.horizon_months,
        duration(input.outage)
    ));
    lines.push(match plan.choice.best {
        Some(best) => {
            let winner = &plan.types[best];
            let hosts = winner.sizing.as_ref().map_or(0, |s| s.hosts);
            format!(
                "Cheapest that fits: {}, {} hosts{}",
                winner.host_type.name,
                hosts,
                match (&winner.sizing, plan.choice.basis) {
                    (
                        Ok(Sizing {
                            cost: Some(cost), ..
                        }),
                        Basis::Cost,
                    ) => format!(", {} per month", money(cost.per_month)),
                    _ => " (no prices given: the fewest cores in all)".to_string(),
                }
            )
        }
        None => "No host type fits: see why below".to_string(),
    });
    lines
}

/// Every section, in reading order.
pub(crate) fn sections(plan: &Plan) -> Vec<Section> {
    let mut sections = vec![overview(plan), memory(plan), checkpoints(plan)];
    if let Some(section) = what_if(plan) {
        sections.push(section);
    }
    sections.push(growth(plan));
    sections.push(verdicts(plan));
    sections
}

fn sized(plan: &Plan) -> impl Iterator<Item = (&TypePlan, &Sizing)> {
    plan.types
        .iter()
        .filter_map(|t| t.sizing.as_ref().ok().map(|s| (t, s)))
}

fn overview(plan: &Plan) -> Section {
    let outage = duration(plan.input.outage);
    let rows = plan
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| match &t.sizing {
            Ok(s) => {
                let layout = &s.advised.recommendation.layout;
                vec![
                    t.host_type.name.clone(),
                    shape(t),
                    s.hosts.to_string(),
                    format!(
                        "{} x {} slots",
                        layout.taskmanagers_per_host, layout.slots_per_taskmanager
                    ),
                    format!(
                        "{} / {}",
                        s.advised.recommendation.parallelism, s.max_parallelism
                    ),
                    format!("{}%", percent(s.utilization)),
                    show(s.advised.recommendation.jobmanager_memory.total_process),
                    duration(s.estimates.restore),
                    s.catch_up.map_or("never".to_string(), duration),
                    s.cost.map_or("-".to_string(), |c| money(c.per_month)),
                    verdict(plan, i),
                ]
            }
            Err(_) => {
                let mut row = vec![t.host_type.name.clone(), shape(t)];
                row.extend(std::iter::repeat_n("-".to_string(), 8));
                row.push(verdict(plan, i));
                row
            }
        })
        .collect();
    Section {
        title: "Host types".to_string(),
        header: strings(&[
            "host type",
            "shape",
            "hosts",
            "TaskManagers x slots per host",
            "parallelism / max",
            "utilization",
            "JobManager",
            "restore",
            &format!("catch-up after {outage}"),
            "per month",
            "verdict",
        ]),
        rows,
        notes: Vec::new(),
    }
}

fn memory(plan: &Plan) -> Section {
    let rows = sized(plan)
        .map(|(t, s)| {
            let m = &s.advised.recommendation.taskmanager_memory;
            vec![
                t.host_type.name.clone(),
                show(m.total_process),
                cores(s.advised.recommendation.layout.cores_per_taskmanager),
                show(m.framework_heap),
                show(m.task_heap),
                show(m.managed),
                show(m.framework_off_heap),
                show(m.task_off_heap),
                show(m.network),
                show(m.jvm_metaspace),
                show(m.jvm_overhead),
                show(m.jvm_heap()),
            ]
        })
        .collect();
    Section {
        title: "Memory per TaskManager, as Flink resolves it".to_string(),
        header: strings(&[
            "host type",
            "process",
            "cores",
            "framework heap",
            "task heap",
            "managed",
            "framework off-heap",
            "task off-heap",
            "network",
            "metaspace",
            "overhead",
            "JVM heap",
        ]),
        rows,
        notes: vec![
            "The same layout and memory `flinktune recommend` writes for one host of the type with --hosts set to \
             the count; the components add up to the process size."
                .to_string(),
        ],
    }
}

fn checkpoints(plan: &Plan) -> Section {
    let rows = sized(plan)
        .map(|(t, s)| {
            let e = &s.estimates;
            vec![
                t.host_type.name.clone(),
                s.advised
                    .recommendation
                    .layout
                    .backend
                    .as_ref()
                    .map_or("none".to_string(), |b| b.kind.flink_name().to_string()),
                show(e.state_per_taskmanager),
                e.checkpoint_interval.map_or("off".to_string(), duration),
                e.checkpoint_duration.map_or("-".to_string(), duration),
                show(e.upload_per_checkpoint),
                format!("{}/s", show(e.upload_per_second)),
                show(e.checkpoint_storage),
                show(s.local_disk_per_host()),
                s.ingest_per_host
                    .map_or("-".to_string(), |i| format!("{}/s", show(i))),
            ]
        })
        .collect();
    let mut notes = vec![
        "Checkpoint storage holds the retained checkpoint (the whole state); the upload rate is every TaskManager's \
         upload per checkpoint over the interval; local disk is RocksDB's files with room for compaction plus the \
         local-recovery copy."
            .to_string(),
    ];
    for (t, s) in sized(plan) {
        for warning in s
            .estimates
            .warnings
            .iter()
            .chain(&s.advised.recommendation.warnings)
        {
            let note = format!("{}: {warning}", t.host_type.name);
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    Section {
        title: "Checkpoints, state and recovery".to_string(),
        header: strings(&[
            "host type",
            "state backend",
            "state per TaskManager",
            "checkpoint every",
            "checkpoint takes",
            "uploaded per TaskManager",
            "upload rate",
            "checkpoint storage",
            "local disk per host",
            "ingest per host",
        ]),
        rows,
        notes,
    }
}

/// The type the what-if table is about: the winner, else the first sized type.
pub(crate) fn what_if_type(plan: &Plan) -> Option<&TypePlan> {
    plan.choice
        .best
        .map(|i| &plan.types[i])
        .or_else(|| plan.types.iter().find(|t| t.sizing.is_ok()))
}

fn what_if(plan: &Plan) -> Option<Section> {
    let t = what_if_type(plan)?;
    let s = t.sizing.as_ref().ok()?;
    let rows = s
        .what_if
        .iter()
        .map(|row| {
            vec![
                format!("{}%", row.percent),
                row.hosts.to_string(),
                row.slots.to_string(),
                row.utilization
                    .map_or("-".to_string(), |u| format!("{}%", percent(u))),
                match (&row.problem, row.catch_up) {
                    (Some(_), _) => "-".to_string(),
                    (None, Some(time)) => duration(time),
                    (None, None) => "never".to_string(),
                },
                row.cost.map_or("-".to_string(), |c| money(c.per_month)),
                row.problem.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Some(Section {
        title: format!("What if: {} from 50% to 300% of the planned size", t.host_type.name),
        header: strings(&[
            "size",
            "hosts",
            "slots",
            "utilization (every slot)",
            &format!("catch-up after {}", duration(plan.input.outage)),
            "per month",
            "problem",
        ]),
        rows,
        notes: vec![
            "Each size is planned by the advisor with the job spread over every slot; over 100% it falls behind."
                .to_string(),
        ],
    })
}

fn growth(plan: &Plan) -> Section {
    let horizon = plan.input.growth.horizon_months;
    let rows = sized(plan)
        .map(|(t, s)| {
            let h = &s.horizon;
            let at = |month: Option<&super::super::growth::Month>| {
                month
                    .and_then(|m| m.utilization)
                    .map_or("-".to_string(), |u| format!("{}%", percent(u)))
            };
            vec![
                t.host_type.name.clone(),
                s.hosts.to_string(),
                at(h.months.first()),
                at(h.months.last()),
                h.runs_out
                    .map_or(format!("not within {horizon} months"), |m| {
                        if m == 0 {
                            "now".to_string()
                        } else {
                            format!("month {m}")
                        }
                    }),
                match &h.hosts_at_end {
                    Ok(hosts) => hosts.to_string(),
                    Err(reason) => format!("cannot: {reason}"),
                },
            ]
        })
        .collect();
    let end = plan
        .types
        .iter()
        .find_map(|t| t.sizing.as_ref().ok().and_then(|s| s.horizon.months.last()));
    Section {
        title: format!("Growth over {horizon} months"),
        header: strings(&[
            "host type",
            "hosts now",
            "utilization now (every slot)",
            &format!("at month {horizon}"),
            "runs out of headroom",
            &format!("hosts needed at month {horizon}"),
        ]),
        rows,
        notes: end
            .map(|m| {
                vec![format!(
                    "At month {}: {} records/s, state {}.",
                    m.month,
                    m.input_rate,
                    m.state_size.map_or("not given".to_string(), show)
                )]
            })
            .unwrap_or_default(),
    }
}

fn verdicts(plan: &Plan) -> Section {
    let notes = plan
        .types
        .iter()
        .zip(&plan.choice.reasons)
        .map(|(t, reason)| {
            let verdict = match reason {
                None => format!("{}: the cheapest that fits", t.host_type.name),
                Some(reason) => format!("{}: {reason}", t.host_type.name),
            };
            match (&t.sizing, t.host_type.max_count) {
                (Ok(s), Some(max)) if s.horizon.hosts_at_end.as_ref().is_ok_and(|h| *h > max) => format!(
                    "{verdict}; by month {} it needs {} hosts, more than the {max} that can be had",
                    plan.input.growth.horizon_months,
                    s.horizon.hosts_at_end.as_ref().map_or(0, |h| *h)
                ),
                _ => verdict,
            }
        })
        .collect();
    Section {
        title: "Why each type wins or loses".to_string(),
        header: Vec::new(),
        rows: Vec::new(),
        notes,
    }
}

fn verdict(plan: &Plan, index: usize) -> String {
    match plan.choice.reasons.get(index) {
        Some(None) => "cheapest that fits".to_string(),
        Some(Some(_)) if plan.types[index].blocker().is_some() => "does not fit".to_string(),
        Some(Some(_)) => "fits, costs more".to_string(),
        None => String::new(),
    }
}

/// `8 cores, 32 GiB, SSD` (and `pod`).
fn shape(t: &TypePlan) -> String {
    let spec = &t.host_type.spec;
    format!(
        "{} cores, {}, {}{}",
        cores(spec.usable_cores().value),
        show(spec.usable_memory().value),
        spec.disk.value,
        if t.host_type.pod { ", pod" } else { "" }
    )
}

/// A duration for people: `45 s`, `12 min`, `2.5 h`.
pub(crate) fn duration(time: Duration) -> String {
    let seconds = time.as_secs_f64();
    if seconds < 90.0 {
        format!("{} s", seconds.round())
    } else if seconds < 90.0 * 60.0 {
        format!("{} min", (seconds / 60.0).round())
    } else if seconds < 48.0 * 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} days", seconds / 86400.0)
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
