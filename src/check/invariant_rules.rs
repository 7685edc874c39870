//! The deployment invariants (src/invariants/) as findings: the same rules `recommend` keeps, judged on any
//! configuration; with `--profile` the rules that need the job's hints (state size, recovery objective, bandwidths)
//! apply too.

use crate::flink::FlinkVersion;
use crate::flink::config::Configuration;
use crate::invariants::{Deployment, Level, evaluate};
use crate::profile::JobProfile;

use super::finding::{Finding, Severity};

pub(crate) fn findings(
    configuration: &Configuration,
    version: FlinkVersion,
    profile: Option<&JobProfile>,
) -> Vec<Finding> {
    let deployment = Deployment::from_configuration(configuration, version, None, profile);
    evaluate(&deployment)
        .into_iter()
        .map(|violation| {
            let severity = match violation.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warn,
            };
            let finding = Finding::new(
                severity,
                format!("{}: {}", violation.id, violation.message),
                violation.fix,
            );
            match violation.key {
                Some(key) => {
                    let origin = configuration.get(key).map(|entry| entry.origin.clone());
                    finding.at(key, origin)
                }
                None => finding,
            }
        })
        .collect()
}
