//! One configuration on a real cluster: start it, submit the shape's job, watch it settle (failing early when the
//! job fails or restarts), read every vertex's rates and times, and check that the job is still running without a
//! restart. Each step's failure comes back as a one-line reason for the report; the cluster stops when the trial is
//! dropped, a failed or panicking one included.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::cluster_cpu::{cpu_time, share};
use crate::job::{reason_line, shorten, submit};
use crate::readings::{METRICS, VertexReading, judge, measured_rate, vertex_reading};
use crate::shape::Shape;
use crate::support::cluster::Cluster;

pub(crate) use crate::readings::Measurement;

/// How long a submitted job may take to have every vertex RUNNING (slots, TaskManager start on a loaded host).
const RUNNING_TIMEOUT: Duration = Duration::from_secs(120);
/// How often the settle checks that the job still runs without failures.
const WATCH_EVERY: Duration = Duration::from_secs(5);
/// Flink's JobManager refreshes its metric store at most every 10 s (`metrics.fetcher.update-interval`), counted from
/// its last fetch, which takes a while on a loaded host: readings closer together read the same store. With the 2 s
/// wait after each trigger, triggers come 14 s apart.
const READING_GAP: Duration = Duration::from_secs(12);
/// Readings that repeat the previous one (a refresh that missed a TaskManager) taken again before the judge refuses.
const STALE_RETRIES: u32 = 2;

/// A cluster running the shape's job.
pub(crate) struct Trial<'a> {
    cluster: Cluster,
    job: String,
    shape: &'a Shape,
    running_at: Instant,
    /// The job's `start-time` (ms since the epoch), from which failures are timed.
    job_start_ms: i64,
}

/// Runs `step`, turning a panic of the test support (which asserts) into its message's first line.
pub(crate) fn guarded<T>(what: &str, step: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(step)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "panicked".into());
        format!(
            "{what}: {}",
            shorten(message.lines().next().unwrap_or(""), 200)
        )
    })
}

