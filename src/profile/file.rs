//! Reading a profile file: a flat YAML map of hints (`workload: io`, `state-size: 200 gb`). Fields it leaves out come
//! from the profile named by `extends` (default `balanced`). Every error names the file, line and column and the
//! accepted values, so that a typo is never a setting that silently did not happen (as a misspelt key in a Flink
//! config file does: docs/flink-config-files.md, "Which file a release reads").

use std::time::Duration;

use crate::flink::MemorySize;
use crate::flink::config::{Origin, Value, parse_standard_yaml};
use crate::flink::duration::parse_duration;

use super::{
    BackendChoice, Deployment, JobProfile, Mode, Purpose, RestartChoice, Runtime, Workload,
};

/// A profile field that failed to read, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ProfileError {
    /// `file:line:column`, or the flag that carried the value.
    pub location: String,
    pub message: String,
}

/// The fields a profile may set, in the order `flinktune profiles` documents them.
pub(crate) const FIELDS: &[&str] = &[
    "extends",
    "description",
    "workload",
    "runtime",
    "purpose",
    "state-size",
    "input-rate",
    "slot-throughput",
    "source-partitions",
    "exactly-once-sinks",
    "latency-target",
    "recovery-time-objective",
    "restore",
    "checkpoint-interval",
    "checkpoint-dir",
    "savepoint-dir",
    "state-backend",
    "restart-strategy",
    "connector-direct-memory",
    "deployment",
    "mode",
    "upload-bandwidth",
    "download-bandwidth",
    "state-change-rate",
    "zookeeper-quorum",
    "io-wait",
];

/// Some fields of a profile: what a file or a set of flags changes on top of a base profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProfilePatch {
    pub extends: Option<String>,
    pub description: Option<String>,
    pub workload: Option<Workload>,
    pub runtime: Option<Runtime>,
    pub purpose: Option<Purpose>,
    pub state_size: Option<MemorySize>,
    pub input_rate: Option<u64>,
    pub slot_throughput: Option<u64>,
    pub source_partitions: Option<u32>,
    pub exactly_once_sinks: Option<bool>,
    pub latency_target: Option<Duration>,
    pub recovery_time_objective: Option<Duration>,
    pub restore: Option<bool>,
    pub checkpoint_interval: Option<Duration>,
    pub checkpoint_dir: Option<String>,
    pub savepoint_dir: Option<String>,
    pub state_backend: Option<BackendChoice>,
    pub restart_strategy: Option<RestartChoice>,
    pub connector_direct_memory: Option<MemorySize>,
    pub deployment: Option<Deployment>,
    pub mode: Option<Mode>,
    pub upload_bandwidth: Option<MemorySize>,
    pub download_bandwidth: Option<MemorySize>,
    pub state_change_percent: Option<u8>,
    pub zookeeper_quorum: Option<String>,
    pub io_wait_percent: Option<u8>,
}

impl ProfilePatch {
    /// `base` with every field this patch sets replaced; `name` becomes the profile's name.
    pub(crate) fn apply(self, name: &str, base: JobProfile) -> JobProfile {
        JobProfile {
            name: name.to_string(),
            description: self.description.unwrap_or(base.description),
            workload: self.workload.unwrap_or(base.workload),
            runtime: self.runtime.unwrap_or(base.runtime),
            purpose: self.purpose.unwrap_or(base.purpose),
            state_size: self.state_size.or(base.state_size),
            input_rate: self.input_rate.or(base.input_rate),
            slot_throughput: self.slot_throughput.or(base.slot_throughput),
            source_partitions: self.source_partitions.or(base.source_partitions),
            exactly_once_sinks: self.exactly_once_sinks.unwrap_or(base.exactly_once_sinks),
            latency_target: self.latency_target.or(base.latency_target),
            recovery_time_objective: self
                .recovery_time_objective
                .unwrap_or(base.recovery_time_objective),
            restore: self.restore.unwrap_or(base.restore),
            checkpoint_interval: self.checkpoint_interval.or(base.checkpoint_interval),
            checkpoint_dir: self.checkpoint_dir.or(base.checkpoint_dir),
            savepoint_dir: self.savepoint_dir.or(base.savepoint_dir),
            state_backend: self.state_backend.unwrap_or(base.state_backend),
            restart_strategy: self.restart_strategy.unwrap_or(base.restart_strategy),
            connector_direct_memory: self
                .connector_direct_memory
                .unwrap_or(base.connector_direct_memory),
            deployment: self.deployment.unwrap_or(base.deployment),
            mode: self.mode.unwrap_or(base.mode),
            upload_bandwidth: self.upload_bandwidth.unwrap_or(base.upload_bandwidth),
            download_bandwidth: self.download_bandwidth.unwrap_or(base.download_bandwidth),
            state_change_percent: self
                .state_change_percent
                .unwrap_or(base.state_change_percent),
            zookeeper_quorum: self.zookeeper_quorum.or(base.zookeeper_quorum),
            io_wait_percent: self.io_wait_percent.or(base.io_wait_percent),
        }
    }

