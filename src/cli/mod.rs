//! The command line as clap sees it. Nothing outside this module uses clap types: [`Cli::into_command`] turns them into
//! the plain, validated requests the rest of the crate takes.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

mod cluster_args;
mod host_args;
mod recommend_args;

use host_args::{HostCommandArgs, ReportFormatArg};
use recommend_args::{RecommendArgs, SubmitArgs};

use crate::breakdown::OutputFormat;
use crate::commands::check::CheckRequest;
use crate::commands::explain::ExplainRequest;
use crate::commands::host::HostRequest;
use crate::commands::memory::{ConfigSource, MemoryRequest};
use crate::commands::metrics::MetricsRequest;
use crate::commands::migrate::MigrateRequest;
use crate::commands::recommend::RecommendRequest;
use crate::commands::submit::SubmitRequest;
use crate::edges::advice_request::ProfileRef;
use crate::error::Error;
use crate::flink::FlinkVersion;

#[derive(Debug, Parser)]
#[command(
    name = "flinktune",
    version,
    about = "Sizes and tunes Apache Flink deployments, every value with its reason."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Print the TaskManager and JobManager memory breakdown Flink computes for a configuration, byte for byte.
    ///
    /// Exit status: 0 when Flink accepts both, 1 when it rejects either (its own message is printed), 2 on bad input.
    Memory(MemoryArgs),

    /// Recommend a Flink configuration for this host (or one described by flags) and a job profile, every value with
    /// its reason; with -o, write it as flink-conf.yaml or config.yaml.
    ///
    /// Exit status: 0 done, 1 when --check finds the file out of date, 2 on bad input.
    Recommend(Box<RecommendArgs>),

    /// Sample a running job through Flink's REST API and report each vertex's load, bottleneck and advised
    /// parallelism, plus memory, checkpoint, network, capacity and chaining findings.
    Metrics(Box<MetricsArgs>),

    /// Show what this host offers Flink: cores, memory, container limits and disk kind, each with its source.
    Host(HostCommandArgs),

    /// List the shipped job profiles, or print one (to start your own from it).
    Profiles(ProfilesArgs),

    /// Print how to launch the job in the profile's deployment and mode: `flink run` (session, per-job),
    /// `flink run-application` or the standalone application scripts, or a Kubernetes operator manifest.
    Submit(Box<SubmitArgs>),

    /// Show each key's effective value and the layer that set it (config file < -D < -p < code < operator), with its
    /// type, default, fallback keys and the releases that have it.
    Explain(ExplainArgs),

    /// Convert a flink-conf.yaml into a config.yaml: comments kept, deprecated keys renamed for the target release,
    /// no crash on prefix-colliding keys, never over an existing file without --force.
    Migrate(MigrateArgs),

    /// Audit a configuration: memory Flink would reject, nested YAML in flink-conf.yaml, prefix-colliding keys,
    /// risky combinations for a job profile; each finding with its place and fix.
    ///
    /// Exit status: 0 when no finding is an error, 1 when one is, 2 on bad input.
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct ProfilesArgs {
    /// A profile to print as YAML.
    #[arg(value_name = "NAME")]
    name: Option<String>,
}

#[derive(Debug, clap::Args)]
struct MetricsArgs {
    #[command(flatten)]
    cluster: cluster_args::ClusterArgs,

    /// Records per second the sources must sustain [default: what they emit now].
    #[arg(long, value_name = "N")]
    input_rate: Option<f64>,

    /// Busy share each vertex should run at after the change.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.7)]
    target_utilization: f64,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    /// The flink-conf.yaml to convert.
    #[arg(value_name = "FILE")]
    input: PathBuf,

    /// Where to write [default: config.yaml beside the input].
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// The release that will read the result: 1.19, 1.20 or 2.x.
    #[arg(long, value_name = "VERSION", default_value = "2.3")]
    flink_version: String,

    /// Replace an existing output file.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The keys to explain.
    #[arg(value_name = "KEY", required = true)]
    keys: Vec<String>,

