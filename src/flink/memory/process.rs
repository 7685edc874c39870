//! The part of Flink's memory model that the TaskManager and the JobManager share (`ProcessMemoryUtils`): which of
//! the three ways the sizes are configured, and the JVM metaspace and overhead around Total Flink Memory.
//!
//! Flink checks, in this order (docs/flink-memory-model.md, "TaskManager derivation"):
//! 1. all required fine-grained sizes set: derive Total Flink from them, then metaspace and overhead around it;
//! 2. else Total Flink set: split it, then metaspace and overhead around it;
//! 3. else Total Process set: overhead as a fraction of it, metaspace, and split the rest as Total Flink;
//! 4. else fail.

use super::derivation::{Derivation, sum};
use super::error::MemoryError;
use crate::flink::memory_size::MemorySize;
use crate::flink::options::ConfigOption;

/// The options one process kind (TaskManager or JobManager) sizes itself with.
pub(super) struct ProcessOptions {
    pub required_fine_grained: &'static [ConfigOption<MemorySize>],
    pub total_flink: ConfigOption<MemorySize>,
    pub total_process: ConfigOption<MemorySize>,
    pub jvm_metaspace: ConfigOption<MemorySize>,
    pub jvm_overhead_min: ConfigOption<MemorySize>,
    pub jvm_overhead_max: ConfigOption<MemorySize>,
    pub jvm_overhead_fraction: ConfigOption<f32>,
}

/// How one process kind splits Total Flink Memory (`FlinkMemoryUtils`).
pub(super) trait FlinkMemoryModel {
    type FlinkMemory;

    fn options(&self) -> &ProcessOptions;
    fn total_flink(memory: &Self::FlinkMemory) -> Result<MemorySize, MemoryError>;
    fn derive_from_required_fine_grained(
        &self,
        d: &mut Derivation,
    ) -> Result<Self::FlinkMemory, MemoryError>;
    fn derive_from_total_flink(
        &self,
        d: &mut Derivation,
        total_flink: MemorySize,
    ) -> Result<Self::FlinkMemory, MemoryError>;
}

/// What lies between Total Flink Memory and Total Process Memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct JvmMetaspaceAndOverhead {
    pub metaspace: MemorySize,
    pub overhead: MemorySize,
}

/// `ProcessMemoryUtils.memoryProcessSpecFromConfig`.
pub(super) fn derive_process_memory<M: FlinkMemoryModel>(
    model: &M,
    d: &mut Derivation,
) -> Result<(M::FlinkMemory, JvmMetaspaceAndOverhead), MemoryError> {
    let options = model.options();
    if options
        .required_fine_grained
        .iter()
        .all(|option| d.contains(option))
    {
        let flink = model.derive_from_required_fine_grained(d)?;
        let jvm = jvm_around_total_flink(options, d, M::total_flink(&flink)?)?;
        Ok((flink, jvm))
    } else if d.contains(&options.total_flink) {
        let total_flink = d.memory(&options.total_flink)?;
        let flink = model.derive_from_total_flink(d, total_flink)?;
        let jvm = jvm_around_total_flink(options, d, total_flink)?;
        Ok((flink, jvm))
    } else if d.contains(&options.total_process) {
        let total_process = d.memory(&options.total_process)?;
        let jvm = jvm_within_total_process(options, d, total_process)?;
        let total_flink = total_process.checked_sub(sum(&[jvm.metaspace, jvm.overhead])?)?;
        let flink = model.derive_from_total_flink(d, total_flink)?;
        Ok((flink, jvm))
    } else {
        Err(MemoryError::NothingConfigured {
            fine_grained: options
                .required_fine_grained
                .iter()
                .map(|o| o.key)
                .collect::<Vec<_>>()
                .join(" and "),
            total_flink: options.total_flink.describe(d.version),
            total_process: options.total_process.describe(d.version),
        })
    }
}

fn overhead_range(
    options: &ProcessOptions,
    d: &mut Derivation,
) -> Result<super::derivation::RangeFraction, MemoryError> {
    let min = d.memory(&options.jvm_overhead_min)?;
    let max = d.memory(&options.jvm_overhead_max)?;
    d.range_fraction(min, max, &options.jvm_overhead_fraction)
}

/// `deriveJvmMetaspaceAndOverheadWithTotalProcessMemory`: overhead is a capped fraction of Total Process.
fn jvm_within_total_process(
    options: &ProcessOptions,
    d: &mut Derivation,
    total_process: MemorySize,
) -> Result<JvmMetaspaceAndOverhead, MemoryError> {
    let metaspace = d.memory(&options.jvm_metaspace)?;
    let range = overhead_range(options, d)?;
    let overhead = d.derive_with_fraction("jvm overhead memory", total_process, range)?;
    if sum(&[metaspace, overhead])? > total_process {
        return Err(MemoryError::MetaspaceAndOverheadExceedProcess {
            metaspace,
            overhead,
            total_process,
        });
    }
    Ok(JvmMetaspaceAndOverhead {
        metaspace,
        overhead,
    })
}

/// `deriveJvmMetaspaceAndOverheadFromTotalFlinkMemory`: with Total Process also set, overhead is what remains and
/// must fit its range; otherwise it is the inverse fraction of Total Flink plus metaspace.
fn jvm_around_total_flink(
    options: &ProcessOptions,
    d: &mut Derivation,
    total_flink: MemorySize,
) -> Result<JvmMetaspaceAndOverhead, MemoryError> {
    let metaspace = d.memory(&options.jvm_metaspace)?;
    let flink_and_metaspace = sum(&[total_flink, metaspace])?;
    if d.contains(&options.total_process) {
        let total_process = d.memory(&options.total_process)?;
        if total_process < flink_and_metaspace {
            return Err(MemoryError::ProcessBelowFlinkAndMetaspace {
                total_process,
                total_flink,
                metaspace,
            });
        }
        let overhead = total_process.checked_sub(flink_and_metaspace)?;
        let range = overhead_range(options, d)?;
        if overhead > range.max || overhead < range.min {
            return Err(MemoryError::OverheadOutOfRange {
                derived: overhead,
                min: range.min,
                max: range.max,
            });
        }
        if d.contains(&options.jvm_overhead_fraction)
            && overhead != total_process.multiply(range.fraction)?
        {
            d.note(format!(
                "The derived JVM Overhead size ({}) does not match the configured JVM Overhead fraction ({}) from \
                 the configured Total Process Memory size ({}). The derived JVM OVerhead size will be used.",
                overhead.human_readable(),
                crate::flink::java_text::double_to_string(range.fraction),
                total_process.human_readable()
            ));
        }
        Ok(JvmMetaspaceAndOverhead {
            metaspace,
            overhead,
        })
    } else {
        let range = overhead_range(options, d)?;
        let overhead =
            d.derive_with_inverse_fraction("jvm overhead memory", flink_and_metaspace, range)?;
        Ok(JvmMetaspaceAndOverhead {
            metaspace,
            overhead,
        })
    }
}
