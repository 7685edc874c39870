//! Flink's own code as the judge of the string-typed options (`state.backend.type`, `restart-strategy.type`,
//! `jobmanager.execution.failover-strategy`), which Flink's typed parsing accepts whatever they say:
//! tests/oracle/FlinkFactoryOracle.java loads each conf directory as Flink does and builds the state backend, the
//! restart strategy and the failover strategy from it with Flink's own loaders. One JVM for all directories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::flink::run_oracle;

/// What Flink built from one conf directory: each a class name (without its package; a wrapped state backend in
/// brackets, `ChangelogStateBackend(HashMapStateBackend)`), or the error chain joined with " / ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Factories {
    pub(crate) state_backend: Result<String, String>,
    pub(crate) restart_strategy: Result<String, String>,
    pub(crate) failover_strategy: Result<String, String>,
}

/// Asks Flink `home` about every `(id, conf dir)` in one JVM; `work` holds the compiled oracle and its files. A
/// directory Flink cannot load at all is a panic: the configuration oracle (flink_config.rs) judges that.
pub(crate) fn factory_oracle(
    home: &Path,
    work: &Path,
    conf_dirs: &[(String, PathBuf)],
) -> BTreeMap<String, Factories> {
    let lines: Vec<String> = conf_dirs
        .iter()
        .map(|(id, dir)| {
            assert!(
                !id.is_empty() && !id.contains(['\t', '\n']),
                "oracle ids are non-empty and tab-separated: {id:?}"
            );
            format!("{id}\t{}", dir.display())
        })
        .collect();
    let text = run_oracle(home, work, "FlinkFactoryOracle", &lines);
    let mut answers: BTreeMap<String, BTreeMap<String, Result<String, String>>> = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.splitn(4, '\t').collect();
        let [id, what, status, value] = fields[..] else {
            panic!("unexpected oracle line {line:?}");
        };
        let value = value.replace('\u{1f}', " / ");
        let answer = match status {
            "OK" => Ok(value),
            "FAILED" => Err(value),
            "LOAD_FAILED" => panic!("{id}: Flink could not load the config: {value}"),
            other => panic!("unexpected oracle status {other:?} in {line:?}"),
        };
        answers
            .entry(id.to_string())
            .or_default()
            .insert(what.to_string(), answer);
    }
    answers
        .into_iter()
        .map(|(id, mut built)| {
            let mut take = |what: &str| {
                built
                    .remove(what)
                    .unwrap_or_else(|| panic!("{id}: no {what} from the oracle"))
            };
            let factories = Factories {
                state_backend: take("STATE_BACKEND"),
                restart_strategy: take("RESTART_STRATEGY"),
                failover_strategy: take("FAILOVER_STRATEGY"),
            };
            (id, factories)
        })
        .collect()
}

/// The class Flink builds for a `restart-strategy.type` value, by the names Flink's `RestartStrategyType` accepts
/// (docs/flink-config-keys.md); `None` for a value it does not name.
pub(crate) fn restart_strategy_class(value: &str) -> Option<&'static str> {
    Some(match value.to_ascii_lowercase().as_str() {
        "none" | "off" | "disable" => {
            "NoRestartBackoffTimeStrategy$NoRestartBackoffTimeStrategyFactory"
        }
        "fixed-delay" | "fixeddelay" => {
            "FixedDelayRestartBackoffTimeStrategy$FixedDelayRestartBackoffTimeStrategyFactory"
        }
        "failure-rate" | "failurerate" => {
            "FailureRateRestartBackoffTimeStrategy$FailureRateRestartBackoffTimeStrategyFactory"
        }
        "exponential-delay" | "exponentialdelay" => {
            "ExponentialDelayRestartBackoffTimeStrategy$ExponentialDelayRestartBackoffTimeStrategyFactory"
        }
        _ => return None,
    })
}

/// The state backend Flink builds for a `state.backend.type` value flinktune writes.
pub(crate) fn state_backend_class(value: &str) -> Option<&'static str> {
    Some(match value {
        "hashmap" => "HashMapStateBackend",
        "rocksdb" => "EmbeddedRocksDBStateBackend",
        "forst" => "ForStStateBackend",
        _ => return None,
    })
}

/// The failover strategy Flink builds for a `jobmanager.execution.failover-strategy` value.
pub(crate) fn failover_strategy_class(value: &str) -> Option<&'static str> {
    Some(match value.to_ascii_lowercase().as_str() {
        "region" => "RestartPipelinedRegionFailoverStrategy$Factory",
        "full" => "RestartAllFailoverStrategy$Factory",
        _ => return None,
    })
}
