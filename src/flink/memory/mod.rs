//! Flink's memory model for the TaskManager and the JobManager, computed byte for byte as Flink computes it, with
//! Flink's own error messages. A pure function of a [`Configuration`] and a [`FlinkVersion`]: no I/O.
//!
//! [`Configuration`]: crate::flink::config::Configuration
//! [`FlinkVersion`]: crate::flink::version::FlinkVersion

mod derivation;
#[cfg(test)]
mod derivation_tests;
mod error;
mod jobmanager;
#[cfg(test)]
mod jobmanager_tests;
mod legacy_heap;
mod process;
mod taskmanager;
#[cfg(test)]
mod taskmanager_tests;

pub(crate) use error::MemoryError;
pub(crate) use jobmanager::JobManagerMemory;
pub use jobmanager::jobmanager_memory;
pub(crate) use taskmanager::TaskManagerMemory;
pub use taskmanager::taskmanager_memory;
