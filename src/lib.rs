//! flinktune sizes and tunes Apache Flink deployments. The binary is a thin shell over [`run`]; the Flink knowledge
//! (memory model, option keys, file formats) lives in [`flink`], pure and free of I/O; reading files and the
//! environment happens at the edges ([`conf_source`], [`cli::Environment`], [`host::probe()`]).

pub mod advice_request;
pub mod advisor;
pub mod check;
pub mod check_command;
pub mod cli;
pub mod cluster;
pub mod cluster_source;
pub mod conf_source;
pub mod config_writer;
pub mod emit;
pub mod error;
pub mod explain;
pub mod explain_command;
pub mod flink;
pub mod host;
pub(crate) mod invariants;
pub mod memory_command;
pub mod memory_report;
pub mod metrics_command;
pub mod migrate;
pub mod migrate_command;
pub mod profile;
pub mod profiles_command;
pub mod recommend_command;
pub mod rest;
pub mod serde_support;
pub mod submit;
pub mod submit_command;
pub mod suggest;

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
            print(&outcome.stdout)?;
            Ok(if outcome.rejected {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
        cli::Command::Recommend(request) => {
            let outcome = recommend_command::run(&request)?;
            print(&outcome.stdout)?;
            for line in &outcome.stderr {
                eprintln!("{line}");
            }
            Ok(if outcome.drifted {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
        cli::Command::Host { overrides, json } => {
            let host = host::probe(&overrides)?;
            print(&if json {
                host::report::to_json(&host)
            } else {
                host::report::render_table(&host)
            })?;
            Ok(Outcome::Clean)
        }
        cli::Command::Check(request) => {
            let outcome = check_command::run(&request)?;
            print(&outcome.stdout)?;
            Ok(if outcome.has_errors {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
        cli::Command::Metrics(request) => {
            print(&metrics_command::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Migrate(request) => {
            for note in migrate_command::run(&request)? {
                eprintln!("{note}");
            }
            Ok(Outcome::Clean)
        }
        cli::Command::Explain(request) => {
            print(&explain_command::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Submit(request) => {
            print(&submit_command::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Profiles { name } => {
            print(&profiles_command::run(name.as_deref())?)?;
            Ok(Outcome::Clean)
        }
    }
}

fn print(text: &str) -> Result<(), Error> {
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(Error::Output)
}
