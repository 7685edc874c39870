//! Everything flinktune knows about Apache Flink itself, keyed by [`FlinkVersion`]: option keys and defaults, value
//! syntax, the configuration file formats, and the memory model. Nothing outside this module spells a Flink key.

pub(crate) mod catalogue;
pub(crate) mod config;
pub(crate) mod distribution;
pub(crate) mod duration;
pub(crate) mod java_text;
pub(crate) mod job_options;
pub(crate) mod jvm_options;
pub(crate) mod kafka;
pub(crate) mod memory;
pub(crate) mod memory_size;
pub(crate) mod options;
pub(crate) mod version;

pub use memory_size::MemorySize;
pub use version::FlinkVersion;
