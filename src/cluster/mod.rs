//! What flinktune knows about a running Flink cluster and job, as plain data: read from Flink's REST API at the edge
//! (src/rest/), analysed by pure functions (src/cluster/analysis/). Serializable, so snapshots recorded from real
//! clusters can drive the analysis in tests.

pub mod analysis;
pub mod fold;
pub mod report;
pub mod series;
pub mod snapshot;

pub use series::SeriesStats;
pub use snapshot::*;
