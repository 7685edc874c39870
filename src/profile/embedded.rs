//! The profiles shipped in `profiles/*.yaml`, compiled into the binary so that `flinktune` needs no files beside it,
//! and the resolution of `extends` (every profile extends `balanced` unless it names another shipped profile).

use std::path::Path;

use super::JobProfile;
use super::file::{ProfileError, ProfilePatch, parse_profile};

/// The default profile, and the root every other profile extends.
pub(crate) const DEFAULT_PROFILE: &str = "balanced";

/// `(name, file text)`, in the order `flinktune profiles` lists them.
pub(crate) const EMBEDDED: [(&str, &str); 7] = [
    ("balanced", include_str!("../../profiles/balanced.yaml")),
    ("cpu-bound", include_str!("../../profiles/cpu-bound.yaml")),
    ("io-bound", include_str!("../../profiles/io-bound.yaml")),
    (
        "large-state",
        include_str!("../../profiles/large-state.yaml"),
    ),
    (
        "low-latency",
        include_str!("../../profiles/low-latency.yaml"),
    ),
    ("batch", include_str!("../../profiles/batch.yaml")),
    (
        "dev-session",
        include_str!("../../profiles/dev-session.yaml"),
    ),
];

/// Names of the shipped profiles.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(name, _)| *name)
}

/// A shipped profile by name, with `extends` resolved.
pub fn embedded_profile(name: &str) -> Result<JobProfile, ProfileError> {
    let (_, text) = EMBEDDED
        .iter()
        .find(|(candidate, _)| *candidate == name)
        .ok_or_else(|| unknown_profile(name, "profiles"))?;
    let patch = parse_profile(&format!("profiles/{name}.yaml"), text)?;
    resolve(name, patch, &format!("profiles/{name}.yaml"))
}

/// A user's profile file's text, with `extends` resolved; `path` names it in errors and becomes its name.
pub fn file_profile(path: &Path, text: &str) -> Result<JobProfile, ProfileError> {
    let label = path.display().to_string();
    let patch = parse_profile(&label, text)?;
    let name = path
        .file_stem()
        .map_or_else(|| label.clone(), |stem| stem.to_string_lossy().into_owned());
    let base_name = patch
        .extends
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
    let described = patch.description.is_some();
    let mut profile = resolve(&name, patch, &label)?;
    if !described {
        profile.description = format!("{label}, extends {base_name}");
    }
    Ok(profile)
}

fn resolve(name: &str, patch: ProfilePatch, label: &str) -> Result<JobProfile, ProfileError> {
    if name == DEFAULT_PROFILE && patch.extends.is_none() && label.starts_with("profiles/") {
        return root_profile(patch, label);
    }
    let base_name = patch
        .extends
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
    if base_name == name && label.starts_with("profiles/") {
        return Err(unknown_profile(&base_name, label));
    }
    // `extends` names a shipped profile only, so resolution ends after at most two steps.
    let base = if base_name == DEFAULT_PROFILE {
        embedded_root()?
    } else {
        let (_, text) = EMBEDDED
            .iter()
            .find(|(candidate, _)| *candidate == base_name)
            .ok_or_else(|| unknown_profile(&base_name, &format!("{label}: extends")))?;
        let base_patch = parse_profile(&format!("profiles/{base_name}.yaml"), text)?;
        base_patch.apply(&base_name, embedded_root()?)
    };
    Ok(patch.apply(name, base))
}

fn embedded_root() -> Result<JobProfile, ProfileError> {
    let label = format!("profiles/{DEFAULT_PROFILE}.yaml");
    root_profile(parse_profile(&label, EMBEDDED[0].1)?, &label)
}

