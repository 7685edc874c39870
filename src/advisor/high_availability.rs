//! High availability for restorable jobs. Without it a JobManager failure loses the running jobs: the checkpoints
//! stay in storage, but nothing remembers which job they belong to, so someone must resubmit from the latest one by
//! hand (Flink docs, "High Availability": "the JobManager is a single point of failure"). With HA the JobManager's
//! metadata goes to `high-availability.storageDir` and a new leader resumes every job from its latest checkpoint.
//!
//! On Kubernetes Flink elects the leader through ConfigMaps (`KubernetesHaServicesFactory`), which needs nothing
//! else but `kubernetes.cluster-id`, which a Kubernetes deployment sets anyway. On standalone and YARN the leader is
//! elected through ZooKeeper (`ZooKeeperLeaderElectionDriver`), whose ensemble only the user knows: the keys are
//! written and a warning names the quorum to fill in (Flink refuses to start HA without it).

use crate::flink::job_options::high_availability as ha;
use crate::profile::{Deployment, Runtime};

use super::AdviceInput;
use super::setting::{Group, Input, Setting, SettingValue};

/// The directory name of the HA metadata, beside the checkpoint directory.
pub(crate) const HA_DIR_NAME: &str = "ha";

/// The HA settings for a restorable streaming job with a checkpoint directory; nothing otherwise.
pub(crate) fn settings(input: &AdviceInput, warnings: &mut Vec<String>) -> Vec<Setting> {
    let profile = input.profile;
    let Some(checkpoint_dir) = profile
        .checkpoint_dir
        .as_deref()
        .filter(|_| profile.restore && profile.runtime == Runtime::Streaming)
    else {
        return Vec::new();
    };
    let version = input.version;
    let storage = super::storage_path::sibling(checkpoint_dir, HA_DIR_NAME);
    let (kind, why_kind) = match profile.deployment {
        Deployment::Kubernetes => (
            ha::KUBERNETES,
            format!(
                "a restorable job: a JobManager pod that dies is replaced and resumes the job from its latest \
                 checkpoint; leader election through Kubernetes ConfigMaps needs no ZooKeeper (it uses the cluster's \
                 {} as its name)",
                crate::flink::job_options::deployment::KUBERNETES_CLUSTER_ID.for_version(version)
            ),
        ),
        Deployment::Standalone | Deployment::Yarn => {
            if profile.zookeeper_quorum.is_none() {
                warnings.push(format!(
                    "high availability on {} needs ZooKeeper: fill in {} with your ensemble (host:port,host:port,...) \
                     before starting the cluster, or set zookeeper-quorum in the profile; flinktune does not know it, \
                     and Flink refuses to start HA without it",
                    profile.deployment,
                    ha::ZOOKEEPER_QUORUM.for_version(version)
                ));
            }
            (
                ha::ZOOKEEPER,
                format!(
                    "a restorable job: a standby JobManager takes over and resumes the job from its latest \
                     checkpoint; on {} leaders are elected through ZooKeeper",
                    profile.deployment,
                ),
            )
        }
    };
    let inputs = [
        Input::new("profile.restore", profile.restore),
        Input::new("profile.deployment", profile.deployment),
    ];
    let mut settings = vec![
        Setting::new(
            Group::Recovery,
            ha::TYPE.for_version(version),
            SettingValue::Word(kind),
            why_kind,
        )
        .from_inputs(inputs.clone()),
        Setting::new(
            Group::Recovery,
            ha::STORAGE_DIR.for_version(version),
            SettingValue::Text(storage.clone()),
            format!(
                "the JobManager's recovery metadata (job graphs, the latest checkpoint's pointer) on the same durable \
                 storage as the checkpoints, beside {checkpoint_dir}"
            ),
        )
        .from_inputs([Input::new("profile.checkpoint-dir", checkpoint_dir)]),
    ];
    if let Some(quorum) = &profile.zookeeper_quorum
        && kind == ha::ZOOKEEPER
    {
        settings.push(
            Setting::new(
                Group::Recovery,
                ha::ZOOKEEPER_QUORUM.for_version(version),
                SettingValue::Text(quorum.clone()),
                "the ZooKeeper ensemble that elects the leading JobManager, as the profile names it",
            )
            .from_inputs([Input::new("profile.zookeeper-quorum", quorum)]),
        );
    }
    settings
}

#[cfg(test)]
mod tests {
    use crate::advisor::test_support::{advise, value};
    use crate::profile::Deployment;

    #[test]
    fn restorable_jobs_on_kubernetes_get_kubernetes_ha() {
        let advice = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.deployment = Deployment::Kubernetes;
            p.checkpoint_dir = Some("s3://b/ckpt".into());
        })
        .unwrap();
        assert_eq!(
            value(&advice, "high-availability.type").as_deref(),
            Some("kubernetes")
        );
        assert_eq!(
            value(&advice, "high-availability.storageDir").as_deref(),
            Some("s3://b/ha")
        );
        assert!(!advice.warnings.iter().any(|w| w.contains("ZooKeeper")));
    }

    #[test]
    fn standalone_gets_zookeeper_and_a_warning_naming_the_quorum() {
        let advice = advise(16.0, 64, "large-state", "1.18", |_, p| {
            p.checkpoint_dir = Some("hdfs:///flink/ckpt".into());
        })
        .unwrap();
        assert_eq!(
            value(&advice, "high-availability.type").as_deref(),
            Some("zookeeper")
        );
        assert_eq!(
            value(&advice, "high-availability.storageDir").as_deref(),
            Some("hdfs:///flink/ha")
        );
        assert!(
            advice
                .warnings
                .iter()
                .any(|w| w.contains("high-availability.zookeeper.quorum")),
            "{:?}",
            advice.warnings
        );
        let known = advise(16.0, 64, "large-state", "2.3", |_, p| {
            p.checkpoint_dir = Some("hdfs:///flink/ckpt".into());
            p.zookeeper_quorum = Some("zk-1:2181,zk-2:2181".into());
        })
        .unwrap();
        assert_eq!(
            value(&known, "high-availability.zookeeper.quorum").as_deref(),
            Some("zk-1:2181,zk-2:2181")
        );
        assert!(!known.warnings.iter().any(|w| w.contains("ZooKeeper")));
    }

    #[test]
    fn jobs_without_restore_get_no_ha() {
        let advice = advise(16.0, 64, "balanced", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
        })
        .unwrap();
        assert_eq!(value(&advice, "high-availability.type"), None);
    }
}
