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

#[cfg(test)]
mod tests {
    use crate::advisor::test_support::{advise, value};

    /// Bounded jobs write BATCH; streaming, Flink's default, writes nothing.
    #[test]
    fn only_batch_jobs_write_the_runtime_mode() {
        let batch = advise(8.0, 32, "batch", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&batch, "execution.runtime-mode").as_deref(),
            Some("BATCH")
        );
        let streaming = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        assert_eq!(value(&streaming, "execution.runtime-mode"), None);
    }
}
