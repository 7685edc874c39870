//! Garbage collector invariants, over the flags a TaskManager's `java` command line gets (`env.java.opts.all`, or
//! its deprecated fallback, then `env.java.opts.taskmanager`; src/flink/jvm_options.rs).
//! - FT-GC-001 (error): more than one collector selected; Java 17 refuses to start ("Multiple garbage collectors
//!   selected"), so no TaskManager runs.
//! - FT-GC-002 (warning): a collector that stops the application for whole old-generation collections (parallel,
//!   serial) while the job declares a latency target; the Java GC Tuning Guide ("Selecting a Collector") keeps those
//!   for jobs with no pause-time requirement, and the advisor writes the parallel collector only for them
//!   (src/advisor/garbage_collector.rs).

use crate::flink::duration::FlinkDuration;
use crate::flink::jvm_options::TASKMANAGER_JAVA_OPTIONS_KEY;
use crate::text::units::show;

use super::{Deployment, Level, Violation};

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let collectors = &deployment.taskmanager_collectors;
    let flags = || {
        collectors
            .iter()
            .map(|collector| collector.flag())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if collectors.len() > 1 {
        return vec![Violation::new(
            "FT-GC-001",
            Level::Error,
            Some(TASKMANAGER_JAVA_OPTIONS_KEY),
            format!(
                "the TaskManagers' JVM options select {} collectors ({}): Java refuses to start with \"Multiple \
                 garbage collectors selected\"",
                collectors.len(),
                flags()
            ),
            "keep one -XX:+Use...GC flag across env.java.opts.all and env.java.opts.taskmanager",
        )];
    }
    let latency_target = deployment
        .profile
        .as_ref()
        .and_then(|profile| profile.latency_target);
    match (collectors.first(), latency_target) {
        (Some(collector), Some(target)) if collector.stops_the_world_for_old_collections() => {
            let heap = deployment
                .taskmanager
                .as_ref()
                .map(|memory| format!(" on a {} heap", show(memory.jvm_heap())))
                .unwrap_or_default();
            vec![Violation::new(
                "FT-GC-002",
                Level::Warning,
                Some(TASKMANAGER_JAVA_OPTIONS_KEY),
                format!(
                    "{} stops the TaskManagers for each old-generation collection (seconds{heap}), against a \
                     latency target of {}",
                    collector.flag(),
                    FlinkDuration(target)
                ),
                format!(
                    "drop {} (Java then picks G1), or drop the latency target if pauses are acceptable",
                    collector.flag()
                ),
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::flink::FlinkVersion;
    use crate::flink::config::{Configuration, Origin, Value};
    use crate::invariants::Level;
    use crate::profile::embedded::embedded_profile;

    fn judged(pairs: &[(&str, &str)], latency_target: Option<Duration>) -> Vec<Violation> {
        let mut configuration = Configuration::new();
        for (key, value) in pairs {
            configuration.set(*key, Value::Text((*value).into()), Origin::DynamicProperty);
        }
        let mut profile = embedded_profile("balanced").unwrap();
        profile.latency_target = latency_target;
        violations(&Deployment::from_configuration(
            &configuration,
            FlinkVersion::line(2, 3),
            None,
            Some(&profile),
        ))
    }

    #[test]
    fn two_collectors_for_the_taskmanagers_stop_them_from_starting() {
        let found = judged(
            &[
                ("env.java.opts.all", "-Xss2m -XX:+UseG1GC"),
                ("env.java.opts.taskmanager", "-XX:+UseParallelGC"),
            ],
            None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].id, found[0].level, found[0].key),
            (
                "FT-GC-001",
                Level::Error,
                Some(TASKMANAGER_JAVA_OPTIONS_KEY)
            )
        );
        assert!(
            found[0]
                .message
                .contains("select 2 collectors (-XX:+UseG1GC -XX:+UseParallelGC)"),
            "{}",
            found[0].message
        );
        // The JobManager's own options never reach a TaskManager, and one collector twice is one.
        for pairs in [
            [
                ("env.java.opts.jobmanager", "-XX:+UseSerialGC"),
                ("env.java.opts.taskmanager", "-XX:+UseParallelGC"),
            ],
            [
                ("env.java.opts.all", "-XX:+UseParallelGC"),
                ("env.java.opts.taskmanager", "-XX:+UseParallelGC"),
            ],
        ] {
            assert_eq!(judged(&pairs, None), []);
        }
    }

    #[test]
    fn a_stop_the_world_collector_warns_only_against_a_latency_target() {
        let parallel = [
            ("env.java.opts.taskmanager", "-XX:+UseParallelGC"),
            ("taskmanager.memory.process.size", "4g"),
        ];
        let found = judged(&parallel, Some(Duration::from_millis(500)));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].id, found[0].level), ("FT-GC-002", Level::Warning));
        assert!(
            found[0].message.starts_with(
                "-XX:+UseParallelGC stops the TaskManagers for each old-generation collection (seconds on a \
                 1.5 GiB heap), against a latency target of 500 ms"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(judged(&parallel, None), []);
        let serial = [("env.java.opts", "-XX:+UseSerialGC")];
        assert_eq!(
            judged(&serial, Some(Duration::from_secs(1)))[0].id,
            "FT-GC-002"
        );
        let g1 = [("env.java.opts.taskmanager", "-XX:+UseG1GC")];
        assert_eq!(judged(&g1, Some(Duration::from_millis(100))), []);
        assert_eq!(judged(&[], Some(Duration::from_millis(100))), []);
    }
}
