//! `flinktune migrate`'s arguments and their request.

use super::Notes;
use std::path::PathBuf;

use super::host_args::ReportFormatArg;
use super::values;
use crate::commands::migrate::MigrateRequest;
use crate::edges::conf_source::ConfigSource;
use crate::edges::environment::Environment;
use crate::edges::release_detection::{Places, detect};
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
    /// [default: the distribution's (lib/ beside the input, or $FLINK_HOME/lib), else 1.20, as every command]
    #[arg(long, value_name = "VERSION", value_parser = values::version)]
    flink_version: Option<FlinkVersion>,

    /// Replace an existing output file.
    #[arg(long)]
    force: bool,

    /// What goes to stdout: table (nothing; notes on stderr) or json (what was written and every note).
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

impl MigrateArgs {
    pub(super) fn into_request(self, env: &Environment, notes: &mut Notes) -> MigrateRequest {
        let places = Places {
            conf: Some(ConfigSource::File(self.input.clone())),
            written: self.output.iter().cloned().collect(),
            cluster: false,
        };
        let release = detect(self.flink_version, &places, env);
        notes.release(&release);
        MigrateRequest {
            input: self.input,
            output: self.output,
            version: release.version,
            force: self.force,
            json: self.format == ReportFormatArg::Json,
        }
    }
}
