//! Why a plan cannot be made at all (exit status 2). A host type that cannot carry the job is not an error: the
//! report says why it loses.

/// Each message names the flag or field to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "plan needs the job's peak input rate: pass --input-rate N (records/s), set input-rate in the profile, or \
         measure the running job with --from-cluster URL"
    )]
    NoInputRate,

    #[error(
        "plan needs what one parallel instance of the slowest operator processes: pass --slot-throughput N \
         (records/s), set slot-throughput in the profile, or measure the running job with --from-cluster URL"
    )]
    NoSlotThroughput,

    #[error(
        "plan sizes a streaming job by its input rate; the profile runs in batch mode (pass --runtime streaming)"
    )]
    Batch,

    #[error(
        "plan sizes a cluster for one job; a session cluster's size depends on every job it runs (pass --mode \
         application)"
    )]
    Session,

    #[error("--target-utilization must be above 0 and below 1 (e.g. 0.7), not {0}")]
    Utilization(String),

    #[error("{location}: {message}")]
    HostsFile { location: String, message: String },

    #[error("{0} lists no host types; give each one a name with at least cores and memory")]
    NoHostTypes(String),
}
