//! How much of a host's memory TaskManagers may take: all of it minus a reserve for the operating system and the
//! daemons beside Flink (page cache, sshd, log shippers, node exporters), minus a JobManager that shares the host.
//! Inside a container, or on Kubernetes, the limit is the TaskManager's own budget: Flink's native Kubernetes and
//! YARN integrations set `taskmanager.memory.process.size` to the container size (Flink docs, "Set up Flink's
//! process memory").

use crate::flink::MemorySize;
use crate::host::{HostSpec, Source};
use crate::profile::{Deployment, JobProfile};

use crate::text::units::show;

/// The reserve on a bare host or VM: a tenth of its memory, at least 1 GiB, at most 8 GiB. The floor covers the
/// kernel and a few daemons on small machines; the cap stops large hosts from idling memory Flink could use (the
/// 10% share is flinktune's own choice: docs/tuning-guidance.md, "Host memory reserve").
pub(crate) const OS_RESERVE_SHARE: f64 = 0.10;
pub(crate) const OS_RESERVE_MIN: MemorySize = MemorySize::gibibytes(1);
pub(crate) const OS_RESERVE_MAX: MemorySize = MemorySize::gibibytes(8);

/// A host's memory split.
#[derive(Debug, Clone, PartialEq)]
pub struct HostBudget {
    pub usable: MemorySize,
    pub os_reserve: MemorySize,
    /// The JobManager's process size when it runs on this host, else zero.
    pub jobmanager: MemorySize,
    pub why_reserve: String,
}

impl HostBudget {
    /// What the TaskManagers on the host share (zero when the reserve takes everything).
    pub fn for_taskmanagers(&self) -> MemorySize {
        MemorySize::from_bytes(
            self.usable
                .bytes()
                .saturating_sub(self.os_reserve.bytes())
                .saturating_sub(self.jobmanager.bytes()),
        )
    }

    /// What was taken before the TaskManagers, for messages.
    pub fn taken(&self) -> String {
        match self.jobmanager.bytes() {
            0 => format!("a {} reserve", show(self.os_reserve)),
            _ => format!(
                "a {} reserve and a {} JobManager",
                show(self.os_reserve),
                show(self.jobmanager)
            ),
        }
    }
}

pub(crate) fn host_budget(
    host: &HostSpec,
    profile: &JobProfile,
    jobmanager_process: MemorySize,
) -> HostBudget {
    let usable = host.usable_memory();
    let in_container =
        matches!(usable.source, Source::Cgroup(_)) || profile.deployment == Deployment::Kubernetes;
    let (os_reserve, why_reserve) = if in_container {
        (
            MemorySize::ZERO,
            "no OS reserve: the container limit is the TaskManager's own budget".to_string(),
        )
    } else {
        let share = MemorySize::from_bytes((usable.value.bytes() as f64 * OS_RESERVE_SHARE) as u64);
        let reserve = share.max(OS_RESERVE_MIN).min(OS_RESERVE_MAX);
        (
            reserve,
            format!(
                "{} kept for the OS and daemons (10% of memory, 1 to 8 GiB)",
                show(reserve)
            ),
        )
    };
    HostBudget {
        usable: usable.value,
        os_reserve,
        jobmanager: if crate::invariants::deployment::jobmanager_shares_host(host, Some(profile)) {
            jobmanager_process
        } else {
            MemorySize::ZERO
        },
        why_reserve,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::DiskKind;
    use crate::profile::embedded::embedded_profile;

    fn budget(gib: u64, jobmanager_on_host: bool, profile: &str) -> HostBudget {
        let mut host = HostSpec::planned(8.0, MemorySize::gibibytes(gib), DiskKind::Ssd);
        host.jobmanager_on_host = jobmanager_on_host;
        host_budget(
            &host,
            &embedded_profile(profile).unwrap(),
            MemorySize::mebibytes(1600),
        )
    }

    #[test]
    fn reserve_is_a_tenth_between_one_and_eight_gib() {
        assert_eq!(
            budget(4, false, "balanced").os_reserve,
            MemorySize::gibibytes(1)
        );
        assert_eq!(
            budget(10, false, "balanced").os_reserve,
            MemorySize::gibibytes(1)
        );
        assert_eq!(
            budget(40, false, "balanced").os_reserve,
            MemorySize::gibibytes(4)
        );
        assert_eq!(
            budget(768, false, "balanced").os_reserve,
            MemorySize::gibibytes(8)
        );
    }

    #[test]
    fn a_colocated_jobmanager_and_kubernetes_change_the_share() {
        let shared = budget(16, true, "balanced");
        assert_eq!(shared.os_reserve, MemorySize::from_bytes(1_717_986_918));
        assert_eq!(
            shared.for_taskmanagers(),
            MemorySize::from_bytes((16 << 30) - 1_717_986_918 - (1600 << 20))
        );
        let mut host = HostSpec::planned(4.0, MemorySize::gibibytes(8), DiskKind::Ssd);
        host.jobmanager_on_host = false;
        let mut profile = embedded_profile("balanced").unwrap();
        profile.deployment = Deployment::Kubernetes;
        let pod = host_budget(&host, &profile, MemorySize::mebibytes(1600));
        assert_eq!(pod.for_taskmanagers(), MemorySize::gibibytes(8));
    }
}
