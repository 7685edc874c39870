//! The what-if table: the planned cluster from half its size to three times it, each size planned by the advisor,
//! with the job spread over every slot (the parallelism the autoscaler would take it to), its utilization, the
//! catch-up after the outage, and the cost. It shows what the headroom buys: below the plan the job runs hot or
//! never catches up; above it the extra hosts mostly shorten the catch-up.

use std::time::Duration;

use super::advise::{Load, advise};
use super::capacity::{utilization, widest};
use super::cost::{Cost, monthly};
use super::estimates::{catch_up, estimates};
use super::inputs::{HostType, PlanInput};

/// The sizes, in percent of the planned host count.
pub(crate) const SIZES: [u32; 6] = [50, 75, 100, 150, 200, 300];

/// One size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WhatIf {
    pub percent: u32,
    pub hosts: u32,
    pub slots: u32,
    /// The busy share with the job on every slot; over 1 means it falls behind.
    pub utilization: Option<f64>,
    /// `None`: no spare capacity, it never catches up (or the size cannot be planned).
    pub catch_up: Option<Duration>,
    pub cost: Option<Cost>,
    /// Why this size cannot run the job, when it cannot.
    pub problem: Option<String>,
}

pub(crate) fn what_if(input: &PlanInput, host_type: &HostType, planned_hosts: u32) -> Vec<WhatIf> {
    let mut rows: Vec<WhatIf> = Vec::new();
    for percent in SIZES {
        let hosts = (u64::from(planned_hosts) * u64::from(percent))
            .div_ceil(100)
            .clamp(1, u64::from(u32::MAX)) as u32;
        if rows.iter().any(|row| row.hosts == hosts) {
            continue;
        }
        let cost = host_type.price_per_hour.map(|price| monthly(price, hosts));
        let row = match advise(input, host_type, hosts, Load::now(input)) {
            Ok(advised) => {
                let slots = advised.recommendation.layout.total_slots();
                let busy = utilization(input.input_rate, widest(slots), input.slot_throughput);
                let restore = estimates(&advised).restore;
                WhatIf {
                    percent,
                    hosts,
                    slots,
                    utilization: Some(busy),
                    catch_up: catch_up(input.outage, restore, busy),
                    cost,
                    problem: None,
                }
            }
            Err(problem) => WhatIf {
                percent,
                hosts,
                slots: 0,
                utilization: None,
                catch_up: None,
                cost,
                problem: Some(problem),
            },
        };
        rows.push(row);
    }
    rows
}
