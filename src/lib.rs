//! flinktune sizes and tunes Apache Flink deployments. The binary is a thin shell over [`run`]; the Flink knowledge
//! (memory model, option keys, file formats) lives in [`flink`], pure and free of I/O; reading files and the
//! environment happens at the edges ([`conf_source`], [`cli::Environment`], [`host::probe()`]).

mod advisor;
mod breakdown;
mod check;
mod cli;
mod cluster;
mod commands;
mod edges;
mod emit;
mod error;
mod explain;
mod flink;
mod host;
mod migrate;
mod profile;
mod submit;
mod text;

// The public API: what the integration tests and benches drive without the binary (the memory model against real
// Flink, the advisor and emitter in benches, the REST client against a fake server). Everything else is private, so
// the compiler sees dead code; add an item here only when a test or bench needs it.
pub use advisor::{AdviceInput, recommend};
pub use cluster::analysis::{AnalysisOptions, analyse};
pub use cluster::{ClusterSnapshot, Sample};
pub use emit::config_file::{ConfigFormat, Header, render};
pub use flink::catalogue::Catalogue;
pub use flink::config::{Configuration, Origin, Value, parse_legacy_file, parse_standard_yaml};
pub use flink::jvm_options::{JAVA_OPTIONS_KEY, java_option_flags, shipped_java_options};
pub use flink::memory::{jobmanager_memory, taskmanager_memory};
pub use flink::{FlinkVersion, MemorySize};
pub use host::{DiskKind, HostSpec};
pub use profile::embedded::embedded_profile;

/// Reading a configuration from disk as a command does: the file a conf directory holds for a version, its parser,
/// then `-D` on top.
pub mod conf_source {
    pub use crate::edges::conf_source::{ConfigSource, FileFormat, load};
}

/// The REST client and Flink's REST answers parsed into cluster data.
pub mod rest {
    pub use crate::edges::rest::collect::collect;
    pub use crate::edges::rest::{Auth, RestClient, RestConfig, RestError};

    /// Sampling a running job.
    pub mod collect {
        pub use crate::edges::rest::collect::{
            CONSTANT_REQUESTS, METRIC_FETCH_WAIT, Progress, SAMPLE_CONSTANT_REQUESTS, Sampling,
        };
    }

    /// The pure parsers of Flink's REST answers.
    pub mod parse {
        pub use crate::edges::rest::parse::{
            aggregates, checkpoints, configuration, job_graph, overview, taskmanager_metrics,
            taskmanagers, vertex_metrics,
        };
    }
}

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
