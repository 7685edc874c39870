//! Why no recommendation could be made. Each message names the flag or profile field to change.

use crate::flink::MemorySize;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AdviceError {
    #[error(
        "recommend writes configs for Flink 1.17 to 2.3, not {0}: before 1.17 the state backend and restart strategy \
         keys (state.backend, restart-strategy) are prefixes of their own sub-options, which Flink's YAML tools cannot \
         convert; pass --flink-version 1.17 or later"
    )]
    VersionTooOld(String),

    #[error(
        "per-job mode is gone in Flink {0}: use --mode application (one cluster per application) or --mode session"
    )]
    PerJobGone(String),

    #[error(
        "the ForSt state backend needs Flink 2.0 or later, not {0}: use --state-backend rocksdb"
    )]
    ForStNeeds2x(String),

    #[error(
        "restore needs a durable checkpoint directory: pass --checkpoint-dir URI (e.g. s3://bucket/flink/checkpoints \
         or hdfs:///flink/checkpoints) or set checkpoint-dir in the profile"
    )]
    RestoreWithoutCheckpointDir,

    #[error(
        "this host is too small for a TaskManager: {available} is left for Flink after {reserved}, and a TaskManager \
         needs at least {needed}; give more memory (--memory) or drop --jobmanager-on-host"
    )]
    HostTooSmall {
        available: String,
        reserved: String,
        needed: String,
    },

    /// The plan breaks an invariant the inputs leave no way around; the message names the input to change.
    #[error("no coherent plan for these inputs: {0}")]
    Incoherent(String),

    #[error("-D {key}: Flink {version} has no such option{suggestion}")]
    UnknownPin {
        key: String,
        version: String,
        /// `; did you mean '...'?`, or empty.
        suggestion: String,
    },

    #[error("-D {key}={value}: {problem}")]
    BadPin {
        key: String,
        value: String,
        /// What is wrong and what to write instead.
        problem: String,
    },

    /// A pinned value breaks an error-level invariant; the rules kept the pin, so only the user can change it.
    #[error("{pins} breaks {violation}; change or drop the pin")]
    PinBreaks {
        /// `-D key=value` of the pin the rule is about, else of every pin.
        pins: String,
        /// The invariant's one line (`FT-MEM-001: ...; fix`).
        violation: String,
    },

    /// Flink's memory model refuses the TaskManager or JobManager the pins ask for.
    #[error("Flink would reject the memory the pins ask for ({pins}): {message}")]
    PinRejected { pins: String, message: String },

    #[error(
        "Flink would reject the TaskManager memory flinktune derived ({0}); please report this as a flinktune bug"
    )]
    Rejected(String),
}

impl AdviceError {
    pub fn host_too_small(available: MemorySize, reserved: &str, needed: MemorySize) -> Self {
        AdviceError::HostTooSmall {
            available: crate::text::units::show(available),
            reserved: reserved.to_string(),
            needed: crate::text::units::show(needed),
        }
    }
}
