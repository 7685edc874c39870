//! The profile overrides: one flag per profile field, shared by the commands that take a job profile (`recommend`,
//! `submit`, `check --profile`), so each field has one name everywhere (issue 13) and `check` judges a config with the
//! same hints `recommend` planned it with (issue 11).

/// A flag for each profile field; unset flags leave the profile's value.
#[derive(Debug, Default, clap::Args)]
pub(super) struct ProfileOverrideArgs {
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
    /// Share of a busy task's time spent waiting on external systems, e.g. 90% [default: by --workload: cpu and
    /// mixed 0%, io 50%]. Sets how many slots a core carries; --from-cluster measures it.
    #[arg(long, value_name = "PERCENT", help_heading = "Profile overrides")]
    io_wait: Option<String>,
}

impl ProfileOverrideArgs {
    /// The flags given, as (profile field, value, flag), in the order the profile documents its fields.
    pub(super) fn into_flags(self) -> Vec<(&'static str, String, &'static str)> {
        let as_flag = |on: bool| on.then(|| "true".to_string());
        // (profile field, value, flag) in the order the profile documents its fields.
        [
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
            ("io-wait", self.io_wait, "--io-wait"),
        ]
        .into_iter()
        .filter_map(|(field, value, flag)| value.map(|value| (field, value, flag)))
        .collect()
    }
}
