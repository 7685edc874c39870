//! The inputs `recommend` and `submit` share (a profile, flag overrides, the host, the target release) and the
//! effects of turning them into a recommendation: reading a profile file and probing the host. The advisor itself is
//! pure (src/advisor/).

use std::path::PathBuf;

use crate::advisor::{AdviceError, AdviceInput, Pins, Recommendation, SettingValue, recommend};
use crate::check::finding::Severity;
use crate::edges::host_probe::{HostOverrides, probe};
use crate::edges::input_limits::{InputError, InputKind, read_bytes};
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::{Configuration, Origin, Value};
use crate::host::HostSpec;
use crate::profile::JobProfile;
use crate::profile::embedded::{embedded_profile, file_profile, names, unknown_profile};
use crate::profile::file::ProfilePatch;
use crate::text::shell::shell_quote;

/// Which profile to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProfileRef {
    Embedded(String),
    File(PathBuf),
}

impl ProfileRef {
    /// A shipped profile's name, else a path.
    pub(crate) fn from_argument(text: &str) -> Self {
        if names().any(|name| name == text) {
            ProfileRef::Embedded(text.to_string())
        } else {
            ProfileRef::File(PathBuf::from(text))
        }
    }
}

/// A validated set of advice inputs.
#[derive(Debug, Clone)]
pub(crate) struct AdviceRequest {
    pub profile: ProfileRef,
    /// `(profile field, value, flag)` from the command line, applied over the profile in this order.
    pub profile_flags: Vec<(&'static str, String, &'static str)>,
    pub version: FlinkVersion,
    /// `--flink-version` was given (otherwise `recommend --from-cluster` takes the cluster's).
    pub version_given: bool,
    pub host: HostOverrides,
    pub state_dir_given: bool,
    pub allow_local_checkpoints: bool,
    /// `-D key=value` as given, resolved for the target release when the advice runs (src/advisor/pins.rs).
    pub pins: Vec<(String, String)>,
}

/// What the inputs resolved to.
pub(crate) struct Advice {
    pub host: HostSpec,
    pub profile: JobProfile,
    pub recommendation: Recommendation,
}

impl AdviceRequest {
    /// The profile with the flags applied.
    pub(crate) fn profile(&self) -> Result<JobProfile, Error> {
        profile_with_flags(&self.profile, &self.profile_flags)
    }

    /// Loads the profile, applies the flags, probes the host and runs the advisor.
    pub(crate) fn advise(&self) -> Result<Advice, Error> {
        self.advise_for(probe(&self.host)?, self.profile()?)
    }

    /// The same for a host and profile the caller has (e.g. a running cluster's TaskManagers and the state size its
    /// checkpoints measured).
    pub(crate) fn advise_for(&self, host: HostSpec, profile: JobProfile) -> Result<Advice, Error> {
        let pins = self.resolved_pins()?;
        let recommendation = recommend(&AdviceInput {
            host: &host,
            profile: &profile,
            version: self.version,
            local_state_dir: self.state_dir_given.then(|| self.host.state_dir.clone()),
            allow_local_checkpoints: self.allow_local_checkpoints,
            working_dir: std::env::current_dir().ok(),
            pins,
        })?;
        Ok(Advice {
            host,
            profile,
            recommendation,
        })
    }

    /// The pins for the target release: known keys (with "did you mean" otherwise), values the consulting rules can
    /// read, and values of the option's type as `check` judges them (a pin Flink could not parse is never written).
    pub(crate) fn resolved_pins(&self) -> Result<Pins, Error> {
        let catalogue = Catalogue::get();
        let pins = Pins::resolve(&self.pins, self.version, catalogue)?;
        let mut configuration = Configuration::new();
        for key in pins.keys() {
            let value = pins.get(key).unwrap_or_default();
            configuration.set(
                key.as_ref(),
                Value::Text(value.to_string()),
                Origin::DynamicProperty,
            );
        }
        let findings = crate::check::key_rules::findings(&configuration, self.version, catalogue);
        if let Some(finding) = findings
            .iter()
            .find(|finding| finding.severity == Severity::Error)
        {
            let key = finding.key.clone().unwrap_or_default();
            return Err(AdviceError::BadPin {
                value: pins.get(&key).unwrap_or_default().to_string(),
                key,
                problem: format!("{}; {}", finding.message, finding.fix),
            }
            .into());
        }
        Ok(pins)
    }

