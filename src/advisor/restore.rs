//! Restore after a host dies: only a checkpoint on storage that outlives the host brings the job back (Flink docs:
//! "Checkpoints": checkpoint storage must be a durable, shared file system for recovery across machines). With
//! restore asked for, a durable checkpoint directory is required; without one, checkpoints of any real state land in
//! the JobManager's memory.

use crate::flink::job_options::state;
use crate::profile::{Purpose, Runtime};

use super::AdviceInput;
use super::error::AdviceError;
use super::setting::{Group, Input, Setting, SettingValue};

/// The scheme of a directory on the local disk of whichever machine reads it.
pub(crate) const LOCAL_SCHEME: &str = "file://";

pub(crate) fn settings(
    input: &AdviceInput,
    warnings: &mut Vec<String>,
) -> Result<Vec<Setting>, AdviceError> {
    let profile = input.profile;
    if profile.runtime == Runtime::Batch {
        if profile.restore {
            warnings.push("restore is ignored for batch jobs: BATCH mode takes no checkpoints; a failed job reruns".to_string());
        }
        return Ok(Vec::new());
    }
    let mut settings = Vec::new();
    match &profile.checkpoint_dir {
        None if profile.restore => return Err(AdviceError::RestoreWithoutCheckpointDir),
        None if let Some(dir) = super::single_host_checkpoints::local_dir(input) => {
            let limit =
                crate::text::units::show(crate::flink::job_options::JOBMANAGER_STORAGE_MAX_STATE);
            let (plan, state) = match (profile.purpose, profile.state_size) {
                (Purpose::Development, _) => ("a development session on one host", String::new()),
                (_, None) => ("one host", ", and the state size is unknown".to_string()),
                (_, Some(size)) => (
                    "one host",
                    format!(", and the job holds {}", crate::text::units::show(size)),
                ),
            };
            if profile.purpose == Purpose::Production {
                warnings.push(format!(
                    "no checkpoint directory: checkpoints go to this host's disk ({dir}), which brings the job back \
                     after a failure but not after the host's loss; pass --checkpoint-dir URI on shared storage"
                ));
            }
            settings.push(
                Setting::new(
                    Group::Checkpointing,
                    state::CHECKPOINT_DIR.for_version(input.version),
                    SettingValue::Text(dir.clone()),
                    format!(
                        "{plan}: checkpoints on its local disk, under the directory recommend ran in, instead of the \
                         JobManager's heap, which refuses state over {limit}{state} (pass --checkpoint-dir for \
                         another place)"
                    ),
                )
                .from_inputs([
                    Input::new("profile.purpose", profile.purpose),
                    Input::new(
                        "working directory",
                        input
                            .working_dir
                            .as_deref()
                            .map_or_else(String::new, |path| path.display().to_string()),
                    ),
                ]),
            );
        }
        None => {
            if profile.state_size.is_none_or(|size| size.bytes() > 0)
                && profile.purpose == Purpose::Production
            {
                warnings.push(
                    "no checkpoint directory: Flink keeps checkpoints in the JobManager's memory, which only suits \
                     small state and is lost with the JobManager; pass --checkpoint-dir URI"
                        .to_string(),
                );
            }
        }
        Some(dir) => {
            let local = dir.starts_with(LOCAL_SCHEME);
            if local && profile.restore && !input.allow_local_checkpoints {
                warnings.push(format!(
                    "checkpoint directory {dir} is on a local disk: when that host dies its checkpoints die with it; \
                     use shared storage (s3://, hdfs://), or pass --allow-local-checkpoints if it is a shared mount"
                ));
            }
            settings.push(
                Setting::new(
                    Group::Checkpointing,
                    state::CHECKPOINT_DIR.for_version(input.version),
                    SettingValue::Text(dir.clone()),
                    if profile.restore {
                        "durable checkpoint storage: the job restores from here after a failure or redeploy"
                    } else {
                        "where checkpoints are written"
                    },
                )
                .from_inputs([Input::new("profile.checkpoint-dir", dir), Input::new("profile.restore", profile.restore)]),
            );
        }
    }
    if let Some(dir) = &profile.savepoint_dir {
        settings.push(Setting::new(
            Group::Checkpointing,
            state::SAVEPOINT_DIR.for_version(input.version),
            SettingValue::Text(dir.clone()),
            "default target of savepoints taken for upgrades and rescaling",
        ));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::advisor::test_support::{advise, input, value};
    use crate::advisor::{HostSpec, Pins};
    use crate::flink::MemorySize;
    use crate::host::DiskKind;
    use crate::profile::JobProfile;
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn restore_needs_a_durable_directory() {
        let error = advise(8.0, 32, "balanced", "2.3", |_, p| p.restore = true).unwrap_err();
        assert_eq!(error, AdviceError::RestoreWithoutCheckpointDir);
        let local = advise(8.0, 32, "balanced", "2.3", |_, p| {
            p.restore = true;
            p.checkpoint_dir = Some("file:///data/ckpt".into());
        })
        .unwrap();
        assert!(
            local.warnings.iter().any(|w| w.contains("local disk")),
            "{:?}",
            local.warnings
        );
        assert_eq!(
            value(
                &local,
                "execution.checkpointing.externalized-checkpoint-retention"
            )
            .as_deref(),
            Some("RETAIN_ON_CANCELLATION")
        );
    }

    #[test]
    fn the_directory_key_follows_the_release() {
        let dir = |version| {
            let advice = advise(8.0, 32, "balanced", version, |_, p| {
                p.checkpoint_dir = Some("s3://b/c".into())
            })
            .unwrap();
            advice
                .settings
                .iter()
                .find(|s| s.value.to_string() == "s3://b/c")
                .map(|s| s.key.clone())
        };
        assert_eq!(dir("1.19"), Some("state.checkpoints.dir".into()));
        assert_eq!(dir("1.20"), Some("execution.checkpointing.dir".into()));
        assert_eq!(dir("2.3"), Some("execution.checkpointing.dir".into()));
    }

    /// The warnings of `settings` for `edit` of a production job with unknown state and no checkpoint directory.
    fn warnings_for(
        working_dir: Option<&str>,
        allow_local_checkpoints: bool,
        edit: impl FnOnce(&mut JobProfile),
    ) -> Vec<String> {
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let mut profile = embedded_profile("balanced").unwrap();
        profile.state_size = None;
        edit(&mut profile);
        let mut input = input(&host, &profile, "2.3".parse().unwrap(), Pins::default());
        input.working_dir = working_dir.map(PathBuf::from);
        input.allow_local_checkpoints = allow_local_checkpoints;
        let mut warnings = Vec::new();
        settings(&input, &mut warnings).unwrap();
        warnings
    }

    /// Only production jobs that hold state are warned about the JobManager's memory: a stateless job loses
    /// nothing, and a development session is not asked for durability.
    #[test]
    fn the_jobmanagers_memory_is_a_warning_for_production_state_only() {
        let warned = |edit: fn(&mut JobProfile)| {
            warnings_for(None, false, edit)
                .iter()
                .any(|w| w.contains("the JobManager's memory"))
        };
        assert!(warned(|_| {}));
        assert!(warned(|p| p.state_size = Some(MemorySize::mebibytes(100))));
        assert!(!warned(|p| p.state_size = Some(MemorySize::ZERO)));
        assert!(!warned(|p| p.purpose = Purpose::Development));
    }

    /// Checkpoints on this host's disk (one host, no directory) warn a production job that they die with the host;
    /// a development session is told nothing.
    #[test]
    fn local_checkpoints_on_one_host_warn_production_only() {
        let warned = |purpose| {
            warnings_for(Some("/srv/job"), false, |p| p.purpose = purpose)
                .iter()
                .any(|w| {
                    w.contains(
                        "checkpoints go to this host's disk (file:///srv/job/flink-checkpoints)",
                    )
                })
        };
        assert!(warned(Purpose::Production));
        assert!(!warned(Purpose::Development));
    }

    /// A `file://` directory warns only a restorable job that has not said the mount is shared.
    #[test]
    fn a_local_directory_warns_only_a_restorable_job_that_did_not_allow_it() {
        let warned = |dir: &str, restore: bool, allow: bool| {
            let dir = dir.to_string();
            warnings_for(None, allow, move |p| {
                p.checkpoint_dir = Some(dir);
                p.restore = restore;
            })
            .iter()
            .any(|w| w.contains("is on a local disk"))
        };
        assert!(warned("file:///data/ckpt", true, false));
        assert!(!warned("file:///data/ckpt", false, false));
        assert!(!warned("file:///data/ckpt", true, true));
        assert!(!warned("s3://b/ckpt", true, false));
    }

    #[test]
    fn without_a_directory_stateful_jobs_are_warned() {
        let advice = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        assert!(
            advice
                .warnings
                .iter()
                .any(|w| w.contains("JobManager's memory")),
            "{:?}",
            advice.warnings
        );
    }
}
