//! Flink's memory model for the TaskManager and the JobManager, computed byte for byte as Flink computes it, with
//! Flink's own error messages. A pure function of a [`Configuration`] and a [`FlinkVersion`]: no I/O.
//!
//! [`Configuration`]: crate::flink::config::Configuration
//! [`FlinkVersion`]: crate::flink::version::FlinkVersion

mod derivation;
mod error;
mod jobmanager;
mod legacy_heap;
mod process;
mod taskmanager;

pub(crate) use error::MemoryError;
pub(crate) use jobmanager::JobManagerMemory;
pub use jobmanager::jobmanager_memory;
pub(crate) use taskmanager::TaskManagerMemory;
pub use taskmanager::taskmanager_memory;
