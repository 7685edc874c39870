//! flinktune sizes and tunes Apache Flink deployments. The binary is a thin shell over [`run`]; the Flink knowledge
//! (memory model, option keys, file formats) lives in [`flink`], pure and free of I/O; reading files and the
//! environment happens at the edges ([`conf_source`], [`cli::Environment`], [`host::probe()`]).

pub mod cli;
pub mod conf_source;
pub mod emit;
pub mod error;
pub mod advisor;
pub mod flink;
pub mod host;
pub mod memory_command;
pub mod memory_report;
pub mod profile;
pub mod serde_support;

use std::io::Write;

use clap::Parser;

pub use error::Error;

/// How a run ended, mapped to the exit status by the binary (see README "Exit status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done, nothing at error level.
    Clean,
    /// 1: the result holds errors (Flink rejects the configuration).
    Findings,
}

/// Parses `args` (program name first), runs the command, writes results to stdout and warnings to stderr.
/// clap handles `--help`, `--version` and usage errors itself (exit status 2 for the latter).
pub fn run<I, T>(args: I) -> Result<Outcome, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = cli::Cli::parse_from(args).into_command(&cli::Environment::from_process())?;
    match command {
        cli::Command::Memory(request) => {
            let outcome = memory_command::run(&request)?;
            for warning in &outcome.warnings {
                eprintln!("warning: {warning}");
            }
            std::io::stdout()
                .write_all(outcome.stdout.as_bytes())
                .map_err(Error::Output)?;
            Ok(if outcome.rejected {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
    }
}