    /// Sets one field from its text (a profile value or a flag), reporting errors at `location`.
    pub(crate) fn set(
        &mut self,
        field: &str,
        text: &str,
        location: &str,
    ) -> Result<(), ProfileError> {
        // A flag names the field itself; a file location needs the field named.
        let fail = |message: String| ProfileError {
            location: location.to_string(),
            message: if location.starts_with("--") {
                message
            } else {
                format!("{field}: {message}")
            },
        };
        let text = text.trim();
        match field {
            "extends" => self.extends = Some(text.to_string()),
            "description" => self.description = Some(text.to_string()),
            "workload" => {
                self.workload =
                    Some(choice(text, Workload::parse, Workload::ACCEPTED).map_err(fail)?)
            }
            "runtime" => {
                self.runtime = Some(choice(text, Runtime::parse, Runtime::ACCEPTED).map_err(fail)?)
            }
            "purpose" => {
                self.purpose = Some(choice(text, Purpose::parse, Purpose::ACCEPTED).map_err(fail)?)
            }
            "state-size" => self.state_size = Some(size(text).map_err(fail)?),
            "input-rate" => self.input_rate = Some(count(text).map_err(fail)?),
            "slot-throughput" => self.slot_throughput = Some(positive(text).map_err(fail)?),
            "source-partitions" => {
                self.source_partitions = Some(
                    u32::try_from(positive(text).map_err(fail)?)
                        .map_err(|_| fail(format!("'{text}' is too large")))?,
                );
            }
            "exactly-once-sinks" => self.exactly_once_sinks = Some(boolean(text).map_err(fail)?),
            "latency-target" => self.latency_target = Some(duration(text).map_err(fail)?),
            "recovery-time-objective" => {
                self.recovery_time_objective = Some(duration(text).map_err(fail)?);
            }
            "restore" => self.restore = Some(boolean(text).map_err(fail)?),
            "checkpoint-interval" => self.checkpoint_interval = Some(duration(text).map_err(fail)?),
            "checkpoint-dir" => self.checkpoint_dir = Some(uri(text).map_err(fail)?),
            "savepoint-dir" => self.savepoint_dir = Some(uri(text).map_err(fail)?),
            "state-backend" => {
                self.state_backend = Some(
                    choice(text, BackendChoice::parse, BackendChoice::ACCEPTED).map_err(fail)?,
                );
            }
            "restart-strategy" => {
                self.restart_strategy = Some(
                    choice(text, RestartChoice::parse, RestartChoice::ACCEPTED).map_err(fail)?,
                );
            }
            "connector-direct-memory" => {
                self.connector_direct_memory = Some(size(text).map_err(fail)?)
            }
            "deployment" => {
                self.deployment =
                    Some(choice(text, Deployment::parse, Deployment::ACCEPTED).map_err(fail)?);
            }
            "mode" => self.mode = Some(choice(text, Mode::parse, Mode::ACCEPTED).map_err(fail)?),
            "upload-bandwidth" => self.upload_bandwidth = Some(bandwidth(text).map_err(fail)?),
            "download-bandwidth" => self.download_bandwidth = Some(bandwidth(text).map_err(fail)?),
            "state-change-rate" => self.state_change_percent = Some(percent(text).map_err(fail)?),
            "zookeeper-quorum" => self.zookeeper_quorum = Some(quorum(text).map_err(fail)?),
            "io-wait" => self.io_wait_percent = Some(wait_percent(text).map_err(fail)?),
            unknown => {
                return Err(ProfileError {
                    location: location.to_string(),
                    message: format!(
                        "unknown field '{unknown}'{}; accepted fields: {}",
                        did_you_mean(unknown),
                        FIELDS.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Reads a profile file's text. `path` labels errors.
pub(crate) fn parse_profile(path: &str, text: &str) -> Result<ProfilePatch, ProfileError> {
    let loaded = parse_standard_yaml(path, text).map_err(|error| ProfileError {
        location: format!("{}:{}:{}", error.path, error.line, error.column),
        message: error.message,
    })?;
    let mut patch = ProfilePatch::default();
    // Fields in file order, so that the first mistake is the one reported.
    let mut entries: Vec<_> = loaded.configuration.iter().collect();
    entries.sort_by_key(|(_, entry)| match &entry.origin {
        Origin::File { line, column, .. } => (*line, *column),
        Origin::DynamicProperty => (0, 0),
    });
    for (field, entry) in entries {
        let text = match &entry.value {
            Value::Text(text) | Value::Integer(text) => text.clone(),
            Value::Float(_) => {
                return Err(ProfileError {
                    location: entry.origin.to_string(),
                    message: format!(
                        "{field}: '{}' is a fraction; profile values are whole numbers, sizes with units or words",
                        entry.value.java_string()
                    ),
                });
            }
            Value::Bool(value) => value.to_string(),
        };
        patch.set(field, &text, &entry.origin.to_string())?;
    }
    Ok(patch)
}

fn choice<T>(text: &str, parse: fn(&str) -> Option<T>, accepted: &[&str]) -> Result<T, String> {
    parse(text).ok_or_else(|| format!("'{text}' is not one of {}", accepted.join(", ")))
}

/// Sizes need a unit: Flink reads a bare number as bytes, which is never what a person meant by `state-size: 200`.
fn size(text: &str) -> Result<MemorySize, String> {
    let example = "e.g. 200 gb or 512 mb (units: b, kb, mb, gb, tb)";
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{text}' has no unit; write a size with a unit, {example}"
        ));
    }
    MemorySize::parse(text).map_err(|_| format!("'{text}' is not a size; {example}"))
}

/// A rate per second: a size with a unit and an optional `/s` (`100 mb/s`); zero would make every estimate infinite.
fn bandwidth(text: &str) -> Result<MemorySize, String> {
    let per_second = text.strip_suffix("/s").unwrap_or(text).trim();
    match size(per_second)? {
        rate if rate.bytes() == 0 => {
            Err("must be more than 0 per second, e.g. 100 mb/s".to_string())
        }
        rate => Ok(rate),
    }
}

/// A whole percentage from 1 to 100, with or without `%`: a checkpoint rewrites at least something.
fn percent(text: &str) -> Result<u8, String> {
    let number = text.strip_suffix('%').unwrap_or(text).trim();
    match number.parse::<u8>() {
        Ok(value @ 1..=100) => Ok(value),
        _ => Err(format!(
            "'{text}' is not a percentage from 1 to 100, e.g. 10%"
        )),
    }
}

/// An I/O wait share: 0% (all CPU) to [`MAX_IO_WAIT_PERCENT`](super::MAX_IO_WAIT_PERCENT).
fn wait_percent(text: &str) -> Result<u8, String> {
    let number = text.strip_suffix('%').unwrap_or(text).trim();
    match number.parse::<u8>() {
        Ok(value) if value <= super::MAX_IO_WAIT_PERCENT => Ok(value),
        _ => Err(format!(
            "'{text}' is not a percentage from 0 to {}, e.g. 90%",
            super::MAX_IO_WAIT_PERCENT
        )),
    }
}

fn duration(text: &str) -> Result<Duration, String> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{text}' has no unit; write e.g. 30 s, 5 min or 1 h"
        ));
    }
    // Every duration a profile holds (interval, latency, recovery objective) is a span of time that must pass;
    // 0 would write `0 ms` (Flink refuses checkpoint intervals under 10 ms) and `1 ns` would round to it (issue 11, 8).
    match parse_duration(text).map_err(|error| error.to_string())? {
        value if value < MIN_DURATION => Err(format!(
            "'{text}' is shorter than 1 ms; write a positive duration, e.g. 500 ms, 30 s or 5 min"
        )),
        value => Ok(value),
    }
}

