//! The Flink configuration options flinktune reads, each with its key, its deprecated fallback keys and its default
//! for every supported version. This is the only place a Flink key is spelled; everything else names these constants.
//!
//! Sources: `TaskManagerOptions`, `JobManagerOptions`, `NettyShuffleEnvironmentOptions` of Flink 1.15.4 to 2.3.0
//! (the generated catalogue src/flink/catalogue/options.tsv; docs/flink-memory-model.md, docs/flink-config-keys.md).

use crate::flink::java_text::double_to_string;
use crate::flink::memory_size::MemorySize;
use crate::flink::version::FlinkVersion;

/// A configuration option of value type `T`.
#[derive(Debug, Clone, Copy)]
pub struct ConfigOption<T: 'static> {
    pub key: &'static str,
    /// Older keys Flink still reads for this option, in the order it tries them.
    pub deprecated_keys: &'static [&'static str],
    default: fn(FlinkVersion) -> Option<T>,
}

impl<T: Copy> ConfigOption<T> {
    pub fn default_value(&self, version: FlinkVersion) -> Option<T> {
        (self.default)(version)
    }

    /// The keys to look for, main key first.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.key).chain(self.deprecated_keys.iter().copied())
    }

    /// Java's `ConfigOption.toString()`, which Flink embeds in some error messages:
    /// `Key: 'k' , default: d (fallback keys: [{key=old, isDeprecated=true}])`.
    pub fn describe(&self, version: FlinkVersion) -> String
    where
        T: JavaDisplay,
    {
        let default = self
            .default_value(version)
            .map_or_else(|| "null".to_string(), |v| v.java_display());
        let fallbacks: Vec<String> = self
            .deprecated_keys
            .iter()
            .map(|key| format!("{{key={key}, isDeprecated=true}}"))
            .collect();
        format!(
            "Key: '{}' , default: {} (fallback keys: [{}])",
            self.key,
            default,
            fallbacks.join(", ")
        )
    }
}

/// How Java's `toString()` prints a default value.
pub trait JavaDisplay {
    fn java_display(&self) -> String;
}

impl JavaDisplay for f32 {
    fn java_display(&self) -> String {
        // Float.toString prints the float's own shortest digits (0.4, not 0.4000000059604645).
        double_to_string(self.to_string().parse().unwrap_or(f64::from(*self)))
    }
}

impl JavaDisplay for MemorySize {
    /// `MemorySize.toString()`: the count in the largest unit that divides it, where a size every unit divides
    /// (zero, whole tebibytes) falls back to bytes, as Flink's own implementation does.
    fn java_display(&self) -> String {
        const UNITS: [(u64, &str); 5] = [
            (1, "bytes"),
            (1 << 10, "kb"),
            (1 << 20, "mb"),
            (1 << 30, "gb"),
            (1 << 40, "tb"),
        ];
        let bytes = self.bytes();
        let unit = UNITS
            .iter()
            .position(|(multiplier, _)| !bytes.is_multiple_of(*multiplier))
            .map_or(UNITS[0], |first_not_dividing| {
                UNITS[first_not_dividing.saturating_sub(1)]
            });
        format!("{} {}", bytes / unit.0, unit.1)
    }
}

const fn option<T>(
    key: &'static str,
    deprecated_keys: &'static [&'static str],
    default: fn(FlinkVersion) -> Option<T>,
) -> ConfigOption<T> {
    ConfigOption {
        key,
        deprecated_keys,
        default,
    }
}

fn no_default<T>(_: FlinkVersion) -> Option<T> {
    None
}

/// TaskManager options (`TaskManagerOptions`, `NettyShuffleEnvironmentOptions`).
pub(crate) mod taskmanager {
    use super::*;

