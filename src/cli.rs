//! The command line as clap sees it. Nothing outside this file uses clap types: [`Cli::into_command`] turns them into
//! the plain, validated requests the rest of the crate takes.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::emit::config_file::ConfigFormat;
use crate::error::Error;
use crate::flink::{FlinkVersion, MemorySize};
use crate::host::{DiskKind, HostOverrides};
use crate::memory_command::{ConfigSource, MemoryRequest};
use crate::memory_report::OutputFormat;
use crate::recommend_command::{ProfileRef, RecommendRequest, SummaryFormat};

#[derive(Debug, Parser)]
#[command(
    name = "flinktune",
    version,
    about = "Sizes and tunes Apache Flink deployments, every value with its reason."
)]
pub struct Cli {
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

    /// Show what this host offers Flink: cores, memory, container limits and disk kind, each with its source.
    Host(HostCommandArgs),

    /// List the shipped job profiles, or print one (to start your own from it).
    Profiles(ProfilesArgs),
}

#[derive(Debug, clap::Args)]
struct HostArgs {
    /// Plan for a host with this many CPUs instead of probing (fractions allowed, e.g. 1.5).
    #[arg(long, value_name = "N")]
    cores: Option<f64>,

    /// Plan for a host with this much memory instead of probing (Flink size syntax: 64g, 768 gb, 16384m).
    #[arg(long, value_name = "SIZE")]
    memory: Option<String>,

    /// The kind of disk that holds local state, instead of probing.
    #[arg(long, value_enum)]
    disk: Option<DiskArg>,

    /// Number of identical hosts in the cluster.
    #[arg(long, value_name = "N", default_value_t = 1)]
    hosts: u32,

    /// A JobManager runs on each planned host too (its memory is set aside).
    #[arg(long)]
    jobmanager_on_host: bool,

    /// The directory RocksDB will keep local state in (its disk kind is probed; it becomes
    /// state.backend.rocksdb.localdir). [default: the current directory, not written to the config]
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiskArg {
    Ssd,
    Hdd,
    Unknown,
}

#[derive(Debug, clap::Args)]
struct HostCommandArgs {
    #[command(flatten)]
    host: HostArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormatArg {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
struct ProfilesArgs {
    /// A profile to print as YAML.
    #[arg(value_name = "NAME")]
    name: Option<String>,
}

#[derive(Debug, clap::Args)]
struct RecommendArgs {
    /// A shipped profile (see `flinktune profiles`) or a profile file.
    #[arg(long, value_name = "NAME|FILE", default_value = "balanced")]
    profile: String,

    /// Flink version to write for: 1.17 to 1.20 or 2.0 to 2.3, patch releases accepted.
    #[arg(long, value_name = "VERSION", default_value = "1.20")]
    flink_version: String,

    #[command(flatten)]
    host: HostArgs,

    /// Where the job spends its time: cpu, io or mixed.
    #[arg(long, value_name = "KIND", help_heading = "Profile overrides")]
    workload: Option<String>,
    /// streaming or batch.
    #[arg(long, value_name = "MODE", help_heading = "Profile overrides")]
    runtime: Option<String>,
    /// production or development.
    #[arg(long, value_name = "PURPOSE", help_heading = "Profile overrides")]
    purpose: Option<String>,
    /// The whole job's state, e.g. 200gb.
    #[arg(long, value_name = "SIZE", help_heading = "Profile overrides")]
    state_size: Option<String>,
    /// Peak input, records per second.
    #[arg(long, value_name = "N", help_heading = "Profile overrides")]
    input_rate: Option<String>,
    /// Records per second one parallel instance handles, if measured.
    #[arg(long, value_name = "N", help_heading = "Profile overrides")]
    slot_throughput: Option<String>,
    /// Partitions of the main source (Kafka topic partitions, Kinesis shards).
    #[arg(
        long,
        alias = "source-partitions",
        value_name = "N",
        help_heading = "Profile overrides"
    )]
    kafka_partitions: Option<String>,
    /// The sinks commit transactionally on checkpoints.
    #[arg(long, help_heading = "Profile overrides")]
    exactly_once_sinks: bool,
    /// End-to-end latency target, e.g. 1 s.
    #[arg(long, value_name = "DURATION", help_heading = "Profile overrides")]
    latency_target: Option<String>,
    /// How long a recovery may take, e.g. 5 min.
    #[arg(long, value_name = "DURATION", help_heading = "Profile overrides")]
    recovery_time: Option<String>,
    /// The job must restore its state after a host dies (needs --checkpoint-dir).
    #[arg(long, help_heading = "Profile overrides")]
    restore: bool,
    /// Checkpoint interval, overriding the rule, e.g. 30 s.
    #[arg(long, value_name = "DURATION", help_heading = "Profile overrides")]
    checkpoint_interval: Option<String>,
    /// Durable checkpoint directory, e.g. s3://bucket/flink/checkpoints.
    #[arg(long, value_name = "URI", help_heading = "Profile overrides")]
    checkpoint_dir: Option<String>,
    /// Default savepoint directory.
    #[arg(long, value_name = "URI", help_heading = "Profile overrides")]
    savepoint_dir: Option<String>,
    /// auto, hashmap, rocksdb or forst (2.x).
    #[arg(long, value_name = "BACKEND", help_heading = "Profile overrides")]
    state_backend: Option<String>,
    /// auto, off, fixed-delay, failure-rate or exponential-delay.
    #[arg(long, value_name = "STRATEGY", help_heading = "Profile overrides")]
    restart_strategy: Option<String>,
    /// Direct memory each slot's connectors use, e.g. 64mb.
    #[arg(long, value_name = "SIZE", help_heading = "Profile overrides")]
    connector_direct_memory: Option<String>,
    /// standalone, yarn or kubernetes.
    #[arg(long, value_name = "TARGET", help_heading = "Profile overrides")]
    deployment: Option<String>,
    /// session, per-job (1.x) or application.
    #[arg(long, value_name = "MODE", help_heading = "Profile overrides")]
    mode: Option<String>,