/// The shortest duration a profile field takes: Flink writes durations in whole milliseconds.
const MIN_DURATION: Duration = Duration::from_millis(1);

fn count(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("'{text}' is not a whole number (records per second, e.g. 50000)"))
}

fn positive(text: &str) -> Result<u64, String> {
    match count(text)? {
        0 => Err("must be at least 1".to_string()),
        n => Ok(n),
    }
}

fn boolean(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("'{text}' is not one of true, false")),
    }
}

/// A checkpoint or savepoint location: a URI with a scheme (`s3://`, `hdfs://`, `file:///`), as Flink's
/// `FileSystem` resolves it; a bare path would be resolved against each process's working directory.
/// `host:port` pairs separated by commas, as `high-availability.zookeeper.quorum` takes them.
fn quorum(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text.split(',').all(|member| {
            member.trim().rsplit_once(':').is_some_and(|(host, port)| {
                !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0)
            })
        });
    if valid {
        Ok(text.split(',').map(str::trim).collect::<Vec<_>>().join(","))
    } else {
        Err(format!(
            "'{text}' is not a ZooKeeper quorum; write host:port pairs separated by commas, e.g. zk-1:2181,zk-2:2181,zk-3:2181"
        ))
    }
}

fn uri(text: &str) -> Result<String, String> {
    match text.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !rest.is_empty() =>
        {
            Ok(text.to_string())
        }
        _ => Err(format!(
            "'{text}' is not a URI; write a scheme and a path, e.g. s3://bucket/flink/checkpoints or hdfs:///flink/checkpoints"
        )),
    }
}

