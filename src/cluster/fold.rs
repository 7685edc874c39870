//! `recommend --from-cluster`: the live analysis folded into a recommendation. The parallelism comes from the
//! measured rates (the widest vertex as `parallelism.default`, the others as `pipeline.jobvertex-parallelism-overrides`
//! where the release applies it, else as a warning saying how to set them),
//! the max parallelism stays what the running job's state was written with, and every finding that names a setting
//! replaces the rule's value, with the measurement as its reason. Memory is resolved again afterwards, so the emitted
//! file still resolves in Flink as planned.

use crate::advisor::{AdviceError, Group, Recommendation, Setting, SettingValue, resolve_memory};
use crate::flink::MemorySize;
use crate::flink::job_options::cluster;
use crate::profile::Deployment;

use super::ClusterSnapshot;
use super::analysis::{Analysis, Area};

pub(crate) fn fold_into(
    recommendation: &mut Recommendation,
    analysis: &Analysis,
    snapshot: &ClusterSnapshot,
    deployment: Deployment,
) -> Result<(), AdviceError> {
    let version = recommendation.version;
    let needs = vertex_needs(
        analysis,
        snapshot,
        recommendation.layout.total_slots().max(1),
    );
    let needed = needs.iter().map(|need| need.subtasks).max().unwrap_or(1);
    let widest = within_slots(recommendation, analysis, deployment, needed);
    let mut replacements = vec![Setting::new(
        Group::Cluster,
        cluster::PARALLELISM_DEFAULT.for_version(version),
        SettingValue::Integer(i64::from(widest)),
        format!(
            "measured on the running job: its widest vertex needs {widest} subtasks (flinktune metrics shows each)"
        ),
    )];
    let narrower: Vec<&VertexNeed> = needs.iter().filter(|need| need.subtasks < widest).collect();
    let names = || {
        narrower
            .iter()
            .map(|need| format!("{} {}", need.name, need.subtasks))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if narrower.is_empty() {
        // Every vertex at the default parallelism.
    } else if version.applies_vertex_parallelism_overrides() {
        let overrides: Vec<String> = narrower
            .iter()
            .map(|need| format!("{}:{}", need.id, need.subtasks))
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
            resource_requirements(&needs)
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
    for replacement in replacements {
        replace(&mut recommendation.settings, replacement);
    }
    crate::advisor::network_pair::align(&mut recommendation.settings);
    // A finding was measured under the running job's configuration, which the plan may have changed (another
    // backend, other slots): its setting is taken only where the plan stays coherent with it, so that the fold never
    // writes what `check` flags (a measured "unused managed memory" beside a plan that moved to RocksDB would leave
    // RocksDB with none, FT-MEM-002).
    for finding in &analysis.findings {
        if let Some((setting_key, value)) = &finding.setting {
            let measured = Setting::new(
                group_of(finding.area),
                setting_key.spelled_for(version),
                SettingValue::Text(value.clone()),
                format!("measured: {}; {}", finding.message, finding.fix),
            );
            let mut trial = recommendation.settings.clone();
            replace(&mut trial, measured);
            crate::advisor::network_pair::align(&mut trial);
            match crate::advisor::coherence::judge_settings(version, &trial) {
                Ok(_) => recommendation.settings = trial,
                Err(broken) => recommendation.warnings.push(format!(
                    "measured on the running job: {} ({}); not applied to this plan: {broken}",
                    finding.message, finding.fix
                )),
            }
        }
    }
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

/// Puts `setting` in place of the one with its key, or adds it.
fn replace(settings: &mut Vec<Setting>, setting: Setting) {
    match settings.iter_mut().find(|s| s.key == setting.key) {
        Some(existing) => *existing = setting,
        None => settings.push(setting),
    }
}

/// The parallelism the plan can run: what the measurement `needed`, or, on a standalone cluster, whose TaskManagers
/// are started by hand with a fixed number of slots, at most the slots the planned hosts offer (a job that asks for
/// more waits for slots that never come and fails after `slot.request.timeout`, measured by the outcome bench). YARN
/// and Kubernetes start TaskManagers on demand, so there the measured parallelism stands. The warning names the
/// hosts that would serve the measured need, and for an IO-bound vertex the cheaper levers.
fn within_slots(
    recommendation: &mut Recommendation,
    analysis: &Analysis,
    deployment: Deployment,
    needed: u32,
) -> u32 {
    let slots = recommendation.layout.total_slots().max(1);
    if deployment != Deployment::Standalone || needed <= slots {
        return needed;
    }
    let per_host = (slots / recommendation.layout.hosts.max(1)).max(1);
    let hosts = needed.div_ceil(per_host);
    let io_bound: Vec<&str> = analysis
        .vertices
        .iter()
        .filter(|vertex| vertex.recommended > slots && vertex.io_bound)
        .map(|vertex| vertex.name.as_str())
        .collect();
    let io_hint = if io_bound.is_empty() {
        String::new()
    } else {
        format!(
            "; {} wait on external calls (busy while the CPUs idle): asynchronous I/O in the job serves them \
             without more hosts or slots",
            io_bound.join(", ")
        )
    };
    recommendation.warnings.push(format!(
        "the running job needs {needed} subtasks at its widest vertex to keep up, but {} host(s) of {per_host} slots \
         offer {slots}: parallelism is capped at {slots} so the job can start; --hosts {hosts} plans for the \
         measured need{io_hint}",
        recommendation.layout.hosts
    ));
    slots
}

/// What one vertex needs in this plan.
struct VertexNeed<'a> {
    id: &'a str,
    name: &'a str,
    subtasks: u32,
}

/// Every vertex's parallelism in a plan of `slots` slots: the measured need, or, for a vertex whose source the job
/// holds back (no need can be measured, src/cluster/analysis/parallelism.rs), every slot up to its max parallelism
/// and its source partitions.
fn vertex_needs<'a>(
    analysis: &'a Analysis,
    snapshot: &ClusterSnapshot,
    slots: u32,
) -> Vec<VertexNeed<'a>> {
    analysis
        .vertices
        .iter()
        .map(|vertex| {
            let max_parallelism = snapshot
                .job
                .vertices
                .iter()
                .find(|v| v.id == vertex.id)
                // A source subtask without a partition idles.
                .map_or(u32::MAX, |v| {
                    v.max_parallelism
                        .min(v.source_partitions.unwrap_or(u32::MAX))
                        .max(1)
                });
            VertexNeed {
                id: &vertex.id,
                name: &vertex.name,
                subtasks: if vertex.unbounded_demand {
                    slots.min(max_parallelism)
                } else {
                    vertex.recommended
                },
            }
        })
        .collect()
}

