//! The TaskManager memory model (`TaskExecutorFlinkMemoryUtils`, `TaskExecutorProcessUtils`;
//! docs/flink-memory-model.md):
//! how Total Flink Memory splits into framework and task heap, framework and task off-heap, network and managed
//! memory, plus the JVM arguments and dynamic properties Flink starts the TaskManager with.

use super::derivation::{Derivation, RangeFraction, sum};
use super::error::MemoryError;
use super::legacy_heap::{LegacyHeap, map_legacy_heap};
use super::process::{
    FlinkMemoryModel, JvmMetaspaceAndOverhead, ProcessOptions, derive_process_memory,
};
use crate::flink::config::Configuration;
use crate::flink::java_text::double_to_string;
use crate::flink::memory_size::{MemorySize, SizeArithmeticError};
use crate::flink::options::{cluster, taskmanager as tm};
use crate::flink::version::FlinkVersion;

/// Every TaskManager memory component, in bytes, as Flink resolves it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskManagerMemory {
    pub framework_heap: MemorySize,
    pub task_heap: MemorySize,
    pub managed: MemorySize,
    pub framework_off_heap: MemorySize,
    pub task_off_heap: MemorySize,
    pub network: MemorySize,
    pub jvm_metaspace: MemorySize,
    pub jvm_overhead: MemorySize,
    pub total_flink: MemorySize,
    pub total_process: MemorySize,
    pub cpu_cores: f64,
    pub slots: i32,
    /// What Flink would log while deriving: sizes capped to their range, deprecated keys, mismatches it tolerates.
    pub notes: Vec<String>,
}

impl TaskManagerMemory {
    /// Framework heap plus task heap: `-Xmx` and `-Xms`.
    pub fn jvm_heap(&self) -> MemorySize {
        MemorySize::from_bytes(self.framework_heap.bytes() + self.task_heap.bytes())
    }

    /// Framework and task off-heap plus network: `-XX:MaxDirectMemorySize`. Managed memory is not direct memory.
    pub fn jvm_direct(&self) -> MemorySize {
        MemorySize::from_bytes(
            self.framework_off_heap.bytes() + self.task_off_heap.bytes() + self.network.bytes(),
        )
    }

    /// `ProcessMemoryUtils.generateJvmParametersStr`.
    pub fn jvm_args(&self) -> String {
        format!(
            "-Xmx{heap} -Xms{heap} -XX:MaxDirectMemorySize={} -XX:MaxMetaspaceSize={}",
            self.jvm_direct().bytes(),
            self.jvm_metaspace.bytes(),
            heap = self.jvm_heap().bytes()
        )
    }