/// The root profile must set every field that has no natural "unset".
fn root_profile(patch: ProfilePatch, label: &str) -> Result<JobProfile, ProfileError> {
    let missing = |field: &str| ProfileError {
        location: label.to_string(),
        message: format!("the root profile must set '{field}'"),
    };
    Ok(JobProfile {
        name: DEFAULT_PROFILE.to_string(),
        description: patch.description.ok_or_else(|| missing("description"))?,
        workload: patch.workload.ok_or_else(|| missing("workload"))?,
        runtime: patch.runtime.ok_or_else(|| missing("runtime"))?,
        purpose: patch.purpose.ok_or_else(|| missing("purpose"))?,
        state_size: patch.state_size,
        input_rate: patch.input_rate,
        slot_throughput: patch.slot_throughput,
        source_partitions: patch.source_partitions,
        exactly_once_sinks: patch
            .exactly_once_sinks
            .ok_or_else(|| missing("exactly-once-sinks"))?,
        latency_target: patch.latency_target,
        recovery_time_objective: patch
            .recovery_time_objective
            .ok_or_else(|| missing("recovery-time-objective"))?,
        restore: patch.restore.ok_or_else(|| missing("restore"))?,
        checkpoint_interval: patch.checkpoint_interval,
        checkpoint_dir: patch.checkpoint_dir,
        savepoint_dir: patch.savepoint_dir,
        state_backend: patch
            .state_backend
            .ok_or_else(|| missing("state-backend"))?,
        restart_strategy: patch
            .restart_strategy
            .ok_or_else(|| missing("restart-strategy"))?,
        connector_direct_memory: patch
            .connector_direct_memory
            .ok_or_else(|| missing("connector-direct-memory"))?,
        deployment: patch.deployment.ok_or_else(|| missing("deployment"))?,
        mode: patch.mode.ok_or_else(|| missing("mode"))?,
        upload_bandwidth: patch
            .upload_bandwidth
            .unwrap_or(crate::profile::DEFAULT_UPLOAD_BANDWIDTH),
        download_bandwidth: patch
            .download_bandwidth
            .unwrap_or(crate::profile::DEFAULT_DOWNLOAD_BANDWIDTH),
        state_change_percent: patch
            .state_change_percent
            .unwrap_or(crate::profile::DEFAULT_STATE_CHANGE_PERCENT),
        zookeeper_quorum: patch.zookeeper_quorum,
        io_wait_percent: patch.io_wait_percent,
    })
}

/// "No such profile", listing the shipped ones; `location` is where the name was given.
pub(crate) fn unknown_profile(name: &str, location: &str) -> ProfileError {
    ProfileError {
        location: location.to_string(),
        message: format!(
            "no profile named '{name}'; shipped profiles: {} (or pass a file path)",
            names().collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Mode, Purpose, Runtime, Workload};

    #[test]
    fn every_shipped_profile_loads() {
        for name in names() {
            let profile = embedded_profile(name).unwrap();
            assert_eq!(profile.name, name);
            assert!(!profile.description.is_empty());
        }
    }

    #[test]
    fn shipped_profiles_say_what_they_are() {
        assert_eq!(embedded_profile("io-bound").unwrap().workload, Workload::Io);
        assert_eq!(embedded_profile("batch").unwrap().runtime, Runtime::Batch);
        assert!(embedded_profile("large-state").unwrap().restore);
        let dev = embedded_profile("dev-session").unwrap();
        assert_eq!(
            (dev.purpose, dev.mode),
            (Purpose::Development, Mode::Session)
        );
    }

    #[test]
    fn a_user_file_extends_a_shipped_profile() {
        let profile = file_profile(
            Path::new("/etc/jobs/enrich.yaml"),
            "extends: io-bound\nsource-partitions: 24\n",
        )
        .unwrap();
        assert_eq!(profile.name, "enrich");
        assert_eq!(profile.workload, Workload::Io);
        assert_eq!(profile.source_partitions, Some(24));
        let error = file_profile(Path::new("x.yaml"), "extends: huge\n").unwrap_err();
        assert!(
            error.to_string().contains("no profile named 'huge'"),
            "{error}"
        );
    }
}