    /// Accept a file:// checkpoint directory for a restorable job (it is a shared mount, not a local disk).
    #[arg(long)]
    allow_local_checkpoints: bool,

    /// Write the config here: a file, or a directory to write flink-conf.yaml / config.yaml into.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// File format: legacy (flink-conf.yaml, 1.x) or yaml (config.yaml, 1.19+). [default: by version and file name]
    #[arg(long, value_enum, value_name = "FORMAT")]
    config_format: Option<ConfigFormatArg>,

    /// Replace an existing file that flinktune did not write.
    #[arg(long, requires = "output")]
    force: bool,

    /// Do not write: exit 1 with a diff when the file differs from what would be written.
    #[arg(long, requires = "output", conflicts_with = "force")]
    check: bool,

    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = SummaryFormatArg::Table)]
    format: SummaryFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ConfigFormatArg {
    Legacy,
    Yaml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SummaryFormatArg {
    /// A summary and a table of setting, value and why.
    Table,
    /// One JSON object with the layout, settings and warnings.
    Json,
    /// The settings as -D flags for `flink run`.
    Flags,
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
pub enum Command {
    Memory(MemoryRequest),
    Recommend(Box<RecommendRequest>),
    Host {
        overrides: HostOverrides,
        json: bool,
    },
    Profiles {
        name: Option<String>,
    },
}

/// What [`Cli::into_command`] needs from the environment, read at the edge.
#[derive(Debug, Default, Clone)]
pub struct Environment {
    pub flink_conf_dir: Option<PathBuf>,
    pub flink_home: Option<PathBuf>,
    pub flink_tm_heap: Option<String>,
    pub flink_jm_heap: Option<String>,
}

impl Environment {
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Environment {
            flink_conf_dir: var("FLINK_CONF_DIR").map(PathBuf::from),
            flink_home: var("FLINK_HOME").map(PathBuf::from),
            flink_tm_heap: var("FLINK_TM_HEAP").map(|v| v.to_string_lossy().into_owned()),
            flink_jm_heap: var("FLINK_JM_HEAP").map(|v| v.to_string_lossy().into_owned()),
        }
    }
}

impl Cli {
    pub fn into_command(self, env: &Environment) -> Result<Command, Error> {
        match self.command {
            CliCommand::Memory(args) => {
                let version: FlinkVersion = args.flink_version.parse()?;
                let source = match (args.conf, args.conf_dir) {
                    (Some(file), _) => ConfigSource::File(file),
                    (None, Some(dir)) => ConfigSource::Dir(dir),
                    (None, None) => env
                        .flink_conf_dir
                        .clone()
                        .or_else(|| env.flink_home.as_ref().map(|home| home.join("conf")))
                        .map(ConfigSource::Dir)
                        .ok_or(Error::NoConfiguration)?,
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
            CliCommand::Host(args) => Ok(Command::Host {
                overrides: args.host.into_overrides()?.0,
                json: args.format == ReportFormatArg::Json,
            }),
            CliCommand::Profiles(args) => Ok(Command::Profiles { name: args.name }),
        }
    }
}

impl HostArgs {
    /// The overrides, and whether the state directory was named.
    fn into_overrides(self) -> Result<(HostOverrides, bool), Error> {
        let memory = self
            .memory
            .map(|text| MemorySize::parse(&text).map_err(|_| Error::MemoryFlag(text.clone())))
            .transpose()?;
        let state_dir_given = self.state_dir.is_some();
        let overrides = HostOverrides {
            cores: self.cores,
            memory,
            disk: self.disk.map(|disk| match disk {
                DiskArg::Ssd => DiskKind::Ssd,
                DiskArg::Hdd => DiskKind::Hdd,
                DiskArg::Unknown => DiskKind::Unknown,
            }),
            hosts: self.hosts,
            jobmanager_on_host: self.jobmanager_on_host,
            state_dir: self.state_dir.unwrap_or_else(|| PathBuf::from(".")),
        };
        overrides.validate()?;
        Ok((overrides, state_dir_given))
    }
}

impl RecommendArgs {
    fn into_request(self) -> Result<RecommendRequest, Error> {
        let version: FlinkVersion = self.flink_version.parse()?;
        let (host, state_dir_given) = self.host.into_overrides()?;
        let as_flag = |on: bool| on.then(|| "true".to_string());
        // (profile field, value, flag) in the order the profile documents its fields.
        let profile_flags: Vec<(&'static str, String, &'static str)> = [
            ("workload", self.workload, "--workload"),
            ("runtime", self.runtime, "--runtime"),
            ("purpose", self.purpose, "--purpose"),
            ("state-size", self.state_size, "--state-size"),
            ("input-rate", self.input_rate, "--input-rate"),
            ("slot-throughput", self.slot_throughput, "--slot-throughput"),
            (
                "source-partitions",
                self.kafka_partitions,
                "--kafka-partitions",
            ),
            (
                "exactly-once-sinks",
                as_flag(self.exactly_once_sinks),
                "--exactly-once-sinks",
            ),
            ("latency-target", self.latency_target, "--latency-target"),
            (
                "recovery-time-objective",
                self.recovery_time,
                "--recovery-time",
            ),
            ("restore", as_flag(self.restore), "--restore"),
            (
                "checkpoint-interval",
                self.checkpoint_interval,
                "--checkpoint-interval",
            ),
            ("checkpoint-dir", self.checkpoint_dir, "--checkpoint-dir"),
            ("savepoint-dir", self.savepoint_dir, "--savepoint-dir"),
            ("state-backend", self.state_backend, "--state-backend"),
            (
                "restart-strategy",
                self.restart_strategy,
                "--restart-strategy",
            ),
            (
                "connector-direct-memory",
                self.connector_direct_memory,
                "--connector-direct-memory",
            ),
            ("deployment", self.deployment, "--deployment"),
            ("mode", self.mode, "--mode"),
        ]
        .into_iter()
        .filter_map(|(field, value, flag)| value.map(|value| (field, value, flag)))
        .collect();
        Ok(RecommendRequest {
            profile: ProfileRef::from_argument(&self.profile),
            profile_flags,
            version,
            host,
            state_dir_given,
            allow_local_checkpoints: self.allow_local_checkpoints,
            output: self.output,
            config_format: self.config_format.map(|format| match format {
                ConfigFormatArg::Legacy => ConfigFormat::Legacy,
                ConfigFormatArg::Yaml => ConfigFormat::Yaml,
            }),
            force: self.force,
            check: self.check,
            format: match self.format {
                SummaryFormatArg::Table => SummaryFormat::Table,
                SummaryFormatArg::Json => SummaryFormat::Json,
                SummaryFormatArg::Flags => SummaryFormat::Flags,
            },
        })
    }
}
