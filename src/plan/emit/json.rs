//! `plan --format json`: every figure exact (sizes in bytes, durations in milliseconds, utilization as a fraction),
//! each host type's settings as `recommend` would write them, and the verdict. Fields are only ever added.

use std::borrow::Cow;

use serde::Serialize;

use crate::text::json::pretty;

use super::super::choice::Basis;
use super::super::{Plan, Sizing, TypePlan};
use super::{MARKER, Renderer};

pub(crate) struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, plan: &Plan) -> String {
        pretty(&document(plan))
    }
}

#[derive(Serialize)]
struct Document {
    generated_by: String,
    flink_version: String,
    profile: String,
    inputs: Inputs,
    cheapest: Option<String>,
    basis: Basis,
    host_types: Vec<HostTypeJson>,
}

#[derive(Serialize)]
struct Inputs {
    input_rate: u64,
    slot_throughput: u64,
    target_utilization: f64,
    state_size_bytes: Option<u64>,
    growth_per_month: f64,
    state_growth_per_month: f64,
    horizon_months: u32,
    outage_ms: u128,
    record_size_bytes: Option<u64>,
    min_hosts: u32,
    jobmanager_on_host: bool,
}

#[derive(Serialize)]
struct HostTypeJson {
    name: String,
    cores: f64,
    memory_bytes: u64,
    disk: String,
    disk_size_bytes: Option<u64>,
    price_per_hour: Option<f64>,
    max_count: Option<u32>,
    pod: bool,
    fits: bool,
    /// Why it loses (or cannot be planned); null for the winner.
    reason: Option<String>,
    plan: Option<PlanJson>,
}

