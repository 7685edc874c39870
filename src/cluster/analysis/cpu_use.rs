//! How long the running job's tasks wait off the CPU, for the slot rule (src/advisor/slots.rs): the tasks busy at
//! once in a parallel slice (busy time summed over every subtask, over the widest vertex's parallelism) against the cores the
//! TaskManagers' JVMs used (`Status.JVM.CPU.Load` times the cores each JVM sees, docs/flink-rest-and-metrics.md). A
//! task that is busy while its JVM's CPU idles waits on something outside Flink: the difference is the I/O wait.
//!
//! Measured only where it means something: the job must be busy somewhere (a vertex at [`BUSY`] or more, else its
//! tasks idle for lack of input, not for I/O), and when the JVMs use nearly all their cores a busy task may be waiting
//! for a core rather than for I/O, so the wait counts as none.

use crate::cluster::ClusterSnapshot;
use crate::cluster::series::SeriesStats;

use super::diagnosis::BUSY;
use super::vertex_rates::VertexRates;

/// Above this share of their cores in use, the TaskManagers are CPU-saturated.
pub(crate) const SATURATED_CPU: f64 = 0.9;

/// The measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CpuUse {
    /// Task threads busy at once, per parallel slice of the job (the widest vertex's subtasks).
    pub busy_per_slice: f64,
    /// Cores the TaskManagers used, per slice.
    pub cores_per_slice: f64,
    /// The TaskManagers used at least [`SATURATED_CPU`] of their cores.
    pub saturated: bool,
}

impl CpuUse {
    /// The share of the busy tasks' time off the CPU, in percent: 0 when the CPUs are saturated or the JVMs used
    /// more than the tasks were busy (GC and Flink's own threads), at most
    /// [`MAX_IO_WAIT_PERCENT`](crate::profile::MAX_IO_WAIT_PERCENT).
    pub(crate) fn io_wait_percent(&self) -> u8 {
        if self.saturated || self.busy_per_slice <= 0.0 {
            return 0;
        }
        let on_cpu = self.cores_per_slice / self.busy_per_slice;
        ((1.0 - on_cpu) * 100.0)
            .floor()
            .clamp(0.0, f64::from(crate::profile::MAX_IO_WAIT_PERCENT)) as u8
    }
}

/// The job's CPU use, if its metrics tell it (see the module comment).
pub(crate) fn measure<'a>(
    snapshot: &ClusterSnapshot,
    rates: impl Fn(&str) -> Option<&'a VertexRates>,
) -> Option<CpuUse> {
    let mut busy_threads = 0.0;
    let mut busiest: f64 = 0.0;
    for vertex in &snapshot.job.vertices {
        let rate = rates(&vertex.id)?;
        let busy = rate.busy_avg?;
        busy_threads += busy / 1000.0 * f64::from(vertex.parallelism.max(1));
        busiest = busiest.max(rate.busy_max.unwrap_or(busy));
    }
    if busiest < BUSY {
        return None;
    }
    let slices = snapshot
        .job
        .vertices
        .iter()
        .map(|vertex| vertex.parallelism.max(1))
        .max()?;
    let load = SeriesStats::of(
        snapshot
            .samples
            .iter()
            .map(|sample| sample.taskmanagers.cpu_load.avg),
    )
    .mean?;
    let cores: f64 = snapshot.taskmanagers.iter().map(|tm| tm.cpu_cores).sum();
    if !(load.is_finite() && cores > 0.0) {
        return None;
    }
    let load = load.clamp(0.0, 1.0);
    let slices = f64::from(slices);
    Some(CpuUse {
        busy_per_slice: busy_threads / slices,
        cores_per_slice: load * cores / slices,
        saturated: load >= SATURATED_CPU,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::analysis::tests::saturated_job;
    /// Through the analysis' own entry point, as `recommend` and `plan` call it.
    fn measured(snapshot: &ClusterSnapshot) -> Option<CpuUse> {
        crate::cluster::analysis::cpu_use(snapshot)
    }

    fn with_load(mut snapshot: ClusterSnapshot, load: f64) -> ClusterSnapshot {
        for sample in &mut snapshot.samples {
            sample.taskmanagers.cpu_load.avg = Some(load);
        }
        snapshot
    }

    #[test]
    fn a_busy_job_on_idle_cpus_waits() {
        // The source back-pressured (100 ms/s busy) and one aggregation subtask busy all the time: 1.1 busy threads;
        // the JVM used 2% of 2 cores.
        let cpu = measured(&with_load(saturated_job(1), 0.02)).unwrap();
        assert!((cpu.busy_per_slice - 1.1).abs() < 1e-9, "{cpu:?}");
        assert!((cpu.cores_per_slice - 0.04).abs() < 1e-9, "{cpu:?}");
        // 0.04 cores for 1.1 busy threads: 3.6% on the CPU, 96% waiting.
        assert_eq!(cpu.io_wait_percent(), 96);
    }

    #[test]
    fn a_busy_job_using_its_cores_computes() {
        // 1.1 busy threads using 1.4 of 2 cores (70%, not saturated): more CPU than busy time, no wait.
        let cpu = measured(&with_load(saturated_job(1), 0.7)).unwrap();
        assert_eq!(cpu.io_wait_percent(), 0);
        // 1.1 busy threads using 0.55 cores: half the time waiting.
        let cpu = measured(&with_load(saturated_job(1), 0.275)).unwrap();
        assert_eq!(cpu.io_wait_percent(), 50);
        // Saturated CPUs: a busy task may wait for a core, so no wait is inferred.
        let cpu = measured(&with_load(saturated_job(2), 0.95)).unwrap();
        assert!(cpu.saturated);
        assert_eq!(cpu.io_wait_percent(), 0);
    }

    #[test]
    fn an_idle_job_or_missing_metrics_measure_nothing() {
        let mut idle = with_load(saturated_job(1), 0.02);
        for sample in &mut idle.samples {
            for metrics in sample.vertices.values_mut() {
                metrics.busy_time_ms_per_second.max = Some(100.0);
                metrics.busy_time_ms_per_second.avg = Some(100.0);
            }
        }
        assert_eq!(measured(&idle), None);
        let mut unknown_load = saturated_job(1);
        for sample in &mut unknown_load.samples {
            sample.taskmanagers.cpu_load.avg = None;
        }
        assert_eq!(measured(&unknown_load), None);
        let mut no_cores = with_load(saturated_job(1), 0.5);
        no_cores.taskmanagers.clear();
        assert_eq!(measured(&no_cores), None);
    }
}
