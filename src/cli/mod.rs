//! The command line as clap sees it. Nothing outside this module uses clap types: each subcommand's arguments sit in
//! their own file with their conversion into the plain, validated request the rest of the crate takes, and
//! [`Cli::into_command`] only picks the file.

use clap::{Parser, Subcommand};

mod advice_args;
mod check_args;
mod cluster_args;
mod conf_args;
mod explain_args;
mod generated;
mod global_args;
mod host_args;
mod memory_args;
mod metrics_args;
mod migrate_args;
mod plan_args;
mod profile_override_args;
mod recommend_args;
mod submit_args;
mod values;

use crate::commands::check::CheckRequest;
use crate::commands::explain::ExplainRequest;
use crate::commands::host::HostRequest;
use crate::commands::memory::MemoryRequest;
use crate::commands::metrics::MetricsRequest;
use crate::commands::migrate::MigrateRequest;
use crate::commands::plan::PlanRequest;
use crate::commands::recommend::RecommendRequest;
use crate::commands::submit::SubmitRequest;
use crate::edges::environment::Environment;
use crate::error::Error;

#[derive(Debug, Parser)]
#[command(
    name = "flinktune",
    version,
    about = "Sizes and tunes Apache Flink deployments, every value with its reason."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: CliCommand,

    #[command(flatten)]
    globals: global_args::GlobalArgs,
}

pub(crate) use global_args::{Globals, Verbosity};

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Print the TaskManager and JobManager memory breakdown Flink computes for a configuration, byte for byte.
    ///
    /// Exit status: 0 when Flink accepts both, 1 when it rejects either (its own message is printed), 2 on bad input.
    Memory(memory_args::MemoryArgs),

    /// Recommend a Flink configuration for this host (or one described by flags) and a job profile, every value with
    /// its reason; with -o, write it as flink-conf.yaml or config.yaml.
    ///
    /// Exit status: 0 done, 1 when --check finds the file out of date, 2 on bad input.
    Recommend(Box<recommend_args::RecommendArgs>),

    /// Plan capacity: for each host type (flags or --hosts-file), the hosts that carry the input rate at the target
    /// utilization, laid out and sized as `recommend` does, with checkpoint, restore and catch-up figures, cost, a
    /// what-if table and the month growth uses up the headroom; the cheapest type that fits and why the others lose.
    ///
    /// Exit status: 0 when a type fits, 1 when none does, 2 on bad input.
    Plan(Box<plan_args::PlanArgs>),

    /// Sample a running job through Flink's REST API and report each vertex's load, bottleneck and advised
    /// parallelism, plus memory, checkpoint, network, capacity and chaining findings.
    Metrics(Box<metrics_args::MetricsArgs>),

    /// Show what this host offers Flink: cores, memory, container limits and disk kind, each with its source.
    Host(host_args::HostCommandArgs),

    /// List the shipped job profiles, or print one (to start your own from it).
    Profiles(ProfilesArgs),

    /// Print how to launch the job in the profile's deployment and mode: `flink run` (session, per-job,
    /// application on 2.x), `flink run-application` (application on 1.x) or the standalone application scripts, or a
    /// Kubernetes operator manifest.
    Submit(Box<submit_args::SubmitArgs>),

    /// Show each key's effective value and the layer that set it (config file < -D < -p < code < operator), with its
    /// type, default, fallback keys and the releases that have it.
    Explain(explain_args::ExplainArgs),

    /// Convert a flink-conf.yaml into a config.yaml: comments kept, deprecated keys renamed for the target release,
    /// no crash on prefix-colliding keys, never over an existing file without --force.
    Migrate(migrate_args::MigrateArgs),

    /// Audit a configuration: memory Flink would reject, nested YAML in flink-conf.yaml, prefix-colliding keys,
    /// risky combinations for a job profile; each finding with its place and fix.
    ///
    /// Exit status: 0 when no finding is an error, 1 when one is, 2 on bad input.
    Check(Box<check_args::CheckArgs>),

    /// Print a shell completion script: bash, zsh, fish, elvish or powershell (e.g. `flinktune completions bash >
    /// ~/.local/share/bash-completion/completions/flinktune`).
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: generated::ShellArg,
    },

    /// Print the man page (roff), every subcommand included (e.g. `flinktune man > flinktune.1; man -l flinktune.1`).
    Man,
}