    /// `TaskExecutorProcessUtils.generateDynamicConfigsStr`: the `-D` settings that pin the TaskManager JVM to these
    /// sizes. Flink builds them from a `HashMap`, so their order is that map's iteration order for this fixed key
    /// set, the same on 1.15 to 2.3 (checked against 1.20.3 and 2.3.0).
    pub fn dynamic_configs(&self) -> String {
        let bytes = |size: MemorySize| format!("{}b", size.bytes());
        let settings = [
            (tm::NETWORK_MEMORY_MIN.key, bytes(self.network)),
            (tm::CPU_CORES.key, double_to_string(self.cpu_cores)),
            (tm::TASK_OFF_HEAP_MEMORY.key, bytes(self.task_off_heap)),
            (tm::JVM_METASPACE.key, bytes(self.jvm_metaspace)),
            (
                cluster::EXTERNAL_RESOURCES.key,
                cluster::EXTERNAL_RESOURCES_NONE.to_string(),
            ),
            (tm::JVM_OVERHEAD_MIN.key, bytes(self.jvm_overhead)),
            (
                tm::FRAMEWORK_OFF_HEAP_MEMORY.key,
                bytes(self.framework_off_heap),
            ),
            (tm::NETWORK_MEMORY_MAX.key, bytes(self.network)),
            (tm::FRAMEWORK_HEAP_MEMORY.key, bytes(self.framework_heap)),
            (tm::MANAGED_MEMORY_SIZE.key, bytes(self.managed)),
            (tm::TASK_HEAP_MEMORY.key, bytes(self.task_heap)),
            (tm::NUM_TASK_SLOTS.key, self.slots.to_string()),
            (tm::JVM_OVERHEAD_MAX.key, bytes(self.jvm_overhead)),
        ];
        settings
            .iter()
            .map(|(key, value)| format!("-D {key}={value}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The Flink part of the split, before the JVM parts are added.
struct FlinkPart {
    framework_heap: MemorySize,
    task_heap: MemorySize,
    managed: MemorySize,
    framework_off_heap: MemorySize,
    task_off_heap: MemorySize,
    network: MemorySize,
}

const OPTIONS: ProcessOptions = ProcessOptions {
    required_fine_grained: &[tm::TASK_HEAP_MEMORY, tm::MANAGED_MEMORY_SIZE],
    total_flink: tm::TOTAL_FLINK_MEMORY,
    total_process: tm::TOTAL_PROCESS_MEMORY,
    jvm_metaspace: tm::JVM_METASPACE,
    jvm_overhead_min: tm::JVM_OVERHEAD_MIN,
    jvm_overhead_max: tm::JVM_OVERHEAD_MAX,
    jvm_overhead_fraction: tm::JVM_OVERHEAD_FRACTION,
};

/// `MemoryManager.MIN_PAGE_SIZE`: the smallest memory segment Flink accepts.
const MIN_PAGE_SIZE: u64 = 4096;

struct TaskManagerModel;

impl TaskManagerModel {
    /// 1.x only: the pre-1.10 `taskmanager.network.numberOfBuffers` counts only when no network size option is set.
    fn uses_legacy_network_buffers(d: &Derivation) -> bool {
        d.version.has_legacy_memory_options()
            && d.contains(&tm::NETWORK_NUM_BUFFERS)
            && !d.contains(&tm::NETWORK_MEMORY_MIN)
            && !d.contains(&tm::NETWORK_MEMORY_MAX)
            && !d.contains(&tm::NETWORK_MEMORY_FRACTION)
    }

    /// numberOfBuffers × segment size, with `ConfigurationParserUtils.getPageSize`'s checks on the segment size.
    fn legacy_network_size(d: &mut Derivation) -> Result<MemorySize, MemoryError> {
        let buffers = d.value(&tm::NETWORK_NUM_BUFFERS)?.unwrap_or_default();
        let page_size = d
            .value(&tm::MEMORY_SEGMENT_SIZE)?
            .unwrap_or_default()
            .bytes();
        let invalid = |reason: &str| MemoryError::InvalidParameter {
            key: tm::MEMORY_SEGMENT_SIZE.key,
            value: page_size.to_string(),
            reason: reason.to_string(),
        };
        if page_size < MIN_PAGE_SIZE {
            return Err(invalid("Minimum memory segment size is 4096"));
        }
        if !page_size.is_power_of_two() {
            return Err(invalid("Memory segment size must be a power of 2."));
        }
        let bytes = i64::from(buffers) * page_size as i64;
        u64::try_from(bytes)
            .map(MemorySize::from_bytes)
            .map_err(|_| SizeArithmeticError::Negative.into())
    }

    fn network_range(d: &mut Derivation) -> Result<RangeFraction, MemoryError> {
        let min = d.memory(&tm::NETWORK_MEMORY_MIN)?;
        let max = d.memory(&tm::NETWORK_MEMORY_MAX)?;
        d.range_fraction(min, max, &tm::NETWORK_MEMORY_FRACTION)
    }

    fn managed(d: &mut Derivation, total_flink: MemorySize) -> Result<MemorySize, MemoryError> {
        if d.contains(&tm::MANAGED_MEMORY_SIZE) {
            d.memory(&tm::MANAGED_MEMORY_SIZE)
        } else {
            let range = d.range_fraction(
                MemorySize::ZERO,
                MemorySize::MAX,
                &tm::MANAGED_MEMORY_FRACTION,
            )?;
            d.derive_with_fraction("managed memory", total_flink, range)
        }
    }

    /// Network memory as what an explicit Total Flink Memory leaves after the other parts (framework heap,
    /// framework off-heap, task heap, task off-heap, managed, summed in `without_network`); it must still fit the
    /// network configuration.
    fn network_as_remainder(
        d: &mut Derivation,
        [
            framework_heap,
            framework_off_heap,
            task_heap,
            task_off_heap,
            managed,
        ]: [MemorySize; 5],
        without_network: MemorySize,
        total_flink: MemorySize,
    ) -> Result<MemorySize, MemoryError> {
        if without_network > total_flink {
            return Err(MemoryError::FineGrainedExceedTotalFlink {
                framework_heap,
                framework_off_heap,
                task_heap,
                task_off_heap,
                managed,
                total_flink,
            });
        }
        let network = total_flink.checked_sub(without_network)?;
        Self::check_network_remainder(d, network, total_flink)?;
        Ok(network)
    }

    /// `sanityCheckNetworkMemoryWithExplicitlySetTotalFlinkAndHeapMemory`.
    fn check_network_remainder(
        d: &mut Derivation,
        network: MemorySize,
        total_flink: MemorySize,
    ) -> Result<(), MemoryError> {
        Self::check_network(d, network, total_flink)
            .map_err(|e| MemoryError::NetworkRemainderInconsistent(Box::new(e)))
    }

    fn check_network(
        d: &mut Derivation,
        network: MemorySize,
        total_flink: MemorySize,
    ) -> Result<(), MemoryError> {
        if Self::uses_legacy_network_buffers(d) {
            let configured = Self::legacy_network_size(d)?;
            if configured != network {
                return Err(MemoryError::NetworkNotLegacySize {
                    derived: network,
                    configured,
                });
            }
            return Ok(());
        }
        let range = Self::network_range(d)?;
        if network > range.max || network < range.min {
            return Err(MemoryError::NetworkOutOfRange {
                derived: network,
                min: range.min,
                max: range.max,
            });
        }
        if d.contains(&tm::NETWORK_MEMORY_FRACTION)
            && network != total_flink.multiply(range.fraction)?
        {
            d.note(format!(
                "The derived Network Memory size ({}) does not match the configured Network Memory fraction ({}) \
                 from the configured Total Flink Memory size ({}). The derived Network Memory size will be used.",
                network.human_readable(),
                double_to_string(range.fraction),
                total_flink.human_readable()
            ));
        }
        Ok(())
    }
}

impl FlinkMemoryModel for TaskManagerModel {
    type FlinkMemory = FlinkPart;

    fn options(&self) -> &ProcessOptions {
        &OPTIONS
    }

    fn total_flink(m: &FlinkPart) -> Result<MemorySize, MemoryError> {
        sum(&[
            m.framework_heap,
            m.framework_off_heap,
            m.task_heap,
            m.task_off_heap,
            m.network,
            m.managed,
        ])
    }

    /// Task heap and managed memory both set: network is the inverse fraction of the rest, or the remainder of an
    /// explicit Total Flink Memory.
    fn derive_from_required_fine_grained(
        &self,
        d: &mut Derivation,
    ) -> Result<FlinkPart, MemoryError> {
        let task_heap = d.memory(&tm::TASK_HEAP_MEMORY)?;
        let managed = d.memory(&tm::MANAGED_MEMORY_SIZE)?;
        let framework_heap = d.memory(&tm::FRAMEWORK_HEAP_MEMORY)?;
        let framework_off_heap = d.memory(&tm::FRAMEWORK_OFF_HEAP_MEMORY)?;
        let task_off_heap = d.memory(&tm::TASK_OFF_HEAP_MEMORY)?;
        let parts = [
            framework_heap,
            framework_off_heap,
            task_heap,
            task_off_heap,
            managed,
        ];
        // Summed before Total Flink is read, in Flink's order, so an overflow surfaces first as it does there.
        let without_network = sum(&parts)?;
        let network = if d.contains(&tm::TOTAL_FLINK_MEMORY) {
            let total_flink = d.memory(&tm::TOTAL_FLINK_MEMORY)?;
            Self::network_as_remainder(d, parts, without_network, total_flink)?
        } else if Self::uses_legacy_network_buffers(d) {
            Self::legacy_network_size(d)?
        } else {
            let range = Self::network_range(d)?;
            d.derive_with_inverse_fraction("network memory", without_network, range)?
        };
        Ok(FlinkPart {
            framework_heap,
            task_heap,
            managed,
            framework_off_heap,
            task_off_heap,
            network,
        })
    }

    /// Total Flink Memory known: with task heap set, network is the remainder; otherwise managed and network are
    /// fractions and task heap takes the remainder.
    fn derive_from_total_flink(
        &self,
        d: &mut Derivation,
        total_flink: MemorySize,
    ) -> Result<FlinkPart, MemoryError> {
        let framework_heap = d.memory(&tm::FRAMEWORK_HEAP_MEMORY)?;
        let framework_off_heap = d.memory(&tm::FRAMEWORK_OFF_HEAP_MEMORY)?;
        let task_off_heap = d.memory(&tm::TASK_OFF_HEAP_MEMORY)?;
        if d.contains(&tm::TASK_HEAP_MEMORY) {
            let task_heap = d.memory(&tm::TASK_HEAP_MEMORY)?;
            let managed = Self::managed(d, total_flink)?;
            let parts = [
                framework_heap,
                framework_off_heap,
                task_heap,
                task_off_heap,
                managed,
            ];
            let network = Self::network_as_remainder(d, parts, sum(&parts)?, total_flink)?;
            Ok(FlinkPart {
                framework_heap,
                task_heap,
                managed,
                framework_off_heap,
                task_off_heap,
                network,
            })
        } else {
            let managed = Self::managed(d, total_flink)?;
            let network = if Self::uses_legacy_network_buffers(d) {
                Self::legacy_network_size(d)?
            } else {
                let range = Self::network_range(d)?;
                d.derive_with_fraction("network memory", total_flink, range)?
            };
            let without_task_heap = sum(&[
                framework_heap,
                framework_off_heap,
                task_off_heap,
                managed,
                network,
            ])?;
            if without_task_heap > total_flink {
                return Err(MemoryError::DerivedExceedTotalFlink {
                    framework_heap,
                    framework_off_heap,
                    task_off_heap,
                    managed,
                    network,
                    total_flink,
                });
            }
            let task_heap = total_flink.checked_sub(without_task_heap)?;
            Ok(FlinkPart {
                framework_heap,
                task_heap,
                managed,
                framework_off_heap,
                task_off_heap,
                network,
            })
        }
    }
}

/// Resolves the TaskManager memory of `config` exactly as Flink's `BashJavaUtils GET_TM_RESOURCE_PARAMS` does,
/// including the 1.x legacy heap keys and `FLINK_TM_HEAP` (`legacy_heap_env`).
pub fn taskmanager_memory(
    config: &Configuration,
    version: FlinkVersion,
    legacy_heap_env: Option<&str>,
) -> Result<TaskManagerMemory, MemoryError> {
    let legacy = LegacyHeap {
        target: tm::TOTAL_FLINK_MEMORY,
        heap: tm::LEGACY_HEAP_SIZE,
        heap_mb: tm::LEGACY_HEAP_MB,
        env_value: legacy_heap_env,
    };
    let mut notes = Vec::new();
    let config = map_legacy_heap(config, version, &legacy, &mut notes).map_err(|e| {
        e.in_context("TaskManager failed to map legacy JVM heap option to the new one: ")
    })?;
    let mut d = Derivation::new(&config, version);
    let derived =
        derive(&mut d).map_err(|e| e.in_context("TaskManager memory configuration failed: "))?;
    notes.extend(d.into_notes());
    Ok(TaskManagerMemory { notes, ..derived })
}

fn derive(d: &mut Derivation) -> Result<TaskManagerMemory, MemoryError> {
    let (
        flink,
        JvmMetaspaceAndOverhead {
            metaspace,
            overhead,
        },
    ) = derive_process_memory(&TaskManagerModel, d)?;
    let cpu_cores = match d.value(&tm::CPU_CORES)? {
        Some(cores) => cores,
        None => f64::from(d.value(&tm::NUM_TASK_SLOTS)?.unwrap_or_default()),
    };
    if cpu_cores <= 0.0 {
        return Err(MemoryError::NonPositiveCpuCores {
            key: tm::CPU_CORES.key,
        });
    }
    let slots = d.value(&tm::NUM_TASK_SLOTS)?.unwrap_or_default();
    let total_flink = TaskManagerModel::total_flink(&flink)?;
    let total_process = sum(&[total_flink, metaspace, overhead])?;
    Ok(TaskManagerMemory {
        framework_heap: flink.framework_heap,
        task_heap: flink.task_heap,
        managed: flink.managed,
        framework_off_heap: flink.framework_off_heap,
        task_off_heap: flink.task_off_heap,
        network: flink.network,
        jvm_metaspace: metaspace,
        jvm_overhead: overhead,
        total_flink,
        total_process,
        cpu_cores,
        slots,
        notes: Vec::new(),
    })
}
