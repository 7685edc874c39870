//! The job shapes the outcome bench runs: each a Java main in tests/jobs, the operator whose input rate is the
//! figure, the hints that describe it truly to `flinktune recommend`, and the hand grid an operator would try on a
//! 2-core / 24 GiB host.

use std::fmt;

/// A state backend of the hand grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    HashMap,
    RocksDb,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::HashMap => "hashmap",
            Backend::RocksDb => "rocksdb",
        })
    }
}

/// One point of the hand grid: a single TaskManager with `slots` slots running the job at `parallelism`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GridPoint {
    pub slots: u32,
    pub parallelism: u32,
    pub backend: Backend,
    /// `taskmanager.memory.process.size`, in Flink's size syntax.
    pub process_size: &'static str,
    /// `taskmanager.memory.managed.fraction`: small for the heap backend, whose state lives on the heap.
    pub managed_fraction: f64,
}

impl fmt::Display for GridPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "grid {}x{} {} {}",
            self.slots, self.parallelism, self.backend, self.process_size
        )
    }
}

/// A job shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub name: &'static str,
    /// What the job is, for the report.
    pub about: &'static str,
    /// The Java main class (tests/jobs/CLASS.java).
    pub class: &'static str,
    pub args: Vec<String>,
    /// A substring of the name of the vertex whose summed input rate is the job's rate.
    pub measured: &'static str,
    /// The profile flags that describe the job truly (beyond the host and deployment flags every hinted run gets).
    pub true_hints: Vec<&'static str>,
    /// The hand grid, most promising first (`--quick` runs the first two).
    pub grid: Vec<GridPoint>,
}

/// Flink's own sizing for the grid's heap-backend points that need no big heap.
const SMALL_TM: &str = "4g";

fn point(slots: u32, backend: Backend, process_size: &'static str) -> GridPoint {
    GridPoint {
        slots,
        parallelism: slots,
        backend,
        process_size,
        managed_fraction: match backend {
            // Flink's default 0.4: RocksDB's cache and write buffers.
            Backend::RocksDb => 0.4,
            // The heap backend uses no managed memory in a streaming job: give the heap nearly all of it.
            Backend::HashMap => 0.05,
        },
    }
}

/// Every shape, in the order the full bench runs them.
pub(crate) fn all() -> Vec<Shape> {
    vec![
        Shape {
            name: "small-state",
            about: "SQL datagen (1 subtask, unthrottled) -> keyed COUNT/SUM over 10,000 keys -> blackhole; \
                    about 20 MiB of state, CPU-bound",
            class: "DatagenJob",
            // Far above what one host aggregates: the source is never what limits the job.
            args: vec!["20000000".into()],
            measured: "GroupAggregate",
            true_hints: vec!["--profile", "cpu-bound", "--state-size", "20mb"],
            grid: vec![
                point(2, Backend::HashMap, SMALL_TM),
                point(1, Backend::HashMap, SMALL_TM),
                point(2, Backend::RocksDb, SMALL_TM),
            ],
        },
        Shape {
            name: "big-state",
            about: "sequence (1 subtask) -> keyed process function rewriting 512 random bytes per key over \
                    4,000,000 keys -> discard; about 2 GiB of state (more as heap objects)",
            class: "BigStateJob",
            args: vec!["4000000".into(), "512".into()],
            measured: "StatefulUpdate",
            true_hints: vec!["--workload", "cpu", "--state-size", "2gb"],
            grid: vec![
                point(2, Backend::RocksDb, SMALL_TM),
                point(2, Backend::HashMap, "8g"),
                point(1, Backend::RocksDb, SMALL_TM),
            ],
        },
        Shape {
            name: "slow-lookup",
            about: "sequence (1 subtask) -> rebalance -> map waiting 2 ms per record (a synchronous external \
                    call) -> discard; stateless, IO-bound",
            class: "SlowLookupJob",
            args: vec!["2000".into()],
            measured: "SlowLookup",
            true_hints: vec![
                "--profile",
                "io-bound",
                "--io-wait",
                "99%",
                "--state-size",
                "1mb",
            ],
            grid: vec![
                point(16, Backend::HashMap, "2g"),
                point(8, Backend::HashMap, "2g"),
                point(32, Backend::HashMap, "2g"),
            ],
        },
    ]
}