    /// Was this profile field set by a flag (rather than by the profile)?
    pub(crate) fn flag_sets(&self, field: &str) -> bool {
        self.profile_flags.iter().any(|(name, ..)| *name == field)
    }

    /// The flags that reproduce these inputs, in a fixed order (for the regenerate line of an emitted file).
    pub(crate) fn flags(&self) -> Vec<String> {
        let mut flags = vec![
            format!("--flink-version {}", self.version),
            format!(
                "--profile {}",
                match &self.profile {
                    ProfileRef::Embedded(name) => name.clone(),
                    ProfileRef::File(file) => shell_quote(&file.display().to_string()),
                }
            ),
        ];
        let host = &self.host;
        if let Some(cores) = host.cores {
            flags.push(format!("--cores {cores}"));
        }
        if let Some(memory) = host.memory {
            flags.push(format!("--memory {}", SettingValue::Size(memory)));
        }
        if let Some(disk) = host.disk {
            flags.push(format!("--disk {}", disk.to_string().to_lowercase()));
        }
        if host.hosts != 1 {
            flags.push(format!("--hosts {}", host.hosts));
        }
        if host.jobmanager_on_host {
            flags.push("--jobmanager-on-host".to_string());
        }
        if self.state_dir_given {
            flags.push(format!(
                "--state-dir {}",
                shell_quote(&host.state_dir.display().to_string())
            ));
        }
        for (_, value, flag) in &self.profile_flags {
            if value == "true" && matches!(*flag, "--restore" | "--exactly-once-sinks") {
                flags.push(flag.to_string());
            } else {
                flags.push(format!("{flag} {}", shell_quote(value)));
            }
        }
        if self.allow_local_checkpoints {
            flags.push("--allow-local-checkpoints".to_string());
        }
        for (key, value) in &self.pins {
            flags.push(format!("-D {}", shell_quote(&format!("{key}={value}"))));
        }
        flags
    }
}

/// A shipped profile or a profile file, with `extends` resolved.
/// The profile `profile` names with the profile-field flags `flags` (field, value, flag) applied over it.
pub(crate) fn profile_with_flags(
    profile: &ProfileRef,
    flags: &[(&'static str, String, &'static str)],
) -> Result<JobProfile, Error> {
    let loaded = load_profile_ref(profile)?;
    let mut patch = ProfilePatch::default();
    for (field, value, flag) in flags {
        patch.set(field, value, flag)?;
    }
    let name = loaded.name.clone();
    Ok(patch.apply(&name, loaded))
}

pub(crate) fn load_profile_ref(profile: &ProfileRef) -> Result<JobProfile, Error> {
    Ok(match profile {
        ProfileRef::Embedded(name) => embedded_profile(name)?,
        ProfileRef::File(path) => {
            let bytes = read_bytes(path, InputKind::Config, false).map_err(|error| {
                // A bare word that is neither a file nor a shipped profile was meant as a profile name.
                let bare_name = path.components().count() == 1 && path.extension().is_none();
                match error {
                    InputError::Io { source, .. }
                        if source.kind() == std::io::ErrorKind::NotFound && bare_name =>
                    {
                        Error::Profile(unknown_profile(&path.display().to_string(), "--profile"))
                    }
                    other => Error::Input(other),
                }
            })?;
            let text =
                String::from_utf8(bytes).map_err(|_| Error::NotText { path: path.clone() })?;
            file_profile(path, &text)?
        }
    })
}
