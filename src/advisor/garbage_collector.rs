//! The TaskManagers' garbage collector. The heap state backend keeps every key's state as Java objects that each
//! update replaces, so its TaskManagers allocate and promote at the rate records arrive and the collector's cost is
//! the job's. Java picks G1, which keeps pauses short by doing part of its work beside the application (write
//! barriers, remembered sets, concurrent marking). The Java 17 GC Tuning Guide ("Selecting a Collector"): when peak
//! performance is the first priority and there is no pause-time requirement, or pauses of a second or longer are
//! acceptable, select the parallel collector. A job that declares no latency target has none; the parallel collector
//! then trades longer pauses for throughput. Measured on the outcome bench's heap-state job (docs/tuning-guidance.md,
//! "Garbage collector").
//!
//! Written only for streaming jobs on the heap backend without a latency target, and never where a pinned JVM option
//! selects a collector already (two selected collectors stop the JVM from starting, FT-GC-001).

use crate::flink::job_options::StateBackendKind;
use crate::flink::jvm_options::{
    Collector, TASKMANAGER_JAVA_OPTIONS_KEY, selected_collectors, taskmanager_flags,
};
use crate::profile::Runtime;

use super::setting::{Group, Input, Setting, SettingValue};
use super::{AdviceInput, Layout};

/// The collector written for heap-state jobs without a latency target.
pub(crate) const THROUGHPUT_COLLECTOR: Collector = Collector::Parallel;

pub(crate) fn settings(input: &AdviceInput, layout: &Layout) -> Vec<Setting> {
    let profile = input.profile;
    let heap_state =
        layout.backend.as_ref().map(|choice| choice.kind) == Some(StateBackendKind::HashMap);
    if profile.runtime != Runtime::Streaming || !heap_state || profile.latency_target.is_some() {
        return Vec::new();
    }
    let pinned = taskmanager_flags(|key| input.pins.get(key).map(str::to_string));
    if !selected_collectors(&pinned).is_empty() {
        return Vec::new();
    }
    vec![
        Setting::new(
            Group::Jvm,
            TASKMANAGER_JAVA_OPTIONS_KEY,
            SettingValue::Text(THROUGHPUT_COLLECTOR.flag().to_string()),
            "heap state is Java objects that every update replaces, and no latency target is set: Java's throughput \
             collector instead of G1 (Java GC Tuning Guide, \"Selecting a Collector\": no pause-time requirement); \
             a heap-state job ran 1.8x G1's records/s with it, pausing 2-4 s a minute (docs/tuning-guidance.md); \
             a --latency-target keeps G1",
        )
        .from_inputs([
            Input::new("state backend", "hashmap"),
            Input::new("profile.latency-target", "none"),
        ]),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::advisor::test_support::{advise, value};
    use crate::advisor::{Pins, recommend};
    use crate::flink::MemorySize;
    use crate::flink::catalogue::Catalogue;
    use crate::host::{DiskKind, HostSpec};
    use crate::profile::BackendChoice;
    use crate::profile::embedded::embedded_profile;

    fn collector(edit: impl FnOnce(&mut crate::profile::JobProfile)) -> Option<String> {
        let recommendation = advise(2.0, 24, "cpu-bound", "2.3", |_, profile| {
            profile.state_size = Some(MemorySize::mebibytes(20));
            profile.checkpoint_dir = Some("s3://bucket/checkpoints".into());
            edit(profile);
        })
        .unwrap();
        value(&recommendation, TASKMANAGER_JAVA_OPTIONS_KEY)
    }

    #[test]
    fn heap_state_without_a_latency_target_gets_the_throughput_collector() {
        assert_eq!(collector(|_| {}).as_deref(), Some("-XX:+UseParallelGC"));
    }

    #[test]
    fn a_latency_target_rocksdb_or_a_batch_job_keeps_javas_default() {
        assert_eq!(
            collector(|profile| profile.latency_target = Some(Duration::from_secs(5))),
            None
        );
        assert_eq!(
            collector(|profile| profile.state_backend = BackendChoice::RocksDb),
            None
        );
        assert_eq!(collector(|profile| profile.runtime = Runtime::Batch), None);
    }

    /// Two selected collectors and the TaskManager's JVM does not start ("Multiple garbage collectors selected").
    #[test]
    fn a_pinned_collector_is_the_only_one_selected() {
        let host = HostSpec::planned(2.0, MemorySize::gibibytes(24), DiskKind::Ssd);
        let profile = embedded_profile("cpu-bound").unwrap();
        for key in [
            "env.java.opts.all",
            "env.java.opts",
            "env.java.opts.taskmanager",
        ] {
            let pairs = [(key.to_string(), "-Xss2m -XX:+UseG1GC".to_string())];
            let version = "2.3".parse().unwrap();
            let recommendation = recommend(&crate::advisor::test_support::input(
                &host,
                &profile,
                version,
                Pins::resolve(&pairs, version, Catalogue::get()).unwrap(),
            ))
            .unwrap();
            let flags = taskmanager_flags(|key| value(&recommendation, key));
            assert_eq!(selected_collectors(&flags), [Collector::G1], "{key}");
        }
    }
}