#[derive(Serialize)]
struct PlanJson {
    hosts: u32,
    taskmanagers_per_host: u32,
    slots_per_taskmanager: u32,
    cores_per_taskmanager: f64,
    total_slots: u32,
    parallelism: u32,
    max_parallelism: u32,
    utilization: f64,
    taskmanager_memory: TaskManagerMemoryJson,
    jobmanager_process_bytes: u64,
    state_backend: Option<String>,
    state_per_taskmanager_bytes: u64,
    checkpoint_interval_ms: Option<u128>,
    checkpoint_duration_ms: Option<u128>,
    checkpoint_upload_per_taskmanager_bytes: u64,
    checkpoint_upload_bytes_per_second: u64,
    checkpoint_storage_bytes: u64,
    local_disk_per_host_bytes: u64,
    ingest_per_host_bytes_per_second: Option<u64>,
    restore_ms: u128,
    /// null: never catches up.
    catch_up_ms: Option<u128>,
    cost: Option<CostJson>,
    what_if: Vec<WhatIfJson>,
    horizon: HorizonJson,
    settings: Vec<SettingJson>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct TaskManagerMemoryJson {
    framework_heap: u64,
    task_heap: u64,
    managed: u64,
    framework_off_heap: u64,
    task_off_heap: u64,
    network: u64,
    jvm_metaspace: u64,
    jvm_overhead: u64,
    total_flink: u64,
    total_process: u64,
    jvm_heap: u64,
    jvm_direct: u64,
}

#[derive(Serialize)]
struct CostJson {
    price_per_hour: f64,
    hosts: u32,
    hours_per_month: f64,
    per_month: f64,
}

#[derive(Serialize)]
struct WhatIfJson {
    percent: u32,
    hosts: u32,
    slots: u32,
    utilization: Option<f64>,
    catch_up_ms: Option<u128>,
    cost_per_month: Option<f64>,
    problem: Option<String>,
}

#[derive(Serialize)]
struct HorizonJson {
    runs_out_month: Option<u32>,
    hosts_at_end: Option<u32>,
    hosts_at_end_problem: Option<String>,
    months: Vec<MonthJson>,
}

#[derive(Serialize)]
struct MonthJson {
    month: u32,
    input_rate: u64,
    state_size_bytes: Option<u64>,
    utilization: Option<f64>,
    within_headroom: bool,
}

#[derive(Serialize)]
struct SettingJson {
    key: Cow<'static, str>,
    value: String,
}

fn document(plan: &Plan) -> Document {
    let input = &plan.input;
    Document {
        generated_by: format!("{MARKER} {}", env!("CARGO_PKG_VERSION")),
        flink_version: input.version.to_string(),
        profile: input.profile.name.clone(),
        inputs: Inputs {
            input_rate: input.input_rate,
            slot_throughput: input.slot_throughput,
            target_utilization: input.target_utilization,
            state_size_bytes: input.profile.state_size.map(|s| s.bytes()),
            growth_per_month: input.growth.rate_per_month,
            state_growth_per_month: input.growth.state_per_month,
            horizon_months: input.growth.horizon_months,
            outage_ms: input.outage.as_millis(),
            record_size_bytes: input.record_size.map(|s| s.bytes()),
            min_hosts: input.min_hosts,
            jobmanager_on_host: input.jobmanager_on_host,
        },
        cheapest: plan
            .choice
            .best
            .map(|i| plan.types[i].host_type.name.clone()),
        basis: plan.choice.basis,
        host_types: plan
            .types
            .iter()
            .zip(&plan.choice.reasons)
            .map(|(t, reason)| host_type(t, reason.clone()))
            .collect(),
    }
}

fn host_type(t: &TypePlan, reason: Option<String>) -> HostTypeJson {
    let spec = &t.host_type.spec;
    HostTypeJson {
        name: t.host_type.name.clone(),
        cores: spec.usable_cores().value,
        memory_bytes: spec.usable_memory().value.bytes(),
        disk: spec.disk.value.to_string().to_lowercase(),
        disk_size_bytes: t.host_type.disk_size.map(|s| s.bytes()),
        price_per_hour: t.host_type.price_per_hour,
        max_count: t.host_type.max_count,
        pod: t.host_type.pod,
        fits: t.blocker().is_none(),
        reason,
        plan: t.sizing.as_ref().ok().map(sizing),
    }
}

fn sizing(s: &Sizing) -> PlanJson {
    let r = &s.advised.recommendation;
    let m = &r.taskmanager_memory;
    let e = &s.estimates;
    PlanJson {
        hosts: s.hosts,
        taskmanagers_per_host: r.layout.taskmanagers_per_host,
        slots_per_taskmanager: r.layout.slots_per_taskmanager,
        cores_per_taskmanager: r.layout.cores_per_taskmanager,
        total_slots: r.layout.total_slots(),
        parallelism: r.parallelism,
        max_parallelism: s.max_parallelism,
        utilization: s.utilization,
        taskmanager_memory: TaskManagerMemoryJson {
            framework_heap: m.framework_heap.bytes(),
            task_heap: m.task_heap.bytes(),
            managed: m.managed.bytes(),
            framework_off_heap: m.framework_off_heap.bytes(),
            task_off_heap: m.task_off_heap.bytes(),
            network: m.network.bytes(),
            jvm_metaspace: m.jvm_metaspace.bytes(),
            jvm_overhead: m.jvm_overhead.bytes(),
            total_flink: m.total_flink.bytes(),
            total_process: m.total_process.bytes(),
            jvm_heap: m.jvm_heap().bytes(),
            jvm_direct: m.jvm_direct().bytes(),
        },
        jobmanager_process_bytes: r.jobmanager_memory.total_process.bytes(),
        state_backend: r
            .layout
            .backend
            .as_ref()
            .map(|b| b.kind.flink_name().to_string()),
        state_per_taskmanager_bytes: e.state_per_taskmanager.bytes(),
        checkpoint_interval_ms: e.checkpoint_interval.map(|d| d.as_millis()),
        checkpoint_duration_ms: e.checkpoint_duration.map(|d| d.as_millis()),
        checkpoint_upload_per_taskmanager_bytes: e.upload_per_checkpoint.bytes(),
        checkpoint_upload_bytes_per_second: e.upload_per_second.bytes(),
        checkpoint_storage_bytes: e.checkpoint_storage.bytes(),
        local_disk_per_host_bytes: s.local_disk_per_host().bytes(),
        ingest_per_host_bytes_per_second: s.ingest_per_host.map(|i| i.bytes()),
        restore_ms: e.restore.as_millis(),
        catch_up_ms: s.catch_up.map(|d| d.as_millis()),
        cost: s.cost.map(|c| CostJson {
            price_per_hour: c.price_per_hour,
            hosts: c.hosts,
            hours_per_month: super::super::cost::HOURS_PER_MONTH,
            per_month: c.per_month,
        }),
        what_if: s
            .what_if
            .iter()
            .map(|w| WhatIfJson {
                percent: w.percent,
                hosts: w.hosts,
                slots: w.slots,
                utilization: w.utilization,
                catch_up_ms: w.catch_up.map(|d| d.as_millis()),
                cost_per_month: w.cost.map(|c| c.per_month),
                problem: w.problem.clone(),
            })
            .collect(),
        horizon: HorizonJson {
            runs_out_month: s.horizon.runs_out,
            hosts_at_end: s.horizon.hosts_at_end.as_ref().ok().copied(),
            hosts_at_end_problem: s.horizon.hosts_at_end.as_ref().err().cloned(),
            months: s
                .horizon
                .months
                .iter()
                .map(|m| MonthJson {
                    month: m.month,
                    input_rate: m.input_rate,
                    state_size_bytes: m.state_size.map(|s| s.bytes()),
                    utilization: m.utilization,
                    within_headroom: m.within_headroom,
                })
                .collect(),
        },
        settings: r
            .settings
            .iter()
            .map(|setting| SettingJson {
                key: setting.key.clone(),
                value: setting.value.to_string(),
            })
            .collect(),
        warnings: e.warnings.iter().chain(&r.warnings).cloned().collect(),
    }
}
