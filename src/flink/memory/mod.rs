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

pub use error::{MemoryError, RangeError};
pub use jobmanager::{JobManagerMemory, jobmanager_memory};
pub use taskmanager::{TaskManagerMemory, taskmanager_memory};