#[derive(Debug, clap::Args)]
struct ProfilesArgs {
    /// A profile to print as YAML.
    #[arg(value_name = "NAME")]
    name: Option<String>,

    /// Output format: table (a YAML file for one profile) or json (every field, resolved).
    #[arg(long, value_enum, default_value_t = host_args::ReportFormatArg::Table)]
    format: host_args::ReportFormatArg,
}

/// A validated command, free of clap types.
#[derive(Debug)]
pub(crate) enum Command {
    Memory(MemoryRequest),
    Metrics(Box<MetricsRequest>),
    Migrate(MigrateRequest),
    Explain(ExplainRequest),
    Submit(Box<SubmitRequest>),
    Check(CheckRequest),
    Recommend(Box<RecommendRequest>),
    Plan(Box<PlanRequest>),
    Host(HostRequest),
    Profiles {
        name: Option<String>,
        json: bool,
    },
    /// Text generated from the command line's own definition (completions, man page), printed as is.
    Generated(String),
}

/// What the command line asks for, as plain values.
#[derive(Debug)]
pub(crate) struct Invocation {
    pub(crate) command: Command,
    pub(crate) globals: Globals,
    /// Notes for stderr from choosing the inputs (a release that was assumed).
    pub(crate) notes: Vec<String>,
    /// What `-v` adds: where the inputs came from.
    pub(crate) details: Vec<String>,
}

impl Cli {
    /// The command to run, the global flags, and the notes for stderr that choosing its inputs gave.
    pub(crate) fn into_invocation(self, env: &Environment) -> Result<Invocation, Error> {
        let globals = self.globals.into_globals();
        let mut notes = Notes::default();
        let command = match self.command {
            CliCommand::Memory(args) => Command::Memory(args.into_request(env, &mut notes)?),
            CliCommand::Recommend(args) => {
                Command::Recommend(Box::new(args.into_request(env, &mut notes)?))
            }
            CliCommand::Plan(args) => Command::Plan(Box::new(args.into_request(env, &mut notes)?)),
            CliCommand::Host(args) => Command::Host(args.into_request()?),
            CliCommand::Profiles(args) => Command::Profiles {
                name: args.name,
                json: args.format == host_args::ReportFormatArg::Json,
            },
            CliCommand::Submit(args) => {
                Command::Submit(Box::new(args.into_request(env, &mut notes)?))
            }
            CliCommand::Metrics(args) => Command::Metrics(Box::new(args.into_request()?)),
            CliCommand::Migrate(args) => Command::Migrate(args.into_request(env, &mut notes)),
            CliCommand::Explain(args) => Command::Explain(args.into_request(env, &mut notes)),
            CliCommand::Check(args) => Command::Check(args.into_request(env, &mut notes)?),
            CliCommand::Completions { shell } => Command::Generated(generated::completions(shell)?),
            CliCommand::Man => Command::Generated(generated::man_page()?),
        };
        Ok(Invocation {
            command,
            globals,
            notes: notes.notes,
            details: notes.details,
        })
    }
}

/// What choosing a command's inputs has to tell: notes for everyone, details for `-v`.
#[derive(Debug, Default)]
pub(super) struct Notes {
    notes: Vec<String>,
    details: Vec<String>,
}

impl Notes {
    /// The release a command targets: a note when it was assumed, a detail when it was found.
    pub(super) fn release(&mut self, release: &crate::edges::release_detection::Release) {
        self.notes.extend(release.note());
        self.details.extend(release.detail());
    }
}
