//! `flinktune explain`'s arguments and their request.

use super::Notes;
use super::conf_args::ConfArgs;
use super::host_args::ReportFormatArg;
use crate::commands::explain::ExplainRequest;
use crate::edges::environment::Environment;

#[derive(Debug, clap::Args)]
pub(super) struct ExplainArgs {
    /// The keys to explain.
    #[arg(value_name = "KEY", required = true)]
    keys: Vec<String>,

    #[command(flatten)]
    conf: ConfArgs,

    /// The parallelism given to `flink run -p` (1 to 32768, Flink's upper bound for max parallelism).
    #[arg(short = 'p', value_name = "N", value_parser = clap::value_parser!(u32).range(1..=32_768))]
    parallelism: Option<u32>,

    /// Output format: table (text for people) or json (an object per key: option, type, default, effective value
    /// and every layer).
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

impl ExplainArgs {
    /// Without a configuration named or found, only `-D`, `-p` and the defaults count.
    pub(super) fn into_request(self, env: &Environment, notes: &mut Notes) -> ExplainRequest {
        let source = self.conf.given(None).or_else(|| env.default_conf_dir());
        ExplainRequest {
            version: self.conf.release(source.as_ref(), env, notes),
            source,
            keys: self.keys,
            dynamic_properties: self.conf.dynamic_properties,
            parallelism: self.parallelism,
            json: self.format == ReportFormatArg::Json,
        }
    }
}
