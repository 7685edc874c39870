//! What `flinktune plan` takes, as plain data: the job (a profile, as `recommend` takes it, whose input rate and
//! per-slot throughput are known), how its traffic and state grow, the host types to plan on, and the objectives
//! (target utilization, the outage to recover from). Built and validated once by the command; everything after is
//! pure.

use std::path::PathBuf;
use std::time::Duration;

use crate::flink::{FlinkVersion, MemorySize};
use crate::host::HostSpec;
use crate::profile::{JobProfile, Mode, Runtime};

use super::error::PlanError;

/// One kind of machine (or Kubernetes pod shape) the cluster could be built from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HostType {
    pub name: String,
    /// The host as the advisor sees one of them: from `--cores/--memory/--disk` (or probed) exactly as `recommend`
    /// builds it, or from a hosts file line.
    pub spec: HostSpec,
    /// Local disk for state per host, when known (`disk-size` in a hosts file).
    pub disk_size: Option<MemorySize>,
    /// The user's price of one host per hour, in whatever currency they price in.
    pub price_per_hour: Option<f64>,
    /// At most this many can be had.
    pub max_count: Option<u32>,
    /// A Kubernetes pod shape: the job is planned for a Kubernetes deployment on it.
    pub pod: bool,
}

/// Growth of the traffic and of the state, compounded monthly, over a horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Growth {
    /// Monthly growth of the input rate, as a fraction (0.08 for 8%/month).
    pub rate_per_month: f64,
    /// Monthly growth of the state, as a fraction.
    pub state_per_month: f64,
    pub horizon_months: u32,
}

impl Growth {
    /// `value` grown for `months`, rounded up.
    pub(crate) fn grown(value: u64, per_month: f64, months: u32) -> u64 {
        let factor = (1.0 + per_month).powi(i32::try_from(months).unwrap_or(i32::MAX));
        let exact = value as f64 * factor;
        // Up to the next whole record, but not for a float's last-digit noise (1000 x 1.1^2 = 1210.0000000000002).
        let grown = if (exact - exact.round()).abs() < 1e-6 {
            exact.round()
        } else {
            exact.ceil()
        };
        if grown.is_finite() && grown < u64::MAX as f64 {
            grown as u64
        } else {
            u64::MAX
        }
    }
}

/// Everything a plan takes.
#[derive(Debug, Clone)]
pub(crate) struct PlanInput {
    /// The job, as `recommend` takes it (flags applied).
    pub profile: JobProfile,
    /// Records per second at the peak, now.
    pub input_rate: u64,
    /// Records per second one subtask of the slowest operator processes at 100% busy.
    pub slot_throughput: u64,
    pub version: FlinkVersion,
    pub host_types: Vec<HostType>,
    /// At least this many hosts (`--hosts`), e.g. to spread over zones.
    pub min_hosts: u32,
    pub jobmanager_on_host: bool,
    /// The busy share to plan for (headroom is the rest).
    pub target_utilization: f64,
    pub growth: Growth,
    /// The outage to recover from: catch-up time is quoted for it.
    pub outage: Duration,
    /// Bytes per record, when known: the ingest bandwidth per host.
    pub record_size: Option<MemorySize>,
    pub local_state_dir: Option<PathBuf>,
    pub allow_local_checkpoints: bool,
    pub working_dir: Option<PathBuf>,
}

/// The rate and throughput a plan needs from the profile, and the modes it can plan.
pub(crate) fn job_rates(profile: &JobProfile) -> Result<(u64, u64), PlanError> {
    if profile.runtime == Runtime::Batch {
        return Err(PlanError::Batch);
    }
    if profile.mode == Mode::Session {
        return Err(PlanError::Session);
    }
    let rate = profile.input_rate.ok_or(PlanError::NoInputRate)?;
    let throughput = profile
        .slot_throughput
        .filter(|throughput| *throughput > 0)
        .ok_or(PlanError::NoSlotThroughput)?;
    Ok((rate, throughput))
}

/// A target utilization strictly between 0 and 1.
pub(crate) fn target_utilization(value: f64) -> Result<f64, PlanError> {
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(PlanError::Utilization(value.to_string()))
    }
}
