//! `flinktune recommend`'s arguments and their request.

use super::Notes;
use std::path::PathBuf;

use clap::ValueEnum;

use super::advice_args::AdviceArgs;
use crate::commands::recommend::{RecommendRequest, SummaryFormat};
use crate::edges::environment::Environment;
use crate::edges::release_detection::Places;
use crate::emit::config_file::ConfigFormat;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct RecommendArgs {
    #[command(flatten)]
    advice: AdviceArgs,

    #[command(flatten)]
    cluster: super::cluster_args::ClusterArgs,

    /// Write the config here: a file, or a directory to write flink-conf.yaml / config.yaml into.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// File format: legacy (flink-conf.yaml, 1.x) or yaml (config.yaml, 1.19+). [default: by version and file name]
    #[arg(long, value_enum, value_name = "FORMAT", requires = "output")]
    config_format: Option<ConfigFormatArg>,

    /// Replace an existing file that flinktune did not write.
    #[arg(long, requires = "output")]
    force: bool,

    /// Do not write: exit 1 with a diff when the file differs from what would be written.
    #[arg(long, requires = "output", conflicts_with = "force")]
    check: bool,

    /// An existing flink-conf.yaml or config.yaml (any release) whose keys flinktune does not decide are kept, with
    /// their comments, in a marked section of the emitted file.
    #[arg(long, value_name = "FILE")]
    base: Option<PathBuf>,

    /// Pin a setting: the rules take it as given and plan the rest around it (repeatable; e.g. -D
    /// taskmanager.numberOfTaskSlots=4 sizes memory for 4 slots).
    #[arg(short = 'D', value_name = "KEY=VALUE", value_parser = super::values::dynamic_property)]
    pins: Vec<(String, String)>,

    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormatArg::Table)]
    format: SummaryFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConfigFormatArg {
    Legacy,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SummaryFormatArg {
    /// A summary and a table of setting, value and why.
    Table,
    /// One JSON object with the layout, settings and warnings.
    Json,
    /// The settings as -D flags for `flink run`.
    Flags,
}

impl RecommendArgs {
    pub(super) fn into_request(
        self,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<RecommendRequest, Error> {
        let cluster = self.cluster.into_request();
        let places = Places {
            written: self.output.iter().cloned().collect(),
            cluster: cluster.is_some(),
            ..Places::default()
        };
        let mut advice = self.advice.into_request(&places, env, notes)?;
        advice.pins = self.pins;
        Ok(RecommendRequest {
            advice,
            cluster,
            output: self.output,
            config_format: self.config_format.map(|format| match format {
                ConfigFormatArg::Legacy => ConfigFormat::Legacy,
                ConfigFormatArg::Yaml => ConfigFormat::Yaml,
            }),
            base: self.base,
            force: self.force,
            check: self.check,
            format: match self.format {
                SummaryFormatArg::Table => SummaryFormat::Table,
                SummaryFormatArg::Json => SummaryFormat::Json,
                SummaryFormatArg::Flags => SummaryFormat::Flags,
            },
        })
    }
}
