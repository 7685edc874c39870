//! `flinktune migrate`'s arguments and their request.

use std::path::PathBuf;

use super::values;
use crate::commands::migrate::MigrateRequest;
use crate::flink::FlinkVersion;

#[derive(Debug, clap::Args)]
pub(super) struct MigrateArgs {
    /// The flink-conf.yaml to convert.
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// Where to write [default: config.yaml beside the input].
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// The release that will read the result: 1.19, 1.20 or 2.x.
    #[arg(long, value_name = "VERSION", default_value = "2.3", value_parser = values::version)]
    flink_version: FlinkVersion,

    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

impl MigrateArgs {
    pub(super) fn into_request(self) -> MigrateRequest {
        MigrateRequest {
            input: self.input,
            output: self.output,
            version: self.flink_version,
            force: self.force,
        }
    }
}
