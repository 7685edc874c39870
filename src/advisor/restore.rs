//! Restore after a host dies: only a checkpoint on storage that outlives the host brings the job back (Flink docs:
//! "Checkpoints": checkpoint storage must be a durable, shared file system for recovery across machines). With
//! restore asked for, a durable checkpoint directory is required; without one, checkpoints of any real state land in
//! the JobManager's memory.

use crate::flink::job_options::{VersionedKey, state};
use crate::profile::Runtime;

use super::AdviceInput;
use super::error::AdviceError;
use super::setting::{Group, Input, Setting, SettingValue};

/// The scheme of a directory on the local disk of whichever machine reads it.
pub const LOCAL_SCHEME: &str = "file://";

pub fn settings(
    input: &AdviceInput,
    warnings: &mut Vec<String>,
) -> Result<Vec<Setting>, AdviceError> {
    let profile = input.profile;
    let key = |versioned: VersionedKey| {
        versioned
            .spelled_for(input.version)
            .unwrap_or(versioned.newest())
    };
    if profile.runtime == Runtime::Batch {
        if profile.restore {
            warnings.push("restore is ignored for batch jobs: BATCH mode takes no checkpoints; a failed job reruns".to_string());
        }
        return Ok(Vec::new());
    }
    let mut settings = Vec::new();
    match &profile.checkpoint_dir {
        None if profile.restore => return Err(AdviceError::RestoreWithoutCheckpointDir),
        None => {
            if profile.state_size.bytes() > 0 {
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
                    key(state::CHECKPOINT_DIR),
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
            key(state::SAVEPOINT_DIR),
            SettingValue::Text(dir.clone()),
            "default target of savepoints taken for upgrades and rescaling",
        ));
    }
    Ok(settings)
}
