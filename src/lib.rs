//! flinktune sizes and tunes Apache Flink deployments. The binary is a thin shell over [`run`]; the Flink knowledge
//! (memory model, option keys, file formats) lives in [`flink`], pure and free of I/O; reading files and the
//! environment happens at the edges ([`conf_source`], [`cli::Environment`], [`host::probe()`]).

pub mod advisor;
pub mod breakdown;
pub mod check;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod edges;
pub mod emit;
pub mod error;
pub mod explain;
pub mod flink;
pub mod host;
pub mod migrate;
pub mod profile;
pub mod submit;
pub mod text;

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
            let outcome = commands::memory::run(&request)?;
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
            let outcome = commands::recommend::run(&request)?;
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
            let host = edges::host_probe::probe(&overrides)?;
            print(&if json {
                host::report::to_json(&host)
            } else {
                host::report::render_table(&host)
            })?;
            Ok(Outcome::Clean)
        }
        cli::Command::Check(request) => {
            let outcome = commands::check::run(&request)?;
            print(&outcome.stdout)?;
            Ok(if outcome.has_errors {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
        cli::Command::Metrics(request) => {
            print(&commands::metrics::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Migrate(request) => {
            for note in commands::migrate::run(&request)? {
                eprintln!("{note}");
            }
            Ok(Outcome::Clean)
        }
        cli::Command::Explain(request) => {
            print(&commands::explain::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Submit(request) => {
            print(&commands::submit::run(&request)?)?;
            Ok(Outcome::Clean)
        }
        cli::Command::Profiles { name } => {
            print(&commands::profiles::run(name.as_deref())?)?;
            Ok(Outcome::Clean)
        }
    }
}

fn print(text: &str) -> Result<(), Error> {
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(Error::Output)
}
