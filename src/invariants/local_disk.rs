//! FT-STA-003 (error): the local state of every TaskManager on a host fits the free disk under its state directory.
//! RocksDB and ForSt keep their working files there and local recovery one more copy of the last checkpoint
//! (src/advisor/estimate/local_disk.rs); past the free space RocksDB fails its writes ("No space left on device")
//! and the job restarts into the same wall. Judged only where the host's free space and the state size are known.

use crate::flink::MemorySize;
use crate::flink::job_options::state;
use crate::text::units::show;

use super::{Deployment, Level, Violation};
use crate::advisor::estimate::local_disk::local_disk_needed;

/// The local disk the TaskManagers of one host need, when the state size is known.
pub(crate) fn needed_per_host(deployment: &Deployment) -> Option<MemorySize> {
    let per_taskmanager = local_disk_needed(
        deployment.state_per_taskmanager()?,
        deployment.state_off_heap(),
        deployment.local_recovery,
    );
    let hosts = deployment.host.as_ref().map_or(1, |host| host.hosts.max(1));
    let per_host = deployment.taskmanagers_used().div_ceil(hosts);
    Some(MemorySize::from_bytes(
        per_taskmanager.bytes().saturating_mul(u64::from(per_host)),
    ))
}

pub(crate) fn violations(deployment: &Deployment) -> Vec<Violation> {
    let (Some(space), Some(needed)) = (
        deployment
            .host
            .as_ref()
            .and_then(|host| host.disk_space.as_ref()),
        needed_per_host(deployment),
    ) else {
        return Vec::new();
    };
    if needed <= space.value {
        return Vec::new();
    }
    let what = match (deployment.state_off_heap(), deployment.local_recovery) {
        (true, true) => {
            "its working files (twice the state, for compaction) and local recovery's copy"
        }
        (true, false) => "its working files (twice the state, for compaction)",
        _ => "local recovery's copy of the state",
    };
    vec![Violation::new(
        "FT-STA-003",
        Level::Error,
        Some(state::ROCKSDB_LOCAL_DIR.for_version(deployment.version)),
        format!(
            "the local state of one host needs {} ({what}), more than the {} free under its state directory ({})",
            show(needed),
            show(space.value),
            space.source
        ),
        "put local state on a larger disk (--state-dir, or --disk-space for a host described by flags), spread the \
         state over more hosts (--hosts), or correct --state-size",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::{Configuration, Origin, Value};
    use crate::flink::{FlinkVersion, MemorySize};
    use crate::host::{DiskKind, Fact, HostSpec, Source};

    /// A configuration of `pairs`, as a file would give them.
    fn configuration(pairs: &[(&str, &str)]) -> Configuration {
        let mut configuration = Configuration::new();
        for (key, value) in pairs {
            configuration.set(*key, Value::Text((*value).into()), Origin::DynamicProperty);
        }
        configuration
    }

    /// The violations of 8 subtasks on 2 TaskManagers of 4 slots, both on one host with `free_gib` free, for
    /// `state_gib` of state.
    fn judged(
        backend: &str,
        local_recovery: bool,
        state_gib: u64,
        free_gib: u64,
    ) -> Vec<Violation> {
        let recovery = if local_recovery { "true" } else { "false" };
        let configuration = configuration(&[
            ("taskmanager.memory.process.size", "8g"),
            ("taskmanager.numberOfTaskSlots", "4"),
            ("parallelism.default", "8"),
            ("state.backend.type", backend),
            ("execution.state-recovery.from-local", recovery),
        ]);
        let mut host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        host.disk_space = Some(Fact::new(
            MemorySize::gibibytes(free_gib),
            Source::Flag("--disk-space"),
        ));
        let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        profile.state_size = Some(MemorySize::gibibytes(state_gib));
        violations(&Deployment::from_configuration(
            &configuration,
            FlinkVersion::line(2, 3),
            Some(&host),
            Some(&profile),
        ))
    }

    #[test]
    fn rocksdb_needs_twice_its_state_per_host_and_local_recovery_one_copy_more() {
        // 40 GiB over the 2 TaskManagers parallelism 8 occupies, both on the one host: 20 GiB each.
        // RocksDB: 2 x 40 = 80 GiB; with local recovery 120 GiB.
        assert!(judged("rocksdb", false, 40, 80).is_empty());
        let over = judged("rocksdb", false, 40, 79);
        assert_eq!(over.len(), 1);
        assert_eq!(over[0].id, "FT-STA-003");
        assert_eq!(over[0].level, Level::Error);
        assert!(over[0].message.contains("80 GiB"), "{}", over[0].message);
        assert!(over[0].fix.contains("--hosts"), "{}", over[0].fix);
        assert!(judged("rocksdb", true, 40, 120).is_empty());
        assert_eq!(judged("rocksdb", true, 40, 119).len(), 1);
    }

    #[test]
    fn the_message_names_what_takes_the_space() {
        let what =
            |backend, local_recovery| judged(backend, local_recovery, 40, 1)[0].message.clone();
        let both = what("rocksdb", true);
        assert!(
            both.contains(
                "(its working files (twice the state, for compaction) and local recovery's copy)"
            ),
            "{both}"
        );
        let working = what("rocksdb", false);
        assert!(
            working.contains("(its working files (twice the state, for compaction))"),
            "{working}"
        );
        let copy = what("hashmap", true);
        assert!(
            copy.contains("(local recovery's copy of the state)"),
            "{copy}"
        );
    }

    #[test]
    fn the_heap_backend_needs_disk_only_for_the_local_copy() {
        assert!(judged("hashmap", false, 4, 1).is_empty());
        assert!(judged("hashmap", true, 4, 4).is_empty());
        assert_eq!(judged("hashmap", true, 4, 3).len(), 1);
    }

    #[test]
    fn unknown_space_or_state_is_not_judged() {
        let configuration = configuration(&[
            ("state.backend.type", "rocksdb"),
            ("parallelism.default", "8"),
        ]);
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        profile.state_size = Some(MemorySize::gibibytes(10_000));
        let deployment = Deployment::from_configuration(
            &configuration,
            FlinkVersion::line(2, 3),
            Some(&host),
            Some(&profile),
        );
        assert!(
            violations(&deployment).is_empty(),
            "no --disk-space: unknown"
        );
    }
}
