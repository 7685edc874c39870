//! Parallelism invariants.
//! - FT-PAR-001 (error): parallelism <= max parallelism <= 32768. Flink refuses a max parallelism above 32768
//!   (`PipelineOptions`) and fails a job whose parallelism exceeds its max parallelism (issue 11, case 7).
//! - FT-PAR-002 (warning): the key groups (max parallelism) split within 10% of evenly over the parallelism, so no
//!   subtask carries noticeably more keys than the others (reference section 5; issue 11, case 9).

use crate::flink::job_options::{MAX_PARALLELISM_UPPER_BOUND, cluster};

use super::{Deployment, Level, Violation};

/// The most key groups one subtask may carry over the fewest another carries: 10%.
pub(crate) const MAX_KEY_GROUP_SKEW: f64 = 1.1;

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    let version = deployment.version;
    let max_key = cluster::MAX_PARALLELISM.for_version(version);
    if let Some(max) = deployment.max_parallelism
        && max > MAX_PARALLELISM_UPPER_BOUND
    {
        violations.push(Violation::new(
            "FT-PAR-001",
            Level::Error,
            Some(max_key),
            format!(
                "max parallelism {max} is above Flink's bound of {MAX_PARALLELISM_UPPER_BOUND}"
            ),
            format!("set {max_key} to at most {MAX_PARALLELISM_UPPER_BOUND}"),
        ));
    }
    let Some(parallelism) = deployment.parallelism else {
        return violations;
    };
    let default_key = cluster::PARALLELISM_DEFAULT.for_version(version);
    if parallelism > MAX_PARALLELISM_UPPER_BOUND {
        violations.push(Violation::new(
            "FT-PAR-001",
            Level::Error,
            Some(default_key),
            format!(
                "parallelism {parallelism} is above Flink's bound of {MAX_PARALLELISM_UPPER_BOUND}"
            ),
            format!("lower {default_key} (plan fewer hosts, --hosts, or fewer slots)"),
        ));
        return violations;
    }
    let Some(max) = deployment
        .max_parallelism
        .filter(|max| *max > 0 && deployment.streaming)
    else {
        return violations;
    };
    if parallelism > max {
        violations.push(Violation::new(
            "FT-PAR-001",
            Level::Error,
            Some(default_key),
            format!("parallelism {parallelism} is above the max parallelism {max}: Flink refuses to run the job"),
            format!("raise {max_key} (at most {MAX_PARALLELISM_UPPER_BOUND}) or lower {default_key}"),
        ));
    } else if let Some(fewest) = max.checked_div(parallelism) {
        let most = max.div_ceil(parallelism);
        if fewest > 0 && f64::from(most) > f64::from(fewest) * MAX_KEY_GROUP_SKEW {
            violations.push(Violation::new(
                "FT-PAR-002",
                Level::Warning,
                Some(max_key),
                format!(
                    "{max} key groups over {parallelism} subtasks: some carry {most}, others {fewest}, more than 10% \
                     apart"
                ),
                format!("set {max_key} to a multiple of {parallelism} with many divisors"),
            ));
        }
    }
    violations
}
