//! `recommend --from-cluster`: the live analysis folded into a recommendation. The parallelism comes from the
//! measured rates (the widest vertex as `parallelism.default`, the others as `pipeline.jobvertex-parallelism-overrides`
//! where the release applies it, else as a warning saying how to set them),
//! the max parallelism stays what the running job's state was written with, and every finding that names a setting
//! replaces the rule's value, with the measurement as its reason. Memory is resolved again afterwards, so the emitted
//! file still resolves in Flink as planned.

use crate::advisor::{AdviceError, Group, Recommendation, Setting, SettingValue, resolve_memory};
use crate::flink::MemorySize;
use crate::flink::job_options::cluster;

use super::ClusterSnapshot;
use super::analysis::{Analysis, Area};

pub(crate) fn fold_into(
    recommendation: &mut Recommendation,
    analysis: &Analysis,
    snapshot: &ClusterSnapshot,
) -> Result<(), AdviceError> {
    let version = recommendation.version;
    let widest = analysis
        .vertices
        .iter()
        .map(|v| v.recommended)
        .max()
        .unwrap_or(1);
    let mut replacements = vec![Setting::new(
        Group::Cluster,
        cluster::PARALLELISM_DEFAULT.for_version(version),
        SettingValue::Integer(i64::from(widest)),
        format!(
            "measured on the running job: its widest vertex needs {widest} subtasks (flinktune metrics shows each)"
        ),
    )];
    let narrower: Vec<_> = analysis
        .vertices
        .iter()
        .filter(|vertex| vertex.recommended != widest)
        .collect();
    let names = || {
        narrower
            .iter()
            .map(|vertex| format!("{} {}", vertex.name, vertex.recommended))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if narrower.is_empty() {
        // Every vertex at the default parallelism.
    } else if version.applies_vertex_parallelism_overrides() {
        let overrides: Vec<String> = narrower
            .iter()
            .map(|vertex| format!("{}:{}", vertex.id, vertex.recommended))
            .collect();
        replacements.push(Setting::new(
            Group::Cluster,
            cluster::VERTEX_PARALLELISM_OVERRIDES.for_version(version),
            SettingValue::Text(overrides.join(",")),
            format!(
                "vertices that need fewer subtasks than the widest: {}",
                names()
            ),
        ));
    } else {
        recommendation.warnings.push(format!(
            "vertices that need fewer subtasks than the widest: {}. Flink {version} ignores {} for submitted jobs \
             (FLINK-38770): set them in the job (setParallelism, or the SQL options scan.parallelism and \
             sink.parallelism), or, with jobmanager.scheduler: adaptive, PUT /jobs/{}/resource-requirements {}",
            names(),
            cluster::VERTEX_PARALLELISM_OVERRIDES.newest(),
            snapshot.job.id,
            resource_requirements(analysis)
        ));
    }
    let max_parallelisms: Vec<u32> = snapshot
        .job
        .vertices
        .iter()
        .map(|v| v.max_parallelism)
        .collect();
    let uniform = max_parallelisms.windows(2).all(|pair| pair[0] == pair[1]);
    let max_key = cluster::MAX_PARALLELISM.for_version(version);
    recommendation
        .settings
        .retain(|setting| setting.key != max_key);
    if let (true, Some(max)) = (uniform, max_parallelisms.first()) {
        replacements.push(Setting::new(
            Group::Cluster,
            max_key,
            SettingValue::Integer(i64::from(*max)),
            "the running job's state is split into this many key groups; another value makes its checkpoints \
             unrestorable",
        ));
    }
    for finding in &analysis.findings {
        if let Some((setting_key, value)) = &finding.setting {
            let known = setting_key.spelled_for(version);
            replacements.push(Setting::new(
                group_of(finding.area),
                known,
                SettingValue::Text(value.clone()),
                format!("measured: {}; {}", finding.message, finding.fix),
            ));
        }
    }
    for replacement in replacements {
        match recommendation
            .settings
            .iter_mut()
            .find(|s| s.key == replacement.key)
        {
            Some(existing) => *existing = replacement,
            None => recommendation.settings.push(replacement),
        }
    }
    crate::advisor::network_pair::align(&mut recommendation.settings);
    recommendation.settings.sort_by_key(|setting| setting.group);
    recommendation.parallelism = widest;
    let (taskmanager, jobmanager) = resolve_memory(&recommendation.settings, version)?;
    recommendation.taskmanager_memory = taskmanager;
    recommendation.jobmanager_memory = jobmanager;
    // The measurement changed settings the advice had judged: judge them again (src/invariants/).
    let verdicts = crate::advisor::coherence::judge_settings(version, &recommendation.settings)?;
    for verdict in verdicts {
        if !recommendation.warnings.contains(&verdict) {
            recommendation.warnings.push(verdict);
        }
    }
    recommendation.warnings.extend(
        analysis
            .findings
            .iter()
            .filter(|f| f.setting.is_none())
            .map(|f| format!("{} ({})", f.message, f.fix)),
    );
    Ok(())
}

/// The body of the adaptive scheduler's `PUT /jobs/:id/resource-requirements` (Flink 1.18+) that runs each vertex at
/// its recommended parallelism.
fn resource_requirements(analysis: &Analysis) -> String {
    let vertices: serde_json::Map<String, serde_json::Value> = analysis
        .vertices
        .iter()
        .map(|vertex| {
            (
                vertex.id.clone(),
                serde_json::json!({"parallelism": {"lowerBound": 1, "upperBound": vertex.recommended}}),
            )
        })
        .collect();
    serde_json::Value::Object(vertices).to_string()
}

/// The job's state as its checkpoints measured it (the largest full checkpoint, rounded up to a mebibyte), for the
/// state backend and managed memory rules in place of a profile's guess. `None` before the first checkpoint.
pub(crate) fn measured_state_size(snapshot: &ClusterSnapshot) -> Option<MemorySize> {
    let bytes = snapshot.checkpoints.state_size_max?;
    (bytes.is_finite() && bytes >= 0.0)
        .then(|| MemorySize::from_bytes((bytes as u64).max(1).next_multiple_of(1 << 20)))
}

/// Where a finding's setting goes in the emitted file.
fn group_of(area: Area) -> Group {
    match area {
        Area::Memory | Area::Network => Group::Memory,
        Area::Checkpoints => Group::Checkpointing,
        Area::Capacity | Area::Chaining => Group::Cluster,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::test_support::{advise, value};
    use crate::cluster::analysis::{AnalysisOptions, analyse};

    fn folded(version: &str) -> Recommendation {
        let snapshot = crate::cluster::analysis::tests::saturated_job(1);
        let analysis = analyse(
            &snapshot,
            AnalysisOptions {
                input_rate: Some(50_000.0),
                ..AnalysisOptions::default()
            },
        );
        let mut recommendation = advise(2.0, 8, "balanced", version, |_, _| {}).unwrap();
        fold_into(&mut recommendation, &analysis, &snapshot).unwrap();
        recommendation
    }

    #[test]
    fn measured_parallelism_replaces_the_rule_and_keeps_the_jobs_key_groups() {
        let recommendation = folded("1.20");
        assert_eq!(
            value(&recommendation, "parallelism.default").as_deref(),
            Some("8")
        );
        // The source needs one subtask, not eight.
        assert_eq!(
            value(&recommendation, "pipeline.jobvertex-parallelism-overrides").as_deref(),
            Some("src:1")
        );
        assert_eq!(
            value(&recommendation, "pipeline.max-parallelism").as_deref(),
            Some("128")
        );
        assert_eq!(recommendation.parallelism, 8);
    }

    #[test]
    fn on_2x_per_vertex_parallelism_is_a_warning_with_the_adaptive_schedulers_request() {
        let recommendation = folded("2.3");
        assert_eq!(
            value(&recommendation, "pipeline.jobvertex-parallelism-overrides"),
            None,
            "2.x ignores the key"
        );
        let warning = recommendation
            .warnings
            .iter()
            .find(|w| w.contains("FLINK-38770"))
            .unwrap();
        assert!(warning.contains("Source: source_events 1"), "{warning}");
        assert!(
            warning.contains(
                r#"PUT /jobs/job/resource-requirements {"agg":{"parallelism":{"lowerBound":1,"upperBound":8}},"src":{"parallelism":{"lowerBound":1,"upperBound":1}}}"#
            ),
            "{warning}"
        );
    }

    #[test]
    fn the_state_size_is_the_largest_full_checkpoint_rounded_up_to_a_mebibyte() {
        let mut snapshot = crate::cluster::analysis::tests::saturated_job(1);
        assert_eq!(measured_state_size(&snapshot), None, "no checkpoint yet");
        snapshot.checkpoints.state_size_max = Some(3_500_000.0);
        assert_eq!(
            measured_state_size(&snapshot),
            Some(MemorySize::mebibytes(4))
        );
        snapshot.checkpoints.state_size_max = Some(0.0);
        assert_eq!(
            measured_state_size(&snapshot),
            Some(MemorySize::mebibytes(1))
        );
        snapshot.checkpoints.state_size_max = Some(f64::NAN);
        assert_eq!(measured_state_size(&snapshot), None);
    }
}
