//! How many hosts of a type carry the job: enough that its parallelism, at the per-slot throughput, processes the
//! input rate while busy no more than the target utilization (the DS2 / autoscaler model the parallelism rule uses:
//! docs/autoscaler-model.md). The count starts from the slots one host gives and grows until the advisor's layout
//! for that many hosts covers the rate: the layout (JobManager size, network buffers, state per TaskManager) changes
//! with the count, so each candidate is planned, never extrapolated.

use crate::advisor::parallelism::slots_needed;
use crate::flink::job_options::MAX_PARALLELISM_UPPER_BOUND;
use crate::text::units::count;

use super::advise::{Advised, Load, advise};
use super::inputs::{HostType, PlanInput};

/// Hosts added one at a time past the first estimate before the search gives up (the estimate is off only by the
/// slots a bigger cluster's JobManager or network buffers take away, or by the source partitions' divisors).
const SEARCH_STEPS: u32 = 32;

/// The busy share of `parallelism` subtasks processing `rate` at `throughput` each.
pub(crate) fn utilization(rate: u64, parallelism: u32, throughput: u64) -> f64 {
    rate as f64 / (f64::from(parallelism.max(1)) * throughput.max(1) as f64)
}

/// Whether `utilization` is within `target` (a rounding hair over counts as within).
pub(crate) fn covers(utilization: f64, target: f64) -> bool {
    utilization <= target + 1e-9
}

/// The widest the job can run on a cluster of `total_slots`: all of them, within Flink's bound.
pub(crate) fn widest(total_slots: u32) -> u32 {
    total_slots.clamp(1, MAX_PARALLELISM_UPPER_BOUND)
}

/// A sized cluster: its host count and the advisor's plan for it.
#[derive(Debug, Clone)]
pub(crate) struct Sized {
    pub hosts: u32,
    pub advised: Advised,
    /// The busy share at the planned parallelism.
    pub utilization: f64,
}

/// The fewest hosts of `host_type` (at least `--hosts`) whose plan keeps `load` within the target utilization; or
/// why there is none.
pub(crate) fn size(input: &PlanInput, host_type: &HostType, load: Load) -> Result<Sized, String> {
    let target = input.target_utilization;
    let throughput = input.slot_throughput;
    let demand = slots_needed(load.input_rate, throughput, target);
    if demand > MAX_PARALLELISM_UPPER_BOUND {
        return Err(format!(
            "{} records/s at {throughput} per subtask needs {demand} subtasks at {}% busy, more than Flink's \
             maximum parallelism of {MAX_PARALLELISM_UPPER_BOUND}: raise the per-slot throughput",
            load.input_rate,
            percent(target)
        ));
    }
    if let Some(partitions) = input.profile.source_partitions
        && demand > partitions
    {
        return Err(format!(
            "{} records/s needs {demand} subtasks at {}% busy, but the source's {partitions} partitions cap the \
             parallelism at {partitions}: add partitions (--source-partitions) or raise the per-slot throughput",
            load.input_rate,
            percent(target)
        ));
    }
    let min_hosts = input.min_hosts.max(1);
    let first = advise(input, host_type, min_hosts, load)?;
    let per_host = first.recommendation.layout.total_slots() / min_hosts;
    let mut hosts = min_hosts.max(demand.div_ceil(per_host.max(1)));
    let mut advised = if hosts == min_hosts {
        first
    } else {
        advise(input, host_type, hosts, load)?
    };
    for _ in 0..=SEARCH_STEPS {
        let busy = utilization(
            load.input_rate,
            advised.recommendation.parallelism,
            throughput,
        );
        if covers(busy, target) {
            return Ok(Sized {
                hosts,
                advised,
                utilization: busy,
            });
        }
        hosts = hosts.saturating_add(1);
        advised = advise(input, host_type, hosts, load)?;
    }
    Err(format!(
        "no cluster of up to {} keeps {} records/s at {}% busy: the parallelism rule settles at {} subtasks \
         (source partitions: {})",
        count(hosts as usize, "host"),
        load.input_rate,
        percent(target),
        advised.recommendation.parallelism,
        input
            .profile
            .source_partitions
            .map_or("unknown".to_string(), |p| p.to_string())
    ))
}

/// `0.7` as `70`.
pub(crate) fn percent(fraction: f64) -> String {
    let value = (fraction * 1000.0).round() / 10.0;
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utilization_is_rate_over_capacity() {
        assert!((utilization(7000, 10, 1000) - 0.7).abs() < 1e-12);
        assert!(covers(utilization(7000, 10, 1000), 0.7));
        assert!(!covers(utilization(7001, 10, 1000), 0.7));
        assert_eq!(widest(0), 1);
        assert_eq!(widest(40_000), MAX_PARALLELISM_UPPER_BOUND);
        assert_eq!(percent(0.7), "70");
        assert_eq!(percent(0.655), "65.5");
    }
}
