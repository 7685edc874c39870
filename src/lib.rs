//! flinktune sizes and tunes Apache Flink deployments. The binary is a thin shell over [`run`]. The layers, each
//! depending only on those below it: `flink` (everything known about Flink, keyed by release, pure) <- the pure core
//! (`advisor`, `check`, `cluster`, `emit`, `explain`, `submit`, `migrate`, `plan`, `profile`, `host`, `breakdown`,
//! `text`) <- `edges` (files, environment, host probing, REST) and `commands` (one per subcommand) <- `cli` (clap).

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
mod invariants;
mod migrate;
mod plan;
mod profile;
mod submit;
mod text;

// The public API: what the integration tests and benches drive without the binary (the memory model against real
// Flink, the advisor and emitter in benches, the REST client against a fake server). Everything else is private, so
// the compiler sees dead code; add an item here only when a test or bench needs it.
pub use advisor::{AdviceInput, Pins, recommend};
pub use cluster::analysis::{AnalysisOptions, analyse};
pub use cluster::{ClusterSnapshot, Sample};
pub use emit::config_file::{ConfigFormat, Header, render};
pub use flink::catalogue::Catalogue;
pub use flink::config::{Configuration, Origin, Value, parse_legacy_file, parse_standard_yaml};
pub use flink::duration::{DurationParseError, parse_duration};
pub use flink::jvm_options::{JAVA_OPTIONS_KEY, java_option_flags, shipped_java_options};
pub use flink::memory::{jobmanager_memory, taskmanager_memory};
pub use flink::{FlinkVersion, MemorySize};
pub use host::{DiskKind, HostSpec};
pub use profile::embedded::{embedded_profile, file_profile};

/// Reading a configuration from disk as a command does: the file a conf directory holds for a version, its parser,
/// then `-D` on top.
pub mod conf_source {
    pub use crate::edges::conf_source::{ConfigSource, load};
    pub use crate::flink::config::FileFormat;
}

/// `check` without the process: the findings on a loaded configuration, rendered as the command prints them to a
/// pipe (the table, or JSON). For the bench of a file of 300,000 keys (benches/check.rs).
pub fn check_report(
    loaded: &flink::config::LoadedConfig,
    version: FlinkVersion,
    json: bool,
) -> String {
    let findings = check::check(&check::CheckInput {
        loaded,
        version,
        profile: None,
    });
    if json {
        check::report::json(&findings)
    } else {
        check::report::table(&findings, text::table::Layout::default())
    }
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

pub use commands::outcome::Status;

/// Parses `args` (program name first), runs the command, writes its results to stdout and its messages to stderr,
/// and returns the exit status. clap handles `--help`, `--version` and usage errors itself (exit status 2 for the
/// latter).
pub fn run<I, T>(args: I) -> Result<Status, Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let env = edges::environment::Environment::from_process();
    let cli::Invocation {
        command,
        globals,
        notes,
        details,
    } = cli::Cli::parse_from(args).into_invocation(&env)?;
    let streams = edges::terminal::streams(globals.color, env.no_color);
    let layout = streams.stdout;
    let outcome = match command {
        cli::Command::Memory(request) => commands::memory::run(&request)?,
        cli::Command::Recommend(request) => commands::recommend::run(&request, layout)?,
        cli::Command::Host(request) => commands::host::run(&request, layout)?,
        cli::Command::Check(request) => commands::check::run(&request, layout)?,
        cli::Command::Metrics(request) => commands::metrics::run(&request, layout)?,
        cli::Command::Migrate(request) => commands::migrate::run(&request)?,
        cli::Command::Explain(request) => commands::explain::run(&request)?,
        cli::Command::Submit(request) => commands::submit::run(&request)?,
        cli::Command::Plan(request) => commands::plan::run(&request, layout)?,
        cli::Command::Profiles { name, json } => {
            commands::profiles::run(name.as_deref(), json, layout)?
        }
        cli::Command::Generated(text) => commands::outcome::Outcome::clean(text),
    };
    print(&outcome.stdout, outcome.stdout_escaped)?;
    if globals.verbosity == cli::Verbosity::Quiet {
        return Ok(outcome.status);
    }
    let color = streams.stderr_color;
    for line in &outcome.stderr {
        eprintln!("{}", line.render(color, printable));
    }
    // After the command's own lines, and only when it ran: an error stays the one line it is.
    let note = text::style::paint("note", text::style::Tone::Note, color);
    for text in &notes {
        eprintln!("{note}: {}", printable(text));
    }
    if globals.verbosity == cli::Verbosity::Verbose {
        for text in &details {
            eprintln!("{note}: {}", printable(text));
        }
    }
    Ok(outcome.status)
}

/// The line `main` prints for an error that stopped the run.
pub fn error_line(error: &Error) -> String {
    printable(&format!("error: {error:#}"))
}

/// The one step every message passes before stderr: credentials redacted (text/redact.rs), control characters
/// escaped (text/escape.rs), whoever wrote the text.
fn printable(text: &str) -> String {
    let redacted = text::redact::redact(text, &edges::secrets::held());
    text::escape::escape_controls(&redacted).into_owned()
}

/// Results on stdout: control characters are escaped only when a terminal shows them (a config or JSON piped to a
/// file stays byte for byte what was generated), and not again in a report that escaped its parts itself (its
/// colours are flinktune's own).
fn print(text: &str, escaped: bool) -> Result<(), Error> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    let text = if !escaped && stdout.is_terminal() {
        text::escape::escape_controls(text)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    stdout
        .lock()
        .write_all(text.as_bytes())
        .map_err(Error::Output)
}
