//! `flinktune check`'s arguments and their request.

use super::Notes;
use std::path::PathBuf;

use super::conf_args::ConfArgs;
use super::host_args::ReportFormatArg;
use super::profile_override_args::ProfileOverrideArgs;
use crate::commands::check::CheckRequest;
use crate::edges::advice_request::ProfileRef;
use crate::edges::environment::Environment;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// The configuration file (flink-conf.yaml is read with Flink's legacy line parser, any other name as YAML), or a
    /// conf directory (its file chosen by release, as Flink chooses it).
    #[arg(value_name = "FILE", conflicts_with_all = ["conf_dir", "conf"])]
    file: Option<PathBuf>,

    #[command(flatten)]
    conf: ConfArgs,

    /// Also judge the configuration against a job profile (shipped name or file): restore intent, declared state,
    /// workload, purpose. The profile-field flags adjust it as they do for recommend (over `balanced` when no
    /// profile is named).
    #[arg(long, value_name = "NAME|FILE")]
    profile: Option<String>,

    #[command(flatten)]
    overrides: ProfileOverrideArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

impl CheckArgs {
    pub(super) fn into_request(
        self,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<CheckRequest, Error> {
        let source = self.conf.source(self.file, env)?;
        Ok(CheckRequest {
            version: self.conf.release(Some(&source), env, notes),
            source,
            dynamic_properties: self.conf.dynamic_properties,
            json: self.format == ReportFormatArg::Json,
            profile: self.profile.as_deref().map(ProfileRef::from_argument),
            profile_flags: self.overrides.into_flags(),
        })
    }
}