    pub(crate) const TOTAL_PROCESS_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.process.size", &[], no_default);
    pub(crate) const TOTAL_FLINK_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.flink.size", &[], no_default);
    pub(crate) const FRAMEWORK_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.framework.heap.size", &[], |_| {
            Some(MemorySize::mebibytes(128))
        });
    pub(crate) const TASK_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.task.heap.size", &[], no_default);
    pub(crate) const MANAGED_MEMORY_SIZE: ConfigOption<MemorySize> = option(
        "taskmanager.memory.managed.size",
        &["taskmanager.memory.size"],
        no_default,
    );
    pub(crate) const MANAGED_MEMORY_FRACTION: ConfigOption<f32> =
        option("taskmanager.memory.managed.fraction", &[], |_| Some(0.4));
    pub(crate) const FRAMEWORK_OFF_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.framework.off-heap.size", &[], |_| {
            Some(MemorySize::mebibytes(128))
        });
    pub(crate) const TASK_OFF_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("taskmanager.memory.task.off-heap.size", &[], |_| {
            Some(MemorySize::ZERO)
        });
    pub(crate) const NETWORK_MEMORY_MIN: ConfigOption<MemorySize> = option(
        "taskmanager.memory.network.min",
        &["taskmanager.network.memory.min"],
        |_| Some(MemorySize::mebibytes(64)),
    );
    /// 1 gb until 1.16, unbounded (`Long.MAX_VALUE` bytes) from 1.17.
    pub(crate) const NETWORK_MEMORY_MAX: ConfigOption<MemorySize> = option(
        "taskmanager.memory.network.max",
        &["taskmanager.network.memory.max"],
        |version| {
            Some(if version.network_max_is_bounded_by_default() {
                MemorySize::gibibytes(1)
            } else {
                MemorySize::MAX
            })
        },
    );
    pub(crate) const NETWORK_MEMORY_FRACTION: ConfigOption<f32> = option(
        "taskmanager.memory.network.fraction",
        &["taskmanager.network.memory.fraction"],
        |_| Some(0.1),
    );
    pub(crate) const JVM_METASPACE: ConfigOption<MemorySize> =
        option("taskmanager.memory.jvm-metaspace.size", &[], |_| {
            Some(MemorySize::mebibytes(256))
        });
    pub(crate) const JVM_OVERHEAD_MIN: ConfigOption<MemorySize> =
        option("taskmanager.memory.jvm-overhead.min", &[], |_| {
            Some(MemorySize::mebibytes(192))
        });
    pub(crate) const JVM_OVERHEAD_MAX: ConfigOption<MemorySize> =
        option("taskmanager.memory.jvm-overhead.max", &[], |_| {
            Some(MemorySize::gibibytes(1))
        });
    pub(crate) const JVM_OVERHEAD_FRACTION: ConfigOption<f32> =
        option("taskmanager.memory.jvm-overhead.fraction", &[], |_| {
            Some(0.1)
        });
    /// Network buffer size; with the legacy buffer count it sizes network memory on 1.x.
    pub(crate) const MEMORY_SEGMENT_SIZE: ConfigOption<MemorySize> =
        option("taskmanager.memory.segment-size", &[], |_| {
            Some(MemorySize::from_bytes(32 << 10))
        });
    /// 1.x only, @Deprecated: network memory as a number of buffers. Removed in 2.0.
    pub(crate) const NETWORK_NUM_BUFFERS: ConfigOption<i32> =
        option("taskmanager.network.numberOfBuffers", &[], |_| Some(2048));
    /// 1.x only: the pre-1.10 heap size, read as Total Flink Memory when that is not set. Removed in 2.0.
    pub(crate) const LEGACY_HEAP_SIZE: ConfigOption<MemorySize> =
        option("taskmanager.heap.size", &[], no_default);
    /// 1.x only: the same in mebibytes. Removed in 2.0.
    pub(crate) const LEGACY_HEAP_MB: ConfigOption<i32> =
        option("taskmanager.heap.mb", &[], no_default);
    /// 1.x only: the environment variable the start scripts and BashJavaUtils honour before the legacy keys.
    pub(crate) const LEGACY_HEAP_ENV: &str = "FLINK_TM_HEAP";
    pub(crate) const CPU_CORES: ConfigOption<f64> =
        option("taskmanager.cpu.cores", &[], no_default);
    pub(crate) const NUM_TASK_SLOTS: ConfigOption<i32> =
        option("taskmanager.numberOfTaskSlots", &[], |_| Some(1));
}

/// JobManager options (`JobManagerOptions`).
pub(crate) mod jobmanager {
    use super::*;

