//! The advice flags `recommend` and `submit` share ([`AdviceArgs`] into an [`AdviceRequest`]) and `recommend`'s own.

use std::path::PathBuf;

use clap::ValueEnum;

use super::host_args::HostArgs;
use crate::commands::recommend::{RecommendRequest, SummaryFormat};
use crate::commands::submit::SubmitRequest;
use crate::edges::advice_request::{AdviceRequest, ProfileRef};
use crate::emit::config_file::ConfigFormat;
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::submit::JobSpec;

#[derive(Debug, clap::Args)]
pub(super) struct RecommendArgs {
    #[command(flatten)]
    advice: AdviceArgs,

    #[command(flatten)]
    cluster: super::cluster_args::ClusterArgs,

    /// Write the config here: a file, or a directory to write flink-conf.yaml / config.yaml into.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// File format: legacy (flink-conf.yaml, 1.x) or yaml (config.yaml, 1.19+). [default: by version and file name]
    #[arg(long, value_enum, value_name = "FORMAT", requires = "output")]
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

#[derive(Debug, clap::Args)]
pub(super) struct SubmitArgs {
    #[command(flatten)]
    advice: AdviceArgs,

    /// Take the settings from a config file flinktune wrote instead of recommending afresh.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,

    /// The job's jar.
    #[arg(long, value_name = "JAR")]
    jar: String,

    /// The job's main class (`-c`).
    #[arg(long, value_name = "CLASS")]
    class: Option<String>,

    /// REST address of a standalone session cluster.
    #[arg(long, value_name = "HOST:PORT", default_value = "localhost:8081")]
    jobmanager: String,

    /// YARN application id of a session, or the Kubernetes cluster id.
    #[arg(long, value_name = "ID")]
    cluster_id: Option<String>,

    /// Name of the Kubernetes deployment [default: the jar's name].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Container image for Kubernetes [default: flink:VERSION].
    #[arg(long, value_name = "IMAGE")]
    image: Option<String>,

    /// shell: the command line; k8s: a Flink Kubernetes Operator FlinkDeployment.
    #[arg(long, value_enum, default_value_t = SubmitFormatArg::Shell)]
    format: SubmitFormatArg,

    /// Arguments for the job's main method, after `--`.
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SubmitFormatArg {
    Shell,
    K8s,
}

impl SubmitArgs {
    pub(super) fn into_request(self) -> Result<SubmitRequest, Error> {
        Ok(SubmitRequest {
            advice: self.advice.into_request()?,
            from: self.from,
            job: JobSpec {
                jar: self.jar,
                class: self.class,
                args: self.args,
            },
            jobmanager: self.jobmanager,
            cluster_id: self.cluster_id,
            name: self.name,
            image: self.image,
            manifest: self.format == SubmitFormatArg::K8s,
        })
    }
}

/// The inputs of a recommendation.
#[derive(Debug, clap::Args)]
pub(super) struct AdviceArgs {
    /// A shipped profile (see `flinktune profiles`) or a profile file.
    #[arg(long, value_name = "NAME|FILE", default_value = "balanced")]
    profile: String,

    /// Flink version to write for: 1.17 to 1.20 or 2.0 to 2.3, patch releases accepted.
    /// [default: the cluster's with --from-cluster, else 1.20]
    #[arg(long, value_name = "VERSION")]
    flink_version: Option<String>,

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

impl RecommendArgs {
    pub(super) fn into_request(self) -> Result<RecommendRequest, Error> {
        Ok(RecommendRequest {
            advice: self.advice.into_request()?,
            cluster: self.cluster.into_request()?,
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

impl AdviceArgs {
    pub(super) fn into_request(self) -> Result<AdviceRequest, Error> {
        let version: FlinkVersion = match &self.flink_version {
            Some(text) => text.parse()?,
            None => FlinkVersion::DEFAULT,
        };
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
        Ok(AdviceRequest {
            profile: ProfileRef::from_argument(&self.profile),
            profile_flags,
            version,
            version_given: self.flink_version.is_some(),
            host,
            state_dir_given,
            allow_local_checkpoints: self.allow_local_checkpoints,
        })
    }
}