    /// A Flink configuration directory. [default: $FLINK_CONF_DIR, then $FLINK_HOME/conf, else none]
    #[arg(long, value_name = "DIR", conflicts_with = "conf")]
    conf_dir: Option<PathBuf>,

    /// A single configuration file.
    #[arg(long, value_name = "FILE")]
    conf: Option<PathBuf>,

    /// A dynamic property, as `flink run -D key=value` passes it (repeatable).
    #[arg(short = 'D', value_name = "KEY=VALUE", value_parser = parse_dynamic_property)]
    dynamic_properties: Vec<(String, String)>,

    /// The parallelism given to `flink run -p`.
    #[arg(short = 'p', value_name = "N")]
    parallelism: Option<u32>,

    /// Flink version: 1.15 to 1.20 or 2.0 to 2.3.
    #[arg(long, value_name = "VERSION", default_value = "1.20")]
    flink_version: String,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The configuration file (flink-conf.yaml is read with Flink's legacy line parser, any other name as YAML).
    #[arg(value_name = "FILE", conflicts_with = "conf_dir")]
    file: Option<PathBuf>,

    /// A Flink configuration directory; the file is chosen by version as Flink chooses it.
    /// [default: $FLINK_CONF_DIR, then $FLINK_HOME/conf]
    #[arg(long, value_name = "DIR")]
    conf_dir: Option<PathBuf>,

    /// Override a setting, as Flink's `-D key=value` dynamic properties do (repeatable).
    #[arg(short = 'D', value_name = "KEY=VALUE", value_parser = parse_dynamic_property)]
    dynamic_properties: Vec<(String, String)>,

    /// Flink version to check for: 1.15 to 1.20 or 2.0 to 2.3, patch releases accepted.
    #[arg(long, value_name = "VERSION", default_value = "1.20")]
    flink_version: String,

    /// Also judge the configuration against a job profile (shipped name or file): restore intent, declared state,
    /// workload, purpose.
    #[arg(long, value_name = "NAME|FILE")]
    profile: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

#[derive(Debug, clap::Args)]
struct MemoryArgs {
    /// Flink configuration directory; the file is chosen by version as Flink chooses it.
    /// [default: $FLINK_CONF_DIR, then $FLINK_HOME/conf]
    #[arg(long, value_name = "DIR", conflicts_with = "conf")]
    conf_dir: Option<PathBuf>,

    /// A single configuration file; `flink-conf.yaml` is read with Flink's legacy line parser, any other name as
    /// standard YAML (config.yaml).
    #[arg(long, value_name = "FILE")]
    conf: Option<PathBuf>,

    /// Override a setting, as Flink's `-D key=value` dynamic properties do (repeatable).
    #[arg(short = 'D', value_name = "KEY=VALUE", value_parser = parse_dynamic_property)]
    dynamic_properties: Vec<(String, String)>,

    /// Flink version to compute for: 1.15 to 1.20 or 2.0 to 2.3, patch releases accepted.
    #[arg(long, value_name = "VERSION", default_value = "1.20")]
    flink_version: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// Flink's "Final ... Memory configuration" tree, JVM arguments and dynamic settings.
    Text,
    /// One JSON object: {"taskmanager": {...}, "jobmanager": {...}}.
    Json,
}

impl From<FormatArg> for OutputFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => OutputFormat::Text,
            FormatArg::Json => OutputFormat::Json,
        }
    }
}

fn parse_dynamic_property(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "'{text}' is not KEY=VALUE (e.g. -D taskmanager.memory.process.size=4g)"
        )),
    }
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
    Host(HostRequest),
    Profiles { name: Option<String> },
}

/// What [`Cli::into_command`] needs from the environment, read at the edge.
#[derive(Debug, Default, Clone)]
pub(crate) struct Environment {
    pub flink_conf_dir: Option<PathBuf>,
    pub flink_home: Option<PathBuf>,
    pub flink_tm_heap: Option<String>,
    pub flink_jm_heap: Option<String>,
}

