//! The advice flags `recommend` and `submit` share: the profile, the release, the host and the profile overrides,
//! into an [`AdviceRequest`].

use super::Notes;
use super::host_args::HostArgs;
use super::profile_override_args::ProfileOverrideArgs;
use super::values;
use crate::edges::advice_request::{AdviceRequest, ProfileRef};
use crate::edges::environment::Environment;
use crate::edges::release_detection::{Places, detect};
use crate::error::Error;
use crate::flink::FlinkVersion;

/// The inputs of a recommendation.
#[derive(Debug, clap::Args)]
pub(super) struct AdviceArgs {
    /// A shipped profile (see `flinktune profiles`) or a profile file.
    #[arg(long, value_name = "NAME|FILE", default_value = "balanced")]
    profile: String,

    /// Flink version to write for: 1.17 to 1.20 or 2.0 to 2.3, patch releases accepted.
    /// [default: the cluster's with --from-cluster, else $FLINK_HOME's distribution, else the header of the file
    /// flinktune wrote (-o, --from), else 1.20]
    #[arg(long, value_name = "VERSION", value_parser = values::version)]
    flink_version: Option<FlinkVersion>,

    #[command(flatten)]
    host: HostArgs,

    #[command(flatten)]
    overrides: ProfileOverrideArgs,

    /// Accept a file:// checkpoint directory for a restorable job (it is a shared mount, not a local disk).
    #[arg(long)]
    allow_local_checkpoints: bool,
}

impl AdviceArgs {
    /// The request, its release detected from `places` when `--flink-version` does not give it
    /// (src/edges/release_detection.rs); a note for `notes` when it was assumed.
    pub(super) fn into_request(
        self,
        places: &Places,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<AdviceRequest, Error> {
        let release = detect(self.flink_version, places, env);
        notes.release(&release);
        let version = release.version;
        let (host, state_dir_given) = self.host.into_overrides()?;
        let profile_flags = self.overrides.into_flags();
        Ok(AdviceRequest {
            profile: ProfileRef::from_argument(&self.profile),
            profile_flags,
            version,
            version_given: self.flink_version.is_some(),
            host,
            state_dir_given,
            allow_local_checkpoints: self.allow_local_checkpoints,
            pins: Vec::new(),
        })
    }
}
