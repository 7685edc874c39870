//! Everything flinktune knows about Apache Flink itself, keyed by [`FlinkVersion`]: option keys and defaults, value
//! syntax, the configuration file formats, and the memory model. Nothing outside this module spells a Flink key.

pub mod catalogue;
pub mod config;
pub mod duration;
pub mod java_text;
pub mod job_options;
pub mod jvm_options;
pub mod memory;
pub mod memory_size;
pub mod options;
pub mod version;

pub use memory_size::MemorySize;
pub use version::FlinkVersion;
