//! Every way Flink refuses a memory configuration, with Flink's exact message text (docs/flink-memory-model.md,
//! checked against the 1.20.3 and 2.3.0 jars by the differential test). `source()` walks the same cause chain Java
//! prints as "Caused by:".

use crate::flink::config::ReadError;
use crate::flink::memory_size::{MemorySize, MemorySizeParseError, SizeArithmeticError};

/// A size printed the way Flink prints it in messages.
fn human(size: &MemorySize) -> String {
    size.human_readable()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemoryError {
    /// The wrapper `TaskExecutorProcessUtils` / `JobManagerProcessUtils` put around configuration errors.
    #[error("{context}{cause}")]
    Context {
        context: &'static str,
        #[source]
        cause: Box<MemoryError>,
    },

    #[error("Cannot read memory size from config option '{key}'.")]
    CannotReadMemorySize {
        key: &'static str,
        #[source]
        cause: ReadError,
    },

    /// A fraction, count or flag that did not convert (an `IllegalArgumentException`, so never prefixed).
    #[error(transparent)]
    Unparseable(ReadError),

    /// Java's `long` arithmetic overflowed (an `ArithmeticException`, so never prefixed).
    #[error(transparent)]
    Arithmetic(SizeArithmeticError),

    #[error("Inconsistently configured {option} ({fraction}) and its min ({}), max ({}) value", human(.min), human(.max))]
    InconsistentRange {
        option: String,
        /// The fraction option's key, where a fraction Flink refuses is written.
        key: &'static str,
        fraction: String,
        min: MemorySize,
        max: MemorySize,
        #[source]
        cause: RangeError,
    },

    #[error(
        "Either required fine-grained memory ({fine_grained}), or Total Flink Memory size ({total_flink}), or Total \
         Process Memory size ({total_process}) need to be configured explicitly."
    )]
    NothingConfigured {
        fine_grained: String,
        total_flink: String,
        total_process: String,
    },

    #[error(
        "Sum of configured Framework Heap Memory ({}), Framework Off-Heap Memory ({}), Task Heap Memory ({}), Task \
         Off-Heap Memory ({}) and Managed Memory ({}) exceed configured Total Flink Memory ({}).",
        human(.framework_heap), human(.framework_off_heap), human(.task_heap), human(.task_off_heap), human(.managed),
        human(.total_flink)
    )]
    FineGrainedExceedTotalFlink {
        framework_heap: MemorySize,
        framework_off_heap: MemorySize,
        task_heap: MemorySize,
        task_off_heap: MemorySize,
        managed: MemorySize,
        total_flink: MemorySize,
    },

    #[error(
        "Sum of configured Framework Heap Memory ({}), Framework Off-Heap Memory ({}), Task Off-Heap Memory ({}), \
         Managed Memory ({}) and Network Memory ({}) exceed configured Total Flink Memory ({}).",
        human(.framework_heap), human(.framework_off_heap), human(.task_off_heap), human(.managed), human(.network),
        human(.total_flink)
    )]
    DerivedExceedTotalFlink {
        framework_heap: MemorySize,
        framework_off_heap: MemorySize,
        task_off_heap: MemorySize,
        managed: MemorySize,
        network: MemorySize,
        total_flink: MemorySize,
    },

    #[error(
        "If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory \
         size is the rest of the Total Flink memory after subtracting all other configured types of memory, but the \
         derived Network Memory is inconsistent with its configuration."
    )]
    NetworkRemainderInconsistent(#[source] Box<MemoryError>),

    #[error(
        "Derived Network Memory size ({}) is not in configured Network Memory range [{}, {}].",
        human(.derived), human(.min), human(.max)
    )]
    NetworkOutOfRange {
        derived: MemorySize,
        min: MemorySize,
        max: MemorySize,
    },

    #[error(
        "Derived Network Memory size ({}) does not match configured Network Memory size ({}).",
        human(.derived), human(.configured)
    )]
    NetworkNotLegacySize {
        derived: MemorySize,
        configured: MemorySize,
    },

    #[error(
        "Sum of configured JVM Metaspace ({}) and JVM Overhead ({}) exceed configured Total Process Memory ({}).",
        human(.metaspace), human(.overhead), human(.total_process)
    )]
    MetaspaceAndOverheadExceedProcess {
        metaspace: MemorySize,
        overhead: MemorySize,
        total_process: MemorySize,
    },

    #[error(
        "The configured Total Process Memory size ({}) is less than the sum of the derived Total Flink Memory size \
         ({}) and the configured or default JVM Metaspace size  ({}).",
        human(.total_process), human(.total_flink), human(.metaspace)
    )]
    ProcessBelowFlinkAndMetaspace {
        total_process: MemorySize,
        total_flink: MemorySize,
        metaspace: MemorySize,
    },

    #[error(
        "Derived JVM Overhead size ({}) is not in configured JVM Overhead range [{}, {}].",
        human(.derived), human(.min), human(.max)
    )]
    OverheadOutOfRange {
        derived: MemorySize,
        min: MemorySize,
        max: MemorySize,
    },

    #[error(
        "TaskExecutors need to be started with a positive number of CPU cores. Please configure {key} accordingly."
    )]
    NonPositiveCpuCores { key: &'static str },

    #[error(
        "Sum of the configured JVM Heap Memory ({}) and the configured Off-heap Memory ({}) does not match the \
         configured Total Flink Memory ({}). Please, make the configuration consistent or configure only one option: \
         either JVM Heap or Total Flink Memory.",
        human(.heap), human(.off_heap), human(.total_flink)
    )]
    HeapAndOffHeapMismatchTotalFlink {
        heap: MemorySize,
        off_heap: MemorySize,
        total_flink: MemorySize,
    },

    #[error(
        "The configured JVM Heap Memory ({}) exceeds the configured Total Flink Memory ({}). Please, make the \
         configuration consistent or configure only one option: either JVM Heap or Total Flink Memory.",
        human(.heap), human(.total_flink)
    )]
    HeapExceedsTotalFlink {
        heap: MemorySize,
        total_flink: MemorySize,
    },

    #[error(
        "The configured Total Flink Memory ({}) is less than the configured Off-heap Memory ({}).",
        human(.total_flink), human(.off_heap)
    )]
    TotalFlinkBelowOffHeap {
        total_flink: MemorySize,
        off_heap: MemorySize,
    },

    /// `ConfigurationParserUtils.checkConfigParameter`.
    #[error("Invalid configuration value for {key} : {value} - {reason}")]
    InvalidParameter {
        key: &'static str,
        value: String,
        reason: String,
    },

    #[error("Cannot read total process memory size from environment variable value {value}.")]
    LegacyHeapEnvironment {
        value: String,
        #[source]
        cause: MemorySizeParseError,
    },

    #[error("Configured total process memory size ({0}MB) must not be less than 0.")]
    LegacyHeapMegabytesNegative(i32),
}

