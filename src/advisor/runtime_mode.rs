//! `execution.runtime-mode` for bounded jobs. Flink's docs ("Execution Mode (Batch/Streaming)"): BATCH mode schedules
//! stage by stage, sorts instead of keeping state, and recovers by rerunning failed stages, with no checkpoints.
//! Streaming is Flink's default, so only batch profiles write the key.

use crate::flink::job_options::{RUNTIME_MODE_BATCH, cluster};
use crate::profile::Runtime;

use super::AdviceInput;
use super::setting::{Group, Input, Setting, SettingValue};

pub(crate) fn settings(input: &AdviceInput) -> Vec<Setting> {
    if input.profile.runtime != Runtime::Batch {
        return Vec::new();
    }
    let key = cluster::RUNTIME_MODE;
    vec![
        Setting::new(
            Group::Cluster,
            key.for_version(input.version),
            SettingValue::Word(RUNTIME_MODE_BATCH),
            "bounded input: BATCH mode schedules stage by stage and needs no checkpoints",
        )
        .from_inputs([Input::new("profile.runtime", input.profile.runtime)]),
    ]
}
