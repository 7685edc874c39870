//! `flinktune plan`: capacity planning before the job exists or before its traffic grows. For each host type: how
//! many hosts carry the input rate at the target utilization ([`capacity`]), laid out and sized exactly as
//! `recommend` lays out and sizes them ([`advise`] calls the advisor itself), the checkpoint, restore and catch-up
//! figures of its estimators ([`estimates`]), the monthly cost ([`cost`]), a what-if table from half to three times
//! the size ([`what_if`]) and the month the growth uses up the headroom ([`growth`]); then the cheapest type that
//! fits and why each other loses ([`choice`]). Pure: the command reads the files and probes the host; [`emit`]
//! renders the result as a table, Markdown, JSON or a self-contained HTML page.

pub(crate) mod advise;
pub(crate) mod capacity;
pub(crate) mod choice;
pub(crate) mod cost;
pub(crate) mod emit;
pub(crate) mod error;
pub(crate) mod estimates;
pub(crate) mod growth;
pub(crate) mod hosts_file;
pub(crate) mod inputs;
#[cfg(test)]
mod tests;
pub(crate) mod what_if;

use std::time::Duration;

use crate::advisor::parallelism::pinned_max_parallelism;
use crate::flink::MemorySize;
use crate::text::units::show;

pub(crate) use error::PlanError;
pub(crate) use inputs::{Growth, HostType, PlanInput};

use advise::{Advised, Load};
use choice::Choice;
use cost::Cost;
use estimates::Estimates;
use growth::Horizon;
use what_if::WhatIf;

/// A host type's sized cluster and everything quoted for it.
#[derive(Debug, Clone)]
pub(crate) struct Sizing {
    pub hosts: u32,
    /// The advisor's plan for `hosts` hosts: layout, memory, settings (its parallelism at the target utilization).
    pub advised: Advised,
    pub max_parallelism: u32,
    /// The busy share at the planned parallelism.
    pub utilization: f64,
    pub estimates: Estimates,
    /// After an outage of the plan's length; `None`: never.
    pub catch_up: Option<Duration>,
    pub cost: Option<Cost>,
    /// Input bytes per second each host receives, when the record size is known.
    pub ingest_per_host: Option<MemorySize>,
    pub what_if: Vec<WhatIf>,
    pub horizon: Horizon,
}

impl Sizing {
    /// Local disk each host needs for its TaskManagers' state.
    pub(crate) fn local_disk_per_host(&self) -> MemorySize {
        MemorySize::from_bytes(
            self.estimates
                .local_disk_per_taskmanager
                .bytes()
                .saturating_mul(u64::from(
                    self.advised.recommendation.layout.taskmanagers_per_host,
                )),
        )
    }
}

/// One host type's plan, or why the job cannot run on it.
#[derive(Debug, Clone)]
pub(crate) struct TypePlan {
    pub host_type: HostType,
    pub sizing: Result<Sizing, String>,
}

impl TypePlan {
    /// Why this type cannot be bought for the job, if it cannot: no plan, too few to be had, too little disk.
    pub(crate) fn blocker(&self) -> Option<String> {
        let sizing = match &self.sizing {
            Ok(sizing) => sizing,
            Err(reason) => return Some(reason.clone()),
        };
        if let Some(max) = self.host_type.max_count
            && sizing.hosts > max
        {
            return Some(format!(
                "needs {} hosts, and at most {max} can be had (max-count)",
                sizing.hosts
            ));
        }
        if let Some(disk) = self.host_type.disk_size
            && sizing.local_disk_per_host() > disk
        {
            return Some(format!(
                "needs {} of local disk per host for state, and has {} (disk-size)",
                show(sizing.local_disk_per_host()),
                show(disk)
            ));
        }
        None
    }
}

/// The whole plan.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub input: PlanInput,
    pub types: Vec<TypePlan>,
    pub choice: Choice,
}

/// Plans every host type of `input`.
pub(crate) fn plan(input: PlanInput) -> Plan {
    let types: Vec<TypePlan> = input
        .host_types
        .iter()
        .map(|host_type| TypePlan {
            host_type: host_type.clone(),
            sizing: size_type(&input, host_type),
        })
        .collect();
    let choice = choice::choose(&types);
    Plan {
        input,
        types,
        choice,
    }
}

fn size_type(input: &PlanInput, host_type: &HostType) -> Result<Sizing, String> {
    let sized = capacity::size(input, host_type, Load::now(input))?;
    let estimates = estimates::estimates(&sized.advised);
    let hosts = sized.hosts;
    let parallelism = sized.advised.recommendation.parallelism;
    Ok(Sizing {
        hosts,
        max_parallelism: pinned_max_parallelism(parallelism),
        utilization: sized.utilization,
        catch_up: estimates::catch_up(input.outage, estimates.restore, sized.utilization),
        cost: host_type
            .price_per_hour
            .map(|price| cost::monthly(price, hosts)),
        ingest_per_host: input.record_size.map(|record| {
            MemorySize::from_bytes(
                record
                    .bytes()
                    .saturating_mul(input.input_rate)
                    .div_ceil(u64::from(hosts.max(1))),
            )
        }),
        what_if: what_if::what_if(input, host_type, hosts),
        horizon: growth::horizon(input, host_type, hosts),
        estimates,
        advised: sized.advised,
    })
}
