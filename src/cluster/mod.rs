//! What flinktune knows about a running Flink cluster and job, as plain data: read from Flink's REST API at the edge
//! (src/edges/rest/), analysed by pure functions (src/cluster/analysis/). Serializable, so snapshots recorded from real
//! clusters can drive the analysis in tests.

pub(crate) mod analysis;
pub(crate) mod fold;
pub(crate) mod heap_state;
pub(crate) mod report;
pub(crate) mod rocksdb_state;
pub(crate) mod series;
pub(crate) mod snapshot;
pub(crate) mod vertex_advice;

pub use snapshot::*;