/// Why `RangeFraction` refused its arguments (`IllegalArgumentException` texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("min value must be less or equal to max value")]
    MinAboveMax,
    #[error("fraction must be in range [0, 1)")]
    FractionOutOfRange,
}

impl MemoryError {
    /// Flink wraps only `IllegalConfigurationException`s in its "... memory configuration failed: " context;
    /// conversion and arithmetic failures are other exception types and surface bare.
    pub fn is_illegal_configuration(&self) -> bool {
        !matches!(
            self,
            MemoryError::Unparseable(_) | MemoryError::Arithmetic(_)
        )
    }

    /// Puts `context` in front, as Flink's catch-and-rethrow does, for configuration errors only.
    pub fn in_context(self, context: &'static str) -> MemoryError {
        if self.is_illegal_configuration() {
            MemoryError::Context {
                context,
                cause: Box::new(self),
            }
        } else {
            self
        }
    }

    /// The part of an option key that names the setting at fault (`network.` for a network range, a whole key for a
    /// value that did not parse), so that a report can point at the line to change. `None` when nothing is set.
    pub fn blamed_key_part(&self) -> Option<&'static str> {
        match self {
            MemoryError::Context { cause, .. }
            | MemoryError::NetworkRemainderInconsistent(cause) => cause.blamed_key_part(),
            MemoryError::CannotReadMemorySize { key, .. }
            | MemoryError::NonPositiveCpuCores { key }
            | MemoryError::InvalidParameter { key, .. } => Some(key),
            MemoryError::Unparseable(read) => Some(read.key),
            // The fraction itself is what Flink refuses (e.g. taskmanager.memory.managed.fraction: 1.0).
            MemoryError::InconsistentRange {
                key,
                cause: RangeError::FractionOutOfRange,
                ..
            } => Some(key),
            MemoryError::InconsistentRange { option, .. } if option.contains("network") => {
                Some("network.")
            }
            MemoryError::InconsistentRange { .. }
            | MemoryError::OverheadOutOfRange { .. }
            | MemoryError::MetaspaceAndOverheadExceedProcess { .. } => Some("jvm-overhead."),
            MemoryError::NetworkOutOfRange { .. } | MemoryError::NetworkNotLegacySize { .. } => {
                Some("network.")
            }
            MemoryError::FineGrainedExceedTotalFlink { .. }
            | MemoryError::DerivedExceedTotalFlink { .. }
            | MemoryError::TotalFlinkBelowOffHeap { .. } => Some("flink.size"),
            MemoryError::ProcessBelowFlinkAndMetaspace { .. } => Some("process.size"),
            MemoryError::HeapAndOffHeapMismatchTotalFlink { .. }
            | MemoryError::HeapExceedsTotalFlink { .. } => Some("heap.size"),
            MemoryError::NothingConfigured { .. }
            | MemoryError::Arithmetic(_)
            | MemoryError::LegacyHeapEnvironment { .. }
            | MemoryError::LegacyHeapMegabytesNegative(_) => None,
        }
    }

    /// The message and each cause's message, outermost first, as Java prints the chain.
    pub fn chain(&self) -> Vec<String> {
        let mut messages = vec![self.to_string()];
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            messages.push(cause.to_string());
            source = cause.source();
        }
        messages
    }
}

impl From<SizeArithmeticError> for MemoryError {
    fn from(error: SizeArithmeticError) -> Self {
        MemoryError::Arithmetic(error)
    }
}