impl Environment {
    pub(crate) fn from_process() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Environment {
            flink_conf_dir: var("FLINK_CONF_DIR").map(PathBuf::from),
            flink_home: var("FLINK_HOME").map(PathBuf::from),
            flink_tm_heap: var(crate::flink::options::taskmanager::LEGACY_HEAP_ENV)
                .map(|v| v.to_string_lossy().into_owned()),
            flink_jm_heap: var(crate::flink::options::jobmanager::LEGACY_HEAP_ENV)
                .map(|v| v.to_string_lossy().into_owned()),
        }
    }
}

impl Cli {
    pub(crate) fn into_command(self, env: &Environment) -> Result<Command, Error> {
        match self.command {
            CliCommand::Memory(args) => {
                let version: FlinkVersion = args.flink_version.parse()?;
                let source = match (args.conf, args.conf_dir) {
                    (Some(file), _) => ConfigSource::File(file),
                    (None, Some(dir)) => ConfigSource::Dir(dir),
                    (None, None) => default_conf_dir(env)?,
                };
                Ok(Command::Memory(MemoryRequest {
                    source,
                    dynamic_properties: args.dynamic_properties,
                    version,
                    format: args.format.into(),
                    legacy_tm_heap_env: env.flink_tm_heap.clone(),
                    legacy_jm_heap_env: env.flink_jm_heap.clone(),
                }))
            }
            CliCommand::Recommend(args) => Ok(Command::Recommend(Box::new(args.into_request()?))),
            CliCommand::Host(args) => Ok(Command::Host(HostRequest {
                overrides: args.host.into_overrides()?.0,
                json: args.format == ReportFormatArg::Json,
            })),
            CliCommand::Profiles(args) => Ok(Command::Profiles { name: args.name }),
            CliCommand::Submit(args) => Ok(Command::Submit(Box::new(args.into_request()?))),
            CliCommand::Metrics(args) => {
                if !(args.target_utilization > 0.0 && args.target_utilization <= 1.0) {
                    return Err(Error::Flag(
                        "--target-utilization",
                        "must be above 0 and at most 1".to_string(),
                    ));
                }
                let cluster = args.cluster.into_request()?.ok_or(Error::Flag(
                    "--from-cluster",
                    "metrics needs the REST URL of a running cluster".to_string(),
                ))?;
                Ok(Command::Metrics(Box::new(MetricsRequest {
                    cluster,
                    options: crate::cluster::analysis::AnalysisOptions {
                        target_utilization: args.target_utilization,
                        input_rate: args.input_rate,
                    },
                    json: args.format == ReportFormatArg::Json,
                })))
            }
            CliCommand::Migrate(args) => Ok(Command::Migrate(MigrateRequest {
                input: args.input,
                output: args.output,
                version: args.flink_version.parse()?,
                force: args.force,
            })),
            CliCommand::Explain(args) => Ok(Command::Explain(ExplainRequest {
                version: args.flink_version.parse()?,
                source: match (args.conf, args.conf_dir) {
                    (Some(file), _) => Some(ConfigSource::File(file)),
                    (None, Some(dir)) => Some(ConfigSource::Dir(dir)),
                    (None, None) => default_conf_dir(env).ok(),
                },
                keys: args.keys,
                dynamic_properties: args.dynamic_properties,
                parallelism: args.parallelism,
            })),
            CliCommand::Check(args) => Ok(Command::Check(CheckRequest {
                version: args.flink_version.parse()?,
                source: match (args.file, args.conf_dir) {
                    (Some(file), _) => ConfigSource::File(file),
                    (None, Some(dir)) => ConfigSource::Dir(dir),
                    (None, None) => default_conf_dir(env)?,
                },
                dynamic_properties: args.dynamic_properties,
                json: args.format == ReportFormatArg::Json,
                profile: args.profile.as_deref().map(ProfileRef::from_argument),
            })),
        }
    }
}

/// `$FLINK_CONF_DIR`, then `$FLINK_HOME/conf`, as Flink's scripts look for the configuration.
fn default_conf_dir(env: &Environment) -> Result<ConfigSource, Error> {
    env.flink_conf_dir
        .clone()
        .or_else(|| env.flink_home.as_ref().map(|home| home.join("conf")))
        .map(ConfigSource::Dir)
        .ok_or(Error::NoConfiguration)
}