impl<'a> Trial<'a> {
    /// Starts a cluster of `conf_dir` with `taskmanagers` TaskManagers, submits the shape's job and waits until
    /// every vertex runs.
    pub(crate) fn start(
        home: &Path,
        jar: &Path,
        shape: &'a Shape,
        conf_dir: &Path,
        work: &Path,
        taskmanagers: u32,
    ) -> Result<Trial<'a>, String> {
        let cluster = guarded("cluster did not start", || {
            Cluster::start(home, conf_dir, work, taskmanagers)
        })?;
        guarded("TaskManagers did not register", || {
            cluster.wait_for_taskmanagers(taskmanagers as usize, Duration::from_secs(120))
        })?;
        let job = submit(&cluster, home, jar, shape.class, &shape.args)?;
        let deadline = Instant::now() + RUNNING_TIMEOUT;
        loop {
            let details = get(&cluster, &format!("/jobs/{job}"))?;
            let state = details["state"].as_str().unwrap_or("?").to_string();
            let vertices_running = details["vertices"].as_array().is_some_and(|vertices| {
                vertices.iter().all(|vertex| vertex["status"] == "RUNNING")
            });
            let job_start_ms = details["start-time"].as_i64().unwrap_or(0);
            if state == "RUNNING" && vertices_running {
                return Ok(Trial {
                    cluster,
                    job,
                    shape,
                    running_at: Instant::now(),
                    job_start_ms,
                });
            }
            if matches!(
                state.as_str(),
                "FAILED" | "FAILING" | "RESTARTING" | "CANCELED"
            ) {
                return Err(failure(&cluster, &job, job_start_ms, &state));
            }
            if Instant::now() > deadline {
                // One slot sharing group (these jobs set none): the widest vertex's parallelism in slots.
                let needed = details["vertices"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|vertex| vertex["parallelism"].as_u64())
                    .max()
                    .unwrap_or(0);
                let slots = get(&cluster, "/overview")
                    .map(|overview| overview["slots-total"].to_string())
                    .unwrap_or_else(|error| error);
                return Err(format!(
                    "not running {} s after submission: job {state}, vertices {}; it needs {needed} slots, the \
                     cluster has {slots}",
                    RUNNING_TIMEOUT.as_secs(),
                    nonzero_counts(&details["status-counts"])
                ));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    pub(crate) fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Waits until the job has run for `elapsed`, checking every few seconds that it still runs without failures.
    pub(crate) fn settle(&self, elapsed: Duration) -> Result<(), String> {
        self.settle_watching(elapsed).map_err(|e| self.with_gc(e))
    }

    /// `reason` and, where a TaskManager JVM still runs, its garbage collection so far.
    fn with_gc(&self, reason: String) -> String {
        match taskmanager_gc(self.cluster.log_dir()) {
            Some(gc) => format!("{reason}; {gc}"),
            None => reason,
        }
    }

    fn settle_watching(&self, elapsed: Duration) -> Result<(), String> {
        loop {
            self.healthy()?;
            let Some(left) = elapsed.checked_sub(self.running_at.elapsed()) else {
                return Ok(());
            };
            std::thread::sleep(left.min(WATCH_EVERY));
        }
    }

    /// `readings` readings of every vertex, each from a refreshed metric store, judged into a figure.
    pub(crate) fn measure(&self, readings: u32) -> Result<Measurement, String> {
        self.measure_checked(readings).map_err(|e| self.with_gc(e))
    }

    fn measure_checked(&self, readings: u32) -> Result<Measurement, String> {
        let mut all: Vec<Vec<VertexReading>> = Vec::new();
        let mut cpu_loads = Vec::new();
        let pids = self.cluster.pids();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let mut cpu_before = cpu_time(&pids);
        let mut stale = 0;
        while all.len() < readings as usize {
            if !all.is_empty() || stale > 0 {
                std::thread::sleep(READING_GAP);
            }
            // The request that triggers the refresh is answered from the old store: trigger, wait, then read.
            let _ = self.cluster.try_get("/jobmanager/metrics");
            std::thread::sleep(flinktune::rest::collect::METRIC_FETCH_WAIT);
            self.healthy()?;
            let reading = self.reading()?;
            let rate = |reading: &[VertexReading]| measured_rate(reading, self.shape.measured);
            // A refresh that missed a TaskManager leaves its old values: read again once or twice before the judge
            // refuses the same value twice.
            if stale < STALE_RETRIES
                && all
                    .last()
                    .is_some_and(|last| rate(last).is_some() && rate(last) == rate(&reading))
            {
                stale += 1;
                eprintln!(
                    "  reading {} repeats the previous one (stale metric store): read again",
                    all.len() + 1
                );
                continue;
            }
            all.push(reading);
            // The cluster's share of the cores since the last reading; the TaskManager's own load where /proc
            // cannot tell.
            let cpu_now = cpu_time(&pids);
            let cluster = cpu_before
                .zip(cpu_now)
                .and_then(|(before, now)| share(before, now, cores));
            cpu_before = cpu_now;
            cpu_loads.push(cluster.or_else(|| self.cpu_load()));
        }
        let measurement = judge(&all, &cpu_loads, self.shape.measured)?;
        self.healthy()?;
        let restarts = get(
            &self.cluster,
            &format!("/jobs/{}/metrics?get=numRestarts", self.job),
        )?;
        let restarts = restarts[0]["value"]
            .as_str()
            .and_then(|value| value.parse::<f64>().ok())
            .ok_or_else(|| format!("no numRestarts metric: {restarts}"))?;
        if restarts != 0.0 {
            return Err(format!("the job restarted {restarts} times"));
        }
        Ok(measurement)
    }

    /// Checkpoints completed and failed so far, e.g. "2 ok, 1 failed", or "none".
    pub(crate) fn checkpoints(&self) -> String {
        match get(&self.cluster, &format!("/jobs/{}/checkpoints", self.job)) {
            Ok(answer) => {
                let counts = &answer["counts"];
                let (completed, failed) = (
                    counts["completed"].as_u64().unwrap_or(0),
                    counts["failed"].as_u64().unwrap_or(0),
                );
                if completed + failed == 0 {
                    "none taken".into()
                } else {
                    format!("{completed} ok, {failed} failed")
                }
            }
            Err(error) => error,
        }
    }

    /// Slots per TaskManager as registered.
    pub(crate) fn slots(&self) -> Vec<u64> {
        get(&self.cluster, "/taskmanagers")
            .map(|answer| {
                answer["taskmanagers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|tm| tm["slotsNumber"].as_u64())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every vertex's metrics now.
    fn reading(&self) -> Result<Vec<VertexReading>, String> {
        let details = get(&self.cluster, &format!("/jobs/{}", self.job))?;
        let vertices = details["vertices"]
            .as_array()
            .ok_or_else(|| format!("job details without vertices: {details}"))?;
        let mut reading = Vec::new();
        for vertex in vertices {
            let (Some(id), Some(name)) = (vertex["id"].as_str(), vertex["name"].as_str()) else {
                return Err(format!("vertex without id or name: {vertex}"));
            };
            let answer = get(
                &self.cluster,
                &format!(
                    "/jobs/{}/vertices/{id}/subtasks/metrics?get={}",
                    self.job,
                    METRICS.join(",")
                ),
            )?;
            let parallelism = vertex["parallelism"].as_u64().unwrap_or(0);
            reading.push(vertex_reading(name, parallelism, &answer)?);
        }
        Ok(reading)
    }

    /// The busiest TaskManager's `Status.JVM.CPU.Load` (its JVM's share of the cores it sees), if reported.
    fn cpu_load(&self) -> Option<f64> {
        let answer = get(
            &self.cluster,
            "/taskmanagers/metrics?get=Status.JVM.CPU.Load&agg=max",
        )
        .ok()?;
        answer[0]["max"].as_f64().filter(|load| load.is_finite())
    }

    /// Ok while the job is RUNNING and has recorded no failure; else what happened.
    fn healthy(&self) -> Result<(), String> {
        let details = get(&self.cluster, &format!("/jobs/{}", self.job))?;
        let state = details["state"].as_str().unwrap_or("?");
        let exceptions = get(&self.cluster, &format!("/jobs/{}/exceptions", self.job))?;
        let failures = exceptions["exceptionHistory"]["entries"]
            .as_array()
            .map_or(0, Vec::len);
        if state == "RUNNING" && failures == 0 {
            Ok(())
        } else {
            Err(failure(&self.cluster, &self.job, self.job_start_ms, state))
        }
    }
}

/// `{"CREATED": 2, "RUNNING": 0}` as "2 CREATED".
fn nonzero_counts(counts: &serde_json::Value) -> String {
    counts
        .as_object()
        .map(|counts| {
            counts
                .iter()
                .filter_map(|(status, n)| {
                    n.as_u64()
                        .filter(|n| *n > 0)
                        .map(|n| format!("{n} {status}"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| counts.to_string())
}

/// What became of a job that is not running cleanly: its state, when its first failure came (from the job's start)
/// and the cause, with an OutOfMemoryError from the TaskManager logs where the job's exception does not name it.
fn failure(cluster: &Cluster, job: &str, job_start_ms: i64, state: &str) -> String {
    let exceptions = get(cluster, &format!("/jobs/{job}/exceptions")).unwrap_or_default();
    let entries: Vec<&serde_json::Value> = exceptions["exceptionHistory"]["entries"]
        .as_array()
        .map(|entries| entries.iter().collect())
        .unwrap_or_default();
    let first = entries
        .iter()
        .min_by_key(|entry| entry["timestamp"].as_i64().unwrap_or(i64::MAX));
    let mut cause = first.map_or_else(
        || "no exception recorded".to_string(),
        |entry| {
            let trace = entry["stacktrace"].as_str().unwrap_or("");
            let reason = reason_line(trace);
            let after = entry["timestamp"].as_i64().unwrap_or(job_start_ms) - job_start_ms;
            format!("after {} s: {reason}", after / 1000)
        },
    );
    if !cause.contains("OutOfMemoryError")
        && let Some(oom) = logged_out_of_memory(cluster.log_dir())
    {
        cause.push_str(&format!(" (TaskManager log: {oom})"));
    }
    let label = if state == "RUNNING" || state == "RESTARTING" {
        format!("restarted ({} failures)", entries.len())
    } else {
        state.to_string()
    };
    format!("{label} {cause}")
}

/// The first OutOfMemoryError line in the cluster's logs.
fn logged_out_of_memory(log_dir: &Path) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(log_dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    files.iter().find_map(|file| {
        let text = std::fs::read_to_string(file).ok()?;
        text.lines()
            .find(|line| line.contains("OutOfMemoryError"))
            .map(|line| shorten(line.trim(), 160))
    })
}

/// The garbage collection of the cluster's TaskManager JVMs so far, by the JDK's `jstat -gcutil` (it reads the JVM's
/// performance counters, so it answers while the JVM is stuck collecting and Flink's metrics are not): e.g.
/// "TaskManager GC: old gen 99.8% full, 31 full GCs, 52.0 s collecting".
fn taskmanager_gc(log_dir: &Path) -> Option<String> {
    let needle = log_dir.display().to_string();
    let pids: Vec<String> = std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|pid| pid.chars().all(|c| c.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
                let cmdline = String::from_utf8_lossy(&cmdline);
                cmdline.contains(&needle) && cmdline.contains("TaskManagerRunner")
            })
        })
        .collect();
    let summaries: Vec<String> = pids
        .iter()
        .filter_map(|pid| {
            let output = std::process::Command::new("jstat")
                .args(["-gcutil", pid])
                .output()
                .ok()?;
            let text = String::from_utf8_lossy(&output.stdout);
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next()?.split_whitespace().collect();
            let values: Vec<&str> = lines.next()?.split_whitespace().collect();
            let column = |name: &str| {
                header
                    .iter()
                    .position(|column| *column == name)
                    .and_then(|index| values.get(index).copied())
                    .unwrap_or("?")
            };
            Some(format!(
                "old gen {}% full, {} full GCs, {} s collecting",
                column("O"),
                column("FGC"),
                column("GCT")
            ))
        })
        .collect();
    (!summaries.is_empty()).then(|| format!("TaskManager GC: {}", summaries.join("; ")))
}

/// `GET path` as JSON, or why not.
fn get(cluster: &Cluster, path: &str) -> Result<serde_json::Value, String> {
    match cluster.try_get(path) {
        Ok((200, body)) => {
            serde_json::from_str(&body).map_err(|e| format!("GET {path}: {e}: {body}"))
        }
        Ok((status, body)) => Err(format!(
            "GET {path}: HTTP {status}: {}",
            shorten(&body, 200)
        )),
        Err(error) => Err(format!("GET {path}: {error}")),
    }
}
