//! The JobManager memory model (`JobManagerFlinkMemoryUtils`, `JobManagerProcessUtils`; docs/flink-memory-model.md,
//! "JobManager components, derivation and errors"): Total Flink Memory is JVM heap plus off-heap, and the JVM
//! arguments Flink starts the JobManager with.

use super::derivation::{Derivation, sum};
use super::error::MemoryError;
use super::legacy_heap::{LegacyHeap, map_legacy_heap};
use super::process::{
    FlinkMemoryModel, JvmMetaspaceAndOverhead, ProcessOptions, derive_process_memory,
};
use crate::flink::config::Configuration;
use crate::flink::memory_size::MemorySize;
use crate::flink::options::jobmanager as jm;
use crate::flink::version::FlinkVersion;

/// Every JobManager memory component, in bytes, as Flink resolves it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobManagerMemory {
    pub jvm_heap: MemorySize,
    pub off_heap: MemorySize,
    pub jvm_metaspace: MemorySize,
    pub jvm_overhead: MemorySize,
    pub total_flink: MemorySize,
    pub total_process: MemorySize,
    /// `jobmanager.memory.enable-jvm-direct-memory-limit`: whether off-heap becomes `-XX:MaxDirectMemorySize`.
    pub direct_memory_limited: bool,
    pub notes: Vec<String>,
}

impl JobManagerMemory {
    /// `JobManagerProcessUtils.generateJvmParametersStr`.
    pub fn jvm_args(&self) -> String {
        let heap = self.jvm_heap.bytes();
        let direct = if self.direct_memory_limited {
            format!(" -XX:MaxDirectMemorySize={}", self.off_heap.bytes())
        } else {
            String::new()
        };
        format!(
            "-Xmx{heap} -Xms{heap}{direct} -XX:MaxMetaspaceSize={}",
            self.jvm_metaspace.bytes()
        )
    }

