//! `flinktune memory`'s arguments and their request.

use super::Notes;
use clap::ValueEnum;

use super::conf_args::ConfArgs;
use crate::breakdown::OutputFormat;
use crate::commands::memory::MemoryRequest;
use crate::edges::environment::Environment;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub(super) struct MemoryArgs {
    #[command(flatten)]
    conf: ConfArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    format: FormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Flink's "Final ... Memory configuration" tree, JVM arguments and dynamic settings: the people's format,
    /// named `table` as in every other command (`text`, its old name, still works).
    #[value(alias = "text")]
    Table,
    /// One JSON object: {"taskmanager": {...}, "jobmanager": {...}}.
    Json,
}

impl MemoryArgs {
    pub(super) fn into_request(
        self,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<MemoryRequest, Error> {
        let source = self.conf.source(None, env)?;
        Ok(MemoryRequest {
            version: self.conf.release(Some(&source), env, notes),
            source,
            dynamic_properties: self.conf.dynamic_properties,
            format: match self.format {
                FormatArg::Table => OutputFormat::Text,
                FormatArg::Json => OutputFormat::Json,
            },
            legacy_tm_heap_env: env.flink_tm_heap.clone(),
            legacy_jm_heap_env: env.flink_jm_heap.clone(),
        })
    }
}