/// The body of the adaptive scheduler's `PUT /jobs/:id/resource-requirements` (Flink 1.18+) that runs each vertex at
/// its planned parallelism.
fn resource_requirements(needs: &[VertexNeed]) -> String {
    let vertices: serde_json::Map<String, serde_json::Value> = needs
        .iter()
        .map(|need| {
            (
                need.id.to_string(),
                serde_json::json!({"parallelism": {"lowerBound": 1, "upperBound": need.subtasks}}),
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

    /// The saturated test job (its aggregation needs 8 subtasks for 50,000 rec/s) folded into the advice for a
    /// 2-core host; on Kubernetes, where TaskManagers start on demand, unless `deployment` says otherwise.
    fn folded_on(version: &str, deployment: Deployment) -> Recommendation {
        let snapshot = crate::cluster::analysis::tests::saturated_job(1);
        let analysis = analyse(
            &snapshot,
            AnalysisOptions {
                input_rate: Some(50_000.0),
                ..AnalysisOptions::default()
            },
        );
        let mut recommendation = advise(2.0, 8, "balanced", version, |_, _| {}).unwrap();
        fold_into(&mut recommendation, &analysis, &snapshot, deployment).unwrap();
        recommendation
    }

    fn folded(version: &str) -> Recommendation {
        folded_on(version, Deployment::Kubernetes)
    }

    #[test]
    fn a_measured_setting_that_would_break_the_plan_is_reported_not_applied() {
        // The trial ran the heap backend with its managed memory unused; the plan moves 200 GiB of state to RocksDB,
        // which needs that memory (the outcome bench caught --from-cluster writing RocksDB with a fraction of 0).
        let mut snapshot = crate::cluster::analysis::tests::saturated_job(1);
        for sample in &mut snapshot.samples {
            sample.taskmanagers.managed_used = crate::cluster::Aggregate {
                max: Some(0.0),
                ..Default::default()
            };
        }
        let analysis = analyse(&snapshot, AnalysisOptions::default());
        assert!(
            analysis
                .findings
                .iter()
                .any(|finding| finding.setting.is_some()),
            "{:?}",
            analysis.findings
        );
        let mut recommendation = advise(4.0, 16, "balanced", "2.3", |_, profile| {
            profile.state_size = Some(MemorySize::gibibytes(200));
            profile.checkpoint_dir = Some("s3://bucket/checkpoints".to_string());
        })
        .unwrap();
        let planned = value(&recommendation, "taskmanager.memory.managed.fraction");
        assert_ne!(planned.as_deref(), Some("0.0"));
        fold_into(
            &mut recommendation,
            &analysis,
            &snapshot,
            Deployment::Kubernetes,
        )
        .unwrap();
        assert_eq!(
            value(&recommendation, "taskmanager.memory.managed.fraction"),
            planned
        );
        assert!(
            recommendation
                .warnings
                .iter()
                .any(|warning| warning.contains("not applied to this plan")
                    && warning.contains("FT-MEM-002")),
            "{:?}",
            recommendation.warnings
        );
    }

    #[test]
    fn a_standalone_cluster_gets_no_more_parallelism_than_its_slots_and_a_warning_naming_the_hosts()
    {
        let recommendation = folded_on("1.20", Deployment::Standalone);
        let slots = recommendation.layout.total_slots();
        assert!(
            slots < 8,
            "the test needs a host with fewer slots than 8: {slots}"
        );
        assert_eq!(recommendation.parallelism, slots);
        assert_eq!(
            value(&recommendation, "parallelism.default"),
            Some(slots.to_string())
        );
        // No vertex is set wider than the default the job can get.
        assert_eq!(
            value(&recommendation, "pipeline.jobvertex-parallelism-overrides").as_deref(),
            Some("src:1")
        );
        let hosts = 8_u32.div_ceil(slots);
        assert!(
            recommendation
                .warnings
                .iter()
                .any(|warning| warning.contains("needs 8 subtasks")
                    && warning.contains(&format!("capped at {slots}"))
                    && warning.contains(&format!("--hosts {hosts}"))),
            "{:?}",
            recommendation.warnings
        );
    }

    #[test]
    fn a_source_the_job_holds_back_gives_the_plan_every_slot_and_no_capping_warning() {
        // No rate asked for, the datagen source back-pressured 90% of the time: no need can be measured.
        let mut snapshot = crate::cluster::analysis::tests::saturated_job(1);
        let fold = |snapshot: &ClusterSnapshot| {
            let analysis = analyse(snapshot, AnalysisOptions::default());
            let mut recommendation = advise(8.0, 32, "io-bound", "1.20", |_, _| {}).unwrap();
            fold_into(
                &mut recommendation,
                &analysis,
                snapshot,
                Deployment::Standalone,
            )
            .unwrap();
            recommendation
        };
        let recommendation = fold(&snapshot);
        let slots = recommendation.layout.total_slots();
        assert!(
            slots > 4,
            "the io-bound plan has more slots than the trial's 4: {slots}"
        );
        assert_eq!(
            value(&recommendation, "parallelism.default"),
            Some(slots.to_string())
        );
        assert_eq!(
            value(&recommendation, "pipeline.jobvertex-parallelism-overrides"),
            None
        );
        assert!(
            !recommendation
                .warnings
                .iter()
                .any(|w| w.contains("capped at")),
            "{:?}",
            recommendation.warnings
        );
        // A source with 2 partitions reads with 2 subtasks; the rest of the job still gets every slot.
        snapshot.job.vertices[0].source_partitions = Some(2);
        let recommendation = fold(&snapshot);
        assert_eq!(
            value(&recommendation, "parallelism.default"),
            Some(slots.to_string())
        );
        assert_eq!(
            value(&recommendation, "pipeline.jobvertex-parallelism-overrides").as_deref(),
            Some("src:2")
        );
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
