//! The advice flags `recommend` and `submit` share: the profile, the release, the host and the profile overrides,
//! into an [`AdviceRequest`].

use super::Notes;
use super::host_args::HostArgs;
use super::values;
use crate::edges::advice_request::{AdviceRequest, ProfileRef};
use crate::edges::environment::Environment;
use crate::edges::release_detection::{Places, detect};
use crate::error::Error;
use crate::flink::FlinkVersion;

/// The inputs of a recommendation.
#[derive(Debug, clap::Args)]
pub(super) struct AdviceArgs {
    /// A shipped profile (see `flinktune profiles`) or a profile file.
    #[arg(long, value_name = "NAME|FILE", default_value = "balanced")]
    profile: String,

    /// Flink version to write for: 1.17 to 1.20 or 2.0 to 2.3, patch releases accepted.
    /// [default: the cluster's with --from-cluster, else $FLINK_HOME's distribution, else the header of the file
    /// flinktune wrote (-o, --from), else 1.20]
    #[arg(long, value_name = "VERSION", value_parser = values::version)]
    flink_version: Option<FlinkVersion>,

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
    /// Partitions of the main source (Kafka topic partitions, Kinesis shards). Named as the profile field;
    /// `--kafka-partitions` still works.
    #[arg(
        long,
        alias = "kafka-partitions",
        value_name = "N",
        help_heading = "Profile overrides"
    )]
    source_partitions: Option<String>,
    /// The sinks commit transactionally on checkpoints.
    #[arg(long, help_heading = "Profile overrides")]
    exactly_once_sinks: bool,
    /// End-to-end latency target, e.g. 1 s.
    #[arg(long, value_name = "DURATION", help_heading = "Profile overrides")]
    latency_target: Option<String>,
    /// How long a recovery may take, e.g. 5 min. Named as the profile field; `--recovery-time` still works.
    #[arg(
        long,
        alias = "recovery-time",
        value_name = "DURATION",
        help_heading = "Profile overrides"
    )]
    recovery_time_objective: Option<String>,
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
    /// ZooKeeper ensemble for high availability on standalone and YARN, e.g. zk-1:2181,zk-2:2181,zk-3:2181.
    #[arg(long, value_name = "HOST:PORT,...", help_heading = "Profile overrides")]
    zookeeper_quorum: Option<String>,

    /// Accept a file:// checkpoint directory for a restorable job (it is a shared mount, not a local disk).
    #[arg(long)]
    allow_local_checkpoints: bool,
}

impl AdviceArgs {
    /// The request, its release detected from `places` when `--flink-version` does not give it
    /// (src/edges/release_detection.rs); a note for `notes` when it was assumed.
    pub(super) fn into_request(
        self,
        places: &Places,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<AdviceRequest, Error> {
        let release = detect(self.flink_version, places, env);
        notes.release(&release);
        let version = release.version;
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
                self.source_partitions,
                "--source-partitions",
            ),
            (
                "exactly-once-sinks",
                as_flag(self.exactly_once_sinks),
                "--exactly-once-sinks",
            ),
            ("latency-target", self.latency_target, "--latency-target"),
            (
                "recovery-time-objective",
                self.recovery_time_objective,
                "--recovery-time-objective",
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
            (
                "zookeeper-quorum",
                self.zookeeper_quorum,
                "--zookeeper-quorum",
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
            pins: Vec::new(),
        })
    }
}
