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

#[cfg(test)]
mod tests {
    //! The invariants' levels as severities, each at its key's line (issue 15, docs/mutants.md).

    use super::*;
    use crate::flink::config::parse_standard_yaml;

    #[test]
    fn errors_and_warnings_keep_their_level_and_point_at_their_key() {
        let loaded = parse_standard_yaml(
            "config.yaml",
            "execution.checkpointing.interval: 5 ms\ntaskmanager.memory.process.size: 2g\n\
             taskmanager.memory.network.min: 64m\n",
        )
        .unwrap();
        let found: Vec<_> = findings(&loaded.configuration, FlinkVersion::line(2, 3), None)
            .into_iter()
            .map(|finding| {
                (
                    finding.severity,
                    finding.message.split(':').next().map(str::to_string),
                    finding.key.clone(),
                    finding.position().map(|(line, _)| line),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Error,
                    Some("FT-CKP-001".to_string()),
                    Some("execution.checkpointing.interval".to_string()),
                    Some(1)
                ),
                (
                    Severity::Warn,
                    Some("FT-NET-002".to_string()),
                    Some("taskmanager.memory.network.min".to_string()),
                    Some(3)
                ),
            ]
        );
    }
}