    pub(crate) const TOTAL_PROCESS_MEMORY: ConfigOption<MemorySize> =
        option("jobmanager.memory.process.size", &[], no_default);
    pub(crate) const TOTAL_FLINK_MEMORY: ConfigOption<MemorySize> =
        option("jobmanager.memory.flink.size", &[], no_default);
    pub(crate) const JVM_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("jobmanager.memory.heap.size", &[], no_default);
    pub(crate) const OFF_HEAP_MEMORY: ConfigOption<MemorySize> =
        option("jobmanager.memory.off-heap.size", &[], |_| {
            Some(MemorySize::mebibytes(128))
        });
    pub(crate) const JVM_DIRECT_MEMORY_LIMIT_ENABLED: ConfigOption<bool> = option(
        "jobmanager.memory.enable-jvm-direct-memory-limit",
        &[],
        |_| Some(false),
    );
    pub(crate) const JVM_METASPACE: ConfigOption<MemorySize> =
        option("jobmanager.memory.jvm-metaspace.size", &[], |_| {
            Some(MemorySize::mebibytes(256))
        });
    pub(crate) const JVM_OVERHEAD_MIN: ConfigOption<MemorySize> =
        option("jobmanager.memory.jvm-overhead.min", &[], |_| {
            Some(MemorySize::mebibytes(192))
        });
    pub(crate) const JVM_OVERHEAD_MAX: ConfigOption<MemorySize> =
        option("jobmanager.memory.jvm-overhead.max", &[], |_| {
            Some(MemorySize::gibibytes(1))
        });
    pub(crate) const JVM_OVERHEAD_FRACTION: ConfigOption<f32> =
        option("jobmanager.memory.jvm-overhead.fraction", &[], |_| {
            Some(0.1)
        });
    /// Below this heap Flink only warns (`JobManagerFlinkMemoryUtils`).
    pub(crate) const RECOMMENDED_MIN_HEAP: MemorySize = MemorySize::mebibytes(128);
    /// 1.x only: the pre-1.11 heap size, read as the JVM heap when that is not set. Removed in 2.0.
    pub(crate) const LEGACY_HEAP_SIZE: ConfigOption<MemorySize> =
        option("jobmanager.heap.size", &[], no_default);
    /// 1.x only: the same in mebibytes. Removed in 2.0.
    pub(crate) const LEGACY_HEAP_MB: ConfigOption<i32> =
        option("jobmanager.heap.mb", &[], no_default);
    pub(crate) const LEGACY_HEAP_ENV: &str = "FLINK_JM_HEAP";
}

/// The option Flink reads a pre-1.10 memory key as, on the 1.x releases that still read it (removed in 2.0): the
/// legacy TaskManager heap is Total Flink Memory, the legacy JobManager heap is its JVM heap, and the network buffer
/// count sizes network memory (docs/flink-memory-model.md, "Legacy settings (1.x only)").
pub(crate) fn legacy_memory_successor(key: &str) -> Option<&'static str> {
    if key == taskmanager::LEGACY_HEAP_SIZE.key || key == taskmanager::LEGACY_HEAP_MB.key {
        Some(taskmanager::TOTAL_FLINK_MEMORY.key)
    } else if key == jobmanager::LEGACY_HEAP_SIZE.key || key == jobmanager::LEGACY_HEAP_MB.key {
        Some(jobmanager::JVM_HEAP_MEMORY.key)
    } else if key == taskmanager::NETWORK_NUM_BUFFERS.key {
        Some(taskmanager::NETWORK_MEMORY_MIN.key)
    } else {
        None
    }
}

/// Whether `key` belongs to the TaskManager or JobManager memory model (any spelling, legacy heap keys included): a
/// plan that sizes the processes owns every one of them, since any one set beside it changes what Flink derives
/// (docs/flink-memory-model.md).
pub(crate) fn is_memory_model_key(key: &str) -> bool {
    const MEMORY_PREFIXES: [&str; 2] = ["taskmanager.memory.", "jobmanager.memory."];
    MEMORY_PREFIXES.iter().any(|prefix| key.starts_with(prefix))
        || legacy_memory_successor(key).is_some()
}

/// Cluster-wide options.
pub(crate) mod cluster {
    use super::*;

    /// Listed into the TaskManager's dynamic properties as `none` when no external resource (GPU, ...) is declared.
    pub(crate) const EXTERNAL_RESOURCES: ConfigOption<&'static str> =
        option("external-resources", &[], no_default);
    pub(crate) const EXTERNAL_RESOURCES_NONE: &str = "none";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_matches_java_config_option_to_string() {
        let v = FlinkVersion::line(2, 3);
        assert_eq!(
            taskmanager::NETWORK_MEMORY_FRACTION.describe(v),
            "Key: 'taskmanager.memory.network.fraction' , default: 0.1 (fallback keys: \
             [{key=taskmanager.network.memory.fraction, isDeprecated=true}])"
        );
        assert_eq!(
            taskmanager::TOTAL_FLINK_MEMORY.describe(v),
            "Key: 'taskmanager.memory.flink.size' , default: null (fallback keys: [])"
        );
        assert_eq!(
            taskmanager::NETWORK_MEMORY_MAX.default_value(FlinkVersion::line(1, 16)),
            Some(MemorySize::gibibytes(1))
        );
        assert_eq!(
            taskmanager::NETWORK_MEMORY_MAX.default_value(FlinkVersion::line(1, 17)),
            Some(MemorySize::MAX)
        );
    }

    #[test]
    fn memory_size_java_display_uses_largest_dividing_unit() {
        assert_eq!(MemorySize::mebibytes(1728).java_display(), "1728 mb");
        assert_eq!(MemorySize::gibibytes(1).java_display(), "1 gb");
        assert_eq!(MemorySize::ZERO.java_display(), "0 bytes");
        assert_eq!(
            MemorySize::from_bytes(1 << 40).java_display(),
            "1099511627776 bytes"
        );
        assert_eq!(MemorySize::MAX.java_display(), "9223372036854775807 bytes");
    }
}
