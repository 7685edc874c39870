//! Checkpoints for a plan on one host without a checkpoint directory (issue 11, case 2). Without a directory Flink
//! keeps checkpoints in the JobManager's heap (`JobManagerCheckpointStorage`), which refuses any state over 5 MiB: a
//! notebook's first join fails its checkpoints, and a production job with more state than that fails them all and,
//! past the tolerated failures, fails itself (the outcome bench's 2 GiB job: "0 ok, 1 failed" in its first two
//! minutes). One machine loses nothing by writing them to its local disk instead (Flink docs, "Checkpoint Storage":
//! `FileSystemCheckpointStorage` takes any file system URI, `file://` included), so the plan writes them under the
//! directory `recommend` ran in, which the edge resolves and passes in (`AdviceInput::working_dir`): for a
//! development session always, for production when the state is unknown or over the JobManager's limit. Only for a
//! standalone streaming plan on one host: on several hosts a local directory splits each checkpoint across machines,
//! and a Kubernetes pod does not see this machine's disk.

use std::path::Path;

use crate::flink::job_options::JOBMANAGER_STORAGE_MAX_STATE;
use crate::profile::{Deployment, JobProfile, Purpose, Runtime};

use super::AdviceInput;
use super::restore::LOCAL_SCHEME;

/// The directory under the working directory that holds a development session's checkpoints.
pub(crate) const DIR_NAME: &str = "flink-checkpoints";

/// The `file://` checkpoint directory for a plan on one host without one, when the plan allows it.
pub(crate) fn local_dir(input: &AdviceInput) -> Option<String> {
    let profile: &JobProfile = input.profile;
    let over_the_jobmanager_limit = profile
        .state_size
        .is_none_or(|size| size > JOBMANAGER_STORAGE_MAX_STATE);
    let applies = (profile.purpose == Purpose::Development || over_the_jobmanager_limit)
        && profile.runtime == Runtime::Streaming
        && profile.deployment == Deployment::Standalone
        && profile.checkpoint_dir.is_none()
        && input.host.hosts <= 1;
    if !applies {
        return None;
    }
    uri_under(input.working_dir.as_deref()?)
}

/// `file:///abs/dir/flink-checkpoints` for an absolute, UTF-8 `dir`; `None` otherwise (a relative path would be read
/// against the JobManager's own working directory, and a URI cannot carry bytes that are not text).
pub(crate) fn uri_under(dir: &Path) -> Option<String> {
    if !dir.is_absolute() {
        return None;
    }
    // Windows paths (`C:\x`) become `file:///C:/x`, as Flink's `Path` writes them.
    let text = dir.to_str()?.replace('\\', "/");
    let text = text.trim_start_matches('/').trim_end_matches('/');
    if text.is_empty() {
        return Some(format!("{LOCAL_SCHEME}/{DIR_NAME}"));
    }
    Some(format!("{LOCAL_SCHEME}/{text}/{DIR_NAME}"))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::advisor::{AdviceInput, recommend};
    use crate::flink::MemorySize;
    use crate::host::{DiskKind, HostSpec};
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn the_directory_is_a_file_uri_under_the_working_directory() {
        assert_eq!(
            uri_under(Path::new("/home/dev/project")).as_deref(),
            Some("file:///home/dev/project/flink-checkpoints")
        );
        assert_eq!(
            uri_under(Path::new("/")).as_deref(),
            Some("file:///flink-checkpoints")
        );
        assert_eq!(uri_under(Path::new("relative")), None);
    }

    fn dev(hosts: u32, state: Option<MemorySize>) -> crate::advisor::Recommendation {
        let mut host = HostSpec::planned(2.0, MemorySize::gibibytes(4), DiskKind::Ssd);
        host.hosts = hosts;
        let mut profile = embedded_profile("dev-session").unwrap();
        profile.state_size = state;
        recommend(&AdviceInput {
            host: &host,
            profile: &profile,
            version: "2.3".parse().unwrap(),
            local_state_dir: None,
            allow_local_checkpoints: false,
            working_dir: Some(PathBuf::from("/home/dev/project")),
            pins: crate::advisor::Pins::default(),
        })
        .unwrap()
    }

    #[test]
    fn a_dev_session_with_state_checkpoints_to_local_disk_instead_of_refusing() {
        // Issue 11, case 2: 1 GiB of state refused (FT-CKP-004) with the JobManager's 5 MiB heap storage.
        let advice = dev(1, Some(MemorySize::gibibytes(1)));
        let setting = advice
            .settings
            .iter()
            .find(|s| s.key == "execution.checkpointing.dir")
            .unwrap();
        assert_eq!(
            setting.value.to_string(),
            "file:///home/dev/project/flink-checkpoints"
        );
        assert!(setting.why.contains("5 MiB"), "{}", setting.why);
        // The JobManager is counted on the single host: both processes fit its 4 GiB.
        let used = advice.layout.taskmanager_process.bytes()
            * u64::from(advice.layout.taskmanagers_per_host)
            + advice.layout.jobmanager_process.bytes();
        assert!(used <= MemorySize::gibibytes(4).bytes(), "{used}");
        // Unknown state gets the directory too.
        assert!(
            dev(1, None)
                .settings
                .iter()
                .any(|s| s.key == "execution.checkpointing.dir")
        );
    }

    /// `local_dir` for `edit` of a production job on one standalone host with unknown state and no directory.
    fn local_dir_for(edit: impl FnOnce(&mut HostSpec, &mut JobProfile)) -> Option<String> {
        let mut host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let mut profile = embedded_profile("balanced").unwrap();
        profile.state_size = None;
        edit(&mut host, &mut profile);
        local_dir(&AdviceInput {
            host: &host,
            profile: &profile,
            version: "2.3".parse().unwrap(),
            local_state_dir: None,
            allow_local_checkpoints: false,
            working_dir: Some(PathBuf::from("/srv/job")),
            pins: crate::advisor::Pins::default(),
        })
    }

    /// Production state over the JobManager's 5 MiB, or any development session, on one standalone streaming host
    /// without a directory: each condition alone decides.
    #[test]
    fn each_condition_for_a_local_directory_decides_alone() {
        let uri = Some("file:///srv/job/flink-checkpoints".to_string());
        assert_eq!(local_dir_for(|_, _| {}), uri);
        let limit = JOBMANAGER_STORAGE_MAX_STATE;
        assert_eq!(local_dir_for(|_, p| p.state_size = Some(limit)), None);
        let over = MemorySize::from_bytes(limit.bytes() + 1);
        assert_eq!(local_dir_for(|_, p| p.state_size = Some(over)), uri);
        let small = Some(MemorySize::mebibytes(1));
        assert_eq!(local_dir_for(|_, p| p.state_size = small), None);
        assert_eq!(
            local_dir_for(|_, p| {
                p.state_size = small;
                p.purpose = Purpose::Development;
            }),
            uri
        );
        assert_eq!(local_dir_for(|_, p| p.runtime = Runtime::Batch), None);
        assert_eq!(
            local_dir_for(|_, p| p.deployment = Deployment::Kubernetes),
            None
        );
        assert_eq!(
            local_dir_for(|_, p| p.checkpoint_dir = Some("s3://b/c".into())),
            None
        );
        assert_eq!(local_dir_for(|host, _| host.hosts = 2), None);
    }

    #[test]
    fn several_hosts_get_no_local_directory() {
        let advice = dev(3, None);
        assert!(
            !advice
                .settings
                .iter()
                .any(|s| s.key == "execution.checkpointing.dir")
        );
    }
}
