//! The one way a plan asks the advisor: the same `advisor::recommend` that `recommend` runs, for a host type at a
//! number of hosts, then the parallelism for the plan's target utilization (`advisor::parallelism::recommend_at`,
//! which at the advisor's own 70% is its rule unchanged). So the layout, the memory Flink resolves and every
//! setting are `recommend`'s for the same inputs: one model, not two.

use crate::advisor::parallelism::{Parallelism, recommend_at};
use crate::advisor::{AdviceInput, Pins, Recommendation, recommend};
use crate::flink::MemorySize;
use crate::host::HostSpec;
use crate::profile::{Deployment, JobProfile};

use super::inputs::{HostType, PlanInput};

/// What the advisor said for one host type at one size and load.
#[derive(Debug, Clone)]
pub(crate) struct Advised {
    pub host: HostSpec,
    pub profile: JobProfile,
    /// `recommend`'s answer, its parallelism settings replaced by the plan's (identical at 70%).
    pub recommendation: Recommendation,
}

/// The load a plan asks about: the rate and the state (now, or grown).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Load {
    pub input_rate: u64,
    pub state_size: Option<MemorySize>,
}

impl Load {
    pub(crate) fn now(input: &PlanInput) -> Self {
        Load {
            input_rate: input.input_rate,
            state_size: input.profile.state_size,
        }
    }
}

/// The host as `recommend --hosts N` would see it.
pub(crate) fn host_spec(input: &PlanInput, host_type: &HostType, hosts: u32) -> HostSpec {
    let mut host = host_type.spec.clone();
    host.hosts = hosts.max(1);
    host.jobmanager_on_host = input.jobmanager_on_host;
    host
}

/// The profile for `load` on `host_type` (a pod shape plans a Kubernetes deployment).
pub(crate) fn profile_for(input: &PlanInput, host_type: &HostType, load: Load) -> JobProfile {
    let mut profile = input.profile.clone();
    profile.input_rate = Some(load.input_rate);
    profile.state_size = load.state_size;
    if host_type.pod {
        profile.deployment = Deployment::Kubernetes;
    }
    profile
}

/// Runs the advisor for `hosts` hosts of `host_type` under `load`; the error is the advisor's one line.
pub(crate) fn advise(
    input: &PlanInput,
    host_type: &HostType,
    hosts: u32,
    load: Load,
) -> Result<Advised, String> {
    let host = host_spec(input, host_type, hosts);
    let profile = profile_for(input, host_type, load);
    let mut recommendation = recommend(&AdviceInput {
        host: &host,
        profile: &profile,
        version: input.version,
        local_state_dir: input.local_state_dir.clone(),
        allow_local_checkpoints: input.allow_local_checkpoints,
        working_dir: input.working_dir.clone(),
        pins: Pins::default(),
    })
    .map_err(|error| error.to_string())?;
    let mut warnings = Vec::new();
    let parallelism = recommend_at(
        &profile,
        &recommendation.layout,
        input.version,
        input.target_utilization,
        None,
        &mut warnings,
    );
    with_parallelism(&mut recommendation, parallelism);
    Ok(Advised {
        host,
        profile,
        recommendation,
    })
}

/// Replaces the parallelism settings (same keys) and value with `parallelism`'s.
fn with_parallelism(recommendation: &mut Recommendation, parallelism: Parallelism) {
    recommendation.parallelism = parallelism.value;
    for replacement in parallelism.settings {
        if let Some(setting) = recommendation
            .settings
            .iter_mut()
            .find(|setting| setting.key == replacement.key)
        {
            *setting = replacement;
        }
    }
}