/// The accepted field closest to a misspelled one, as " (did you mean 'x'?)".
fn did_you_mean(unknown: &str) -> String {
    crate::text::suggest::closest(unknown, FIELDS.iter().copied())
        .map(|field| format!(" (did you mean '{field}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_field() {
        let patch = parse_profile(
            "p.yaml",
            "extends: io-bound\nworkload: cpu\nstate-size: 200 gb\ninput-rate: 50000\nexactly-once-sinks: true\n\
             latency-target: 500 ms\ncheckpoint-dir: s3://bucket/ckpt\nmode: session\n",
        )
        .unwrap();
        assert_eq!(patch.extends.as_deref(), Some("io-bound"));
        assert_eq!(patch.workload, Some(Workload::Cpu));
        assert_eq!(patch.state_size, Some(MemorySize::gibibytes(200)));
        assert_eq!(patch.input_rate, Some(50_000));
        assert_eq!(patch.exactly_once_sinks, Some(true));
        assert_eq!(patch.latency_target, Some(Duration::from_millis(500)));
        assert_eq!(patch.checkpoint_dir.as_deref(), Some("s3://bucket/ckpt"));
        assert_eq!(patch.mode, Some(Mode::Session));
    }

    #[test]
    fn errors_name_file_line_column_and_accepted_values() {
        let error = parse_profile("p.yaml", "restore: true\nworkload: gpu\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "p.yaml:2:11: workload: 'gpu' is not one of cpu, io, mixed"
        );
        let error = parse_profile("p.yaml", "worklod: io\n").unwrap_err();
        assert!(
            error.to_string().starts_with(
                "p.yaml:1:10: unknown field 'worklod' (did you mean 'workload'?); accepted fields: extends,"
            ),
            "{error}"
        );
        let error = parse_profile("p.yaml", "state-size: 200\n").unwrap_err();
        assert!(error.to_string().contains("'200' has no unit"), "{error}");
        let error = parse_profile("p.yaml", "checkpoint-dir: /data/ckpt\n").unwrap_err();
        assert!(error.to_string().contains("is not a URI"), "{error}");
        let error = parse_profile("p.yaml", "restore: yes\n").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("'yes' is not one of true, false"),
            "{error}"
        );
        let error = parse_profile("p.yaml", "latency-target: PT1S\n").unwrap_err();
        assert!(error.to_string().contains("not a duration"), "{error}");
    }

    #[test]
    fn nested_yaml_is_an_unknown_dotted_field() {
        let error = parse_profile("p.yaml", "state:\n  size: 1 gb\n").unwrap_err();
        assert!(
            error.to_string().contains("unknown field 'state.size'"),
            "{error}"
        );
    }
}