    /// `JobManagerProcessUtils.generateDynamicConfigsStr`, in the iteration order of Flink's `HashMap` for these keys.
    pub fn dynamic_configs(&self) -> String {
        let settings = [
            (jm::OFF_HEAP_MEMORY.key, self.off_heap),
            (jm::JVM_OVERHEAD_MIN.key, self.jvm_overhead),
            (jm::JVM_METASPACE.key, self.jvm_metaspace),
            (jm::JVM_HEAP_MEMORY.key, self.jvm_heap),
            (jm::JVM_OVERHEAD_MAX.key, self.jvm_overhead),
        ];
        settings
            .iter()
            .map(|(key, size)| format!("-D {key}={}b", size.bytes()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

struct FlinkPart {
    jvm_heap: MemorySize,
    off_heap: MemorySize,
}

const OPTIONS: ProcessOptions = ProcessOptions {
    required_fine_grained: &[jm::JVM_HEAP_MEMORY],
    total_flink: jm::TOTAL_FLINK_MEMORY,
    total_process: jm::TOTAL_PROCESS_MEMORY,
    jvm_metaspace: jm::JVM_METASPACE,
    jvm_overhead_min: jm::JVM_OVERHEAD_MIN,
    jvm_overhead_max: jm::JVM_OVERHEAD_MAX,
    jvm_overhead_fraction: jm::JVM_OVERHEAD_FRACTION,
};

struct JobManagerModel;

impl JobManagerModel {
    /// Flink only warns below the recommended heap (`sanityCheckJvmHeapMemory`).
    fn warn_if_heap_small(d: &mut Derivation, heap: MemorySize) {
        if heap < jm::RECOMMENDED_MIN_HEAP {
            d.note(format!(
                "The configured or derived JVM heap memory size ({}) is less than its recommended minimum value ({})",
                heap.human_readable(),
                jm::RECOMMENDED_MIN_HEAP.human_readable()
            ));
        }
    }
}

impl FlinkMemoryModel for JobManagerModel {
    type FlinkMemory = FlinkPart;

    fn options(&self) -> &ProcessOptions {
        &OPTIONS
    }

    fn total_flink(m: &FlinkPart) -> Result<MemorySize, MemoryError> {
        sum(&[m.jvm_heap, m.off_heap])
    }

    /// Heap set: off-heap is its option, or what an explicit Total Flink Memory leaves.
    fn derive_from_required_fine_grained(
        &self,
        d: &mut Derivation,
    ) -> Result<FlinkPart, MemoryError> {
        let jvm_heap = d.memory(&jm::JVM_HEAP_MEMORY)?;
        let off_heap = if d.contains(&jm::TOTAL_FLINK_MEMORY) {
            let total_flink = d.memory(&jm::TOTAL_FLINK_MEMORY)?;
            if d.contains(&jm::OFF_HEAP_MEMORY) {
                let off_heap = d.memory(&jm::OFF_HEAP_MEMORY)?;
                if sum(&[jvm_heap, off_heap])? != total_flink {
                    return Err(MemoryError::HeapAndOffHeapMismatchTotalFlink {
                        heap: jvm_heap,
                        off_heap,
                        total_flink,
                    });
                }
                off_heap
            } else {
                if jvm_heap > total_flink {
                    return Err(MemoryError::HeapExceedsTotalFlink {
                        heap: jvm_heap,
                        total_flink,
                    });
                }
                let off_heap = total_flink.checked_sub(jvm_heap)?;
                let default_off_heap = d.memory(&jm::OFF_HEAP_MEMORY)?;
                d.note(format!(
                    "The Off-Heap Memory size ({}) is derived the configured Total Flink Memory size ({}) minus the \
                     configured JVM Heap Memory size ({}). The default Off-Heap Memory size ({}) is ignored.",
                    off_heap.human_readable(),
                    total_flink.human_readable(),
                    jvm_heap.human_readable(),
                    default_off_heap.human_readable()
                ));
                off_heap
            }
        } else {
            d.memory(&jm::OFF_HEAP_MEMORY)?
        };
        Self::warn_if_heap_small(d, jvm_heap);
        Ok(FlinkPart { jvm_heap, off_heap })
    }

    /// Total Flink known: heap is what off-heap leaves.
    fn derive_from_total_flink(
        &self,
        d: &mut Derivation,
        total_flink: MemorySize,
    ) -> Result<FlinkPart, MemoryError> {
        let off_heap = d.memory(&jm::OFF_HEAP_MEMORY)?;
        if total_flink <= off_heap {
            return Err(MemoryError::TotalFlinkBelowOffHeap {
                total_flink,
                off_heap,
            });
        }
        let jvm_heap = total_flink.checked_sub(off_heap)?;
        Self::warn_if_heap_small(d, jvm_heap);
        Ok(FlinkPart { jvm_heap, off_heap })
    }
}

/// Resolves the JobManager memory of `config` exactly as Flink's `BashJavaUtils GET_JM_RESOURCE_PARAMS` does,
/// including the 1.x legacy heap keys and `FLINK_JM_HEAP` (`legacy_heap_env`).
pub fn jobmanager_memory(
    config: &Configuration,
    version: FlinkVersion,
    legacy_heap_env: Option<&str>,
) -> Result<JobManagerMemory, MemoryError> {
    let legacy = LegacyHeap {
        target: jm::JVM_HEAP_MEMORY,
        heap: jm::LEGACY_HEAP_SIZE,
        heap_mb: jm::LEGACY_HEAP_MB,
        env_value: legacy_heap_env,
    };
    let mut notes = Vec::new();
    let derived = map_legacy_heap(config, version, &legacy, &mut notes).and_then(|mapped| {
        let mut d = Derivation::new(&mapped, version);
        let result = derive(&mut d);
        notes.extend(d.into_notes());
        result
    });
    let derived = if version.prefixes_jobmanager_memory_errors() {
        derived.map_err(|e| e.in_context("JobManager memory configuration failed: "))?
    } else {
        derived?
    };
    // Read after the derivation, outside Flink's error context, as `generateJvmParametersStr` does.
    let direct_memory_limited = Derivation::new(config, version)
        .value(&jm::JVM_DIRECT_MEMORY_LIMIT_ENABLED)?
        .unwrap_or_default();
    Ok(JobManagerMemory {
        direct_memory_limited,
        notes,
        ..derived
    })
}

fn derive(d: &mut Derivation) -> Result<JobManagerMemory, MemoryError> {
    let (
        flink,
        JvmMetaspaceAndOverhead {
            metaspace,
            overhead,
        },
    ) = derive_process_memory(&JobManagerModel, d)?;
    let total_flink = JobManagerModel::total_flink(&flink)?;
    let total_process = sum(&[total_flink, metaspace, overhead])?;
    Ok(JobManagerMemory {
        jvm_heap: flink.jvm_heap,
        off_heap: flink.off_heap,
        jvm_metaspace: metaspace,
        jvm_overhead: overhead,
        total_flink,
        total_process,
        direct_memory_limited: false,
        notes: Vec::new(),
    })
}
