//! Takes a [`ClusterSnapshot`] of one running job: the cluster and the job graph once, the metric names once, then
//! `samples` samples of the metrics, `interval` apart. Each sample costs exactly one request per vertex (all its
//! metrics in one aggregated call) plus one for the TaskManagers and one that asks Flink to refresh its metric store
//! first, so a 200-vertex job does not flood the JobManager's four REST threads.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::metric_names;
use super::parse::{self, JobSummary, ParseError};
use super::{RestClient, RestError};
use crate::cluster::{ClusterSnapshot, JobGraph, Sample, VertexMetrics};
use crate::flink::job_options::state;
use crate::text::escape::{cut_list, one_line};

/// Flink refreshes the metrics the REST API serves every 10 s (`metrics.fetcher.update-interval`); samples closer
/// together repeat the same values. The caller should not ask for a shorter interval.
pub(crate) const METRIC_REFRESH: Duration = Duration::from_secs(10);
/// The JobManager serves metrics from a store that a metrics request refreshes only in the background, and only when
/// the last refresh is over `metrics.fetcher.update-interval` old: the request that triggers it still gets the old
/// values, however old (`MetricFetcherImpl.update`; a first read 70 s after a job started showed the source's
/// numbers from its first second). So each sample first sends one metrics request, waits this long for the fetch
/// from the TaskManagers to land, then reads.
pub const METRIC_FETCH_WAIT: Duration = Duration::from_secs(2);

/// The window of Flink's per-second rates (`MeterView`'s default time span, docs/flink-rest-and-metrics.md): its
/// history of counts starts at zero, so in a task's first minute a rate is the count over the whole 60 s, too low by
/// the share of the minute not yet run (a trial read 10 s after its start shows a sixth of its rate).
pub(crate) const RATE_WINDOW: Duration = Duration::from_secs(60);

/// How long to wait before the first sample so that the rates cover a full [`RATE_WINDOW`] of running, for a job
/// that has run `running_for_ms` (unknown: no wait).
pub(crate) fn rate_warm_up(running_for_ms: Option<u64>) -> Duration {
    running_for_ms.map_or(Duration::ZERO, |ms| {
        RATE_WINDOW.saturating_sub(Duration::from_millis(ms))
    })
}

/// How many samples, how far apart, and how long to let Flink's metric store refresh before each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sampling {
    pub samples: u32,
    pub interval: Duration,
    pub fetch_wait: Duration,
}

impl Sampling {
    pub fn new(samples: u32, interval: Duration) -> Self {
        Sampling {
            samples,
            interval,
            fetch_wait: METRIC_FETCH_WAIT,
        }
    }
}
/// Requests made once whatever the job: the job list, overview, TaskManagers, job details, checkpoints, checkpoint
/// configuration, job configuration, the TaskManager metric listing, and the job details again after the last sample
/// (to see whether the job restarted meanwhile). A job that had run under a minute costs one more read of its details,
/// after the wait for its rates.
pub const CONSTANT_REQUESTS: u64 = 9;
/// Requests per sample besides one per vertex: the request that refreshes the metric store and the TaskManager
/// metrics.
pub const SAMPLE_CONSTANT_REQUESTS: u64 = 2;
/// A metrics request that makes the JobManager refresh its metric store (any metrics handler does; this one's answer
/// is small).
const REFRESH_PATH: &str = "/jobmanager/metrics";
/// The JobManager's metric store fills lazily: an empty listing is asked again this many times...
pub(crate) const LISTING_RETRIES: u32 = 3;
/// ...this far apart.
pub(crate) const LISTING_RETRY_DELAY: Duration = Duration::from_secs(2);

/// What [`collect`] reports while it samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// This many samples are taken.
    Sampled(u32),
    /// Waiting for Flink's metrics to refresh; the next sample comes in this long (reported about every second).
    Waiting(Duration),
    /// The job started (or restarted) under a minute ago: its rates cover the whole [`RATE_WINDOW`] in this long,
    /// and the first sample comes then (reported about every second).
    RatesFilling(Duration),
}

/// Reads the job `job` (or the only running one), then `samples` samples `interval` apart; `progress` hears each
/// sample taken and the wait for the next. Without faults it sends exactly
/// `CONSTANT_REQUESTS + sources + samples * (V + SAMPLE_CONSTANT_REQUESTS)` requests for a job of V vertices (a task
/// without one of the standard metrics costs its listing and the first sample once more).
pub fn collect(
    client: &RestClient,
    job: Option<&str>,
    sampling: Sampling,
    mut progress: impl FnMut(Progress),
) -> Result<ClusterSnapshot, RestError> {
    let jobs_path = "/jobs/overview".to_string();
    let jobs = parse::jobs_overview(&client.get(&jobs_path)?).map_err(|e| shape(&jobs_path, e))?;
    let job = resolve_job(&jobs, job)?;
    let jid = encode(&job.id);

    let fixed = [
        "/overview".to_string(),
        "/taskmanagers".to_string(),
        format!("/jobs/{jid}"),
        format!("/jobs/{jid}/checkpoints"),
        format!("/jobs/{jid}/checkpoints/config"),
        format!("/jobs/{jid}/jobmanager/config"),
        "/taskmanagers/metrics".to_string(),
    ];
    let mut answers = client.get_many(&fixed).into_iter();
    let mut next = || answers.next().unwrap_or(Ok(Value::Null));
    let (overview, taskmanagers, details) = (next()?, next()?, next()?);
    // Not found: checkpointing is disabled (Flink answers 404 then), or the endpoint is older than the job.
    let checkpoints = not_found_as_none(next())?;
    let checkpoint_config = not_found_as_none(next())?;
    let configuration = match not_found_as_none(next())? {
        Some(value) => value,
        // `/jobs/:jid/jobmanager/config` is newer than some supported releases: use the cluster's.
        None => client.get("/jobmanager/config")?,
    };
    let tm_listing = next()?;

    let overview = parse::overview(&overview).map_err(|e| shape(&fixed[0], e))?;
    let taskmanagers = parse::taskmanagers(&taskmanagers).map_err(|e| shape(&fixed[1], e))?;
    let mut graph = parse::job_graph(&details).map_err(|e| shape(&fixed[2], e))?;
    let checkpoints = match &checkpoints {
        Some(stats) => parse::checkpoints(stats, checkpoint_config.as_ref())
            .map_err(|e| shape(&fixed[3], e))?,
        None => Default::default(),
    };
    let configuration = parse::configuration(&configuration).map_err(|e| shape(&fixed[5], e))?;
    let tm_names = parse::metric_names(&tm_listing).map_err(|e| shape(&fixed[6], e))?;
    let tm_request = metric_names::taskmanager_request(&tm_names);

    let vertex_ids: Vec<String> = graph.vertices.iter().map(|v| v.id.clone()).collect();
    // Only sources need their metric names listed (source output rates, pending records and Kafka partitions are
    // named after the operator); every other task has Flink's standard task metrics, so asking for them directly
    // saves a round trip per vertex.
    let sources: Vec<String> = vertex_ids
        .iter()
        .filter(|vid| !graph.edges.iter().any(|edge| &edge.to == *vid))
        .cloned()
        .collect();
    let source_listings = discover(client, &jid, &sources)?;
    let standard: Vec<String> = metric_names::TASK_METRICS
        .iter()
        .map(|name| name.to_string())
        .collect();
    let listings: Vec<Vec<String>> = vertex_ids
        .iter()
        .map(|vid| {
            sources
                .iter()
                .position(|source| source == vid)
                .and_then(|index| source_listings.get(index).cloned())
                .unwrap_or_else(|| standard.clone())
        })
        .collect();
    for (vertex, names) in graph.vertices.iter_mut().zip(&listings) {
        vertex.source_partitions = metric_names::source_partitions(names);
    }
    let metrics_path = |vid: &str, names: &[String]| {
        let wanted = metric_names::vertex_request(names);
        (!wanted.is_empty()).then(|| {
            format!(
                "/jobs/{jid}/vertices/{}/subtasks/metrics?get={}",
                encode(vid),
                encode_list(&wanted)
            )
        })
    };
    let mut vertex_paths: Vec<Option<String>> = vertex_ids
        .iter()
        .zip(&listings)
        .map(|(vid, names)| metrics_path(vid, names))
        .collect();
    let tm_path = (!tm_request.is_empty()).then(|| {
        format!(
            "/taskmanagers/metrics?get={}&agg=min,max,avg",
            encode_list(&tm_request)
        )
    });

    let Sampling {
        samples,
        interval,
        fetch_wait,
    } = sampling;
    let warm_up = rate_warm_up(graph.running_for_ms);
    let details_path = &fixed[2];
    let mut running_since = graph.running_since;
    if !warm_up.is_zero() {
        wait(warm_up, &mut progress, Progress::RatesFilling);
        // It may have failed and restarted while its rates filled (the minute counts from the new start), or
        // failed for good (nothing left to measure).
        let now = still_running(client, details_path)?;
        running_since = now.running_since;
        wait(
            rate_warm_up(now.running_for_ms),
            &mut progress,
            Progress::RatesFilling,
        );
    }
    // A job with RocksDB's size gauges on has them named after its stateful operators and column families, so its
    // other vertices are listed too, once the job has run a while; src/cluster/rocksdb_state.rs reads the state from
    // them. The JobManager's metric store lists what it last fetched, and a metrics request only starts a fetch in
    // the background: refreshed and waited for first, as before each sample (a listing from the job's first seconds,
    // before its state backend registered the gauges, once lost them all).
    if rocksdb_sizes_on(&configuration) {
        client.get(REFRESH_PATH)?;
        std::thread::sleep(fetch_wait);
        let stateful: Vec<String> = vertex_ids
            .iter()
            .filter(|vid| !sources.contains(vid))
            .cloned()
            .collect();
        for (vid, mut names) in stateful.iter().zip(discover(client, &jid, &stateful)?) {
            if let Some(position) = vertex_ids.iter().position(|v| v == vid) {
                names.extend(standard.iter().cloned());
                vertex_paths[position] = metrics_path(vid, &names);
            }
        }
    }
    // Grown as samples arrive, never reserved from the count: the count is the user's, the memory ours.
    let mut taken = Vec::new();
    for index in 0..samples {
        if index > 0 {
            wait(interval, &mut progress, Progress::Waiting);
        }
        client.get(REFRESH_PATH)?;
        std::thread::sleep(fetch_wait);
        let (mut taken_now, mut empty) =
            sample(client, &vertex_ids, &vertex_paths, tm_path.as_deref())?;
        // Flink answers `[]` when one asked-for metric is missing. A task that was assumed to have the standard
        // metrics but did not is listed after all (once), and the sample taken again.
        empty.retain(|&i| vertex_ids.get(i).is_some_and(|vid| !sources.contains(vid)));
        if index == 0 && !empty.is_empty() {
            let unlisted: Vec<String> = empty
                .iter()
                .filter_map(|&i| vertex_ids.get(i).cloned())
                .collect();
            for (vid, names) in unlisted.iter().zip(discover(client, &jid, &unlisted)?) {
                if let Some(position) = vertex_ids.iter().position(|v| v == vid) {
                    vertex_paths[position] = metrics_path(vid, &names);
                }
            }
            (taken_now, _) = sample(client, &vertex_ids, &vertex_paths, tm_path.as_deref())?;
        }
        taken.push(taken_now);
        progress(Progress::Sampled(index + 1));
    }
    let after = still_running(client, details_path)?;

    Ok(ClusterSnapshot {
        flink_version: overview.flink_version,
        slots_total: overview.slots_total,
        slots_available: overview.slots_available,
        taskmanagers,
        job: graph,
        samples: taken,
        checkpoints,
        configuration,
        restarted_while_sampled: after.running_since != running_since,
    })
}

/// The job's details read again; an error if it is no longer RUNNING (it failed, finished or was cancelled while
/// flinktune waited or sampled: its metrics describe no job at work).
fn still_running(client: &RestClient, details_path: &str) -> Result<JobGraph, RestError> {
    let graph = parse::job_graph(&client.get(details_path)?).map_err(|e| shape(details_path, e))?;
    if graph.state != "RUNNING" {
        return Err(RestError::JobNotRunning {
            id: graph.id,
            state: graph.state,
        });
    }
    Ok(graph)
}

/// Sleeps `interval`, telling `progress` what is left (as `report` says it) about once a second.
fn wait(interval: Duration, progress: &mut impl FnMut(Progress), report: fn(Duration) -> Progress) {
    let deadline = Instant::now() + interval;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        progress(report(left));
        std::thread::sleep(left.min(Duration::from_secs(1)));
    }
}

/// The job asked for, or the only running one.
/// Jobs named in a "which job?" error; the rest are counted.
const JOBS_LISTED: usize = 10;

pub(crate) fn resolve_job(
    jobs: &[JobSummary],
    wanted: Option<&str>,
) -> Result<JobSummary, RestError> {
    let list = |jobs: &[&JobSummary]| {
        if jobs.is_empty() {
            return "none".to_string();
        }
        // Names come from the server: escaped, and the list cut (60,000 jobs made one 3 MB line).
        cut_list(
            jobs.iter().map(|job| {
                one_line(&format!("{} {} {}", job.id, job.name, job.state)).into_owned()
            }),
            JOBS_LISTED,
            "; ",
        )
    };
    let all: Vec<&JobSummary> = jobs.iter().collect();
    if let Some(id) = wanted {
        let job = jobs
            .iter()
            .find(|job| job.id == id)
            .ok_or_else(|| RestError::JobNotFound {
                id: id.to_string(),
                jobs: list(&all),
            })?;
        if job.state != "RUNNING" {
            return Err(RestError::JobNotRunning {
                id: job.id.clone(),
                state: job.state.clone(),
            });
        }
        return Ok(job.clone());
    }
    let running: Vec<&JobSummary> = jobs.iter().filter(|job| job.state == "RUNNING").collect();
    match running.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(RestError::NoRunningJob { jobs: list(&all) }),
        several => Err(RestError::SeveralRunningJobs {
            jobs: list(several),
        }),
    }
}

/// Does the job turn on one of RocksDB's size gauges (any spelling of the value `true`, as Flink reads booleans)?
fn rocksdb_sizes_on(configuration: &BTreeMap<String, String>) -> bool {
    [
        state::ROCKSDB_METRIC_LIVE_DATA,
        state::ROCKSDB_METRIC_SST_FILES,
        state::ROCKSDB_METRIC_MEMTABLES,
    ]
    .iter()
    .flat_map(|key| key.all_spellings())
    .filter_map(|key| configuration.get(key))
    .any(|value| value.trim().eq_ignore_ascii_case("true"))
}

/// Each vertex's metric names, asking again (a few times, a little apart) for listings that come back empty.
fn discover(
    client: &RestClient,
    jid: &str,
    vertex_ids: &[String],
) -> Result<Vec<Vec<String>>, RestError> {
    let paths: Vec<String> = vertex_ids
        .iter()
        .map(|vid| format!("/jobs/{jid}/vertices/{}/subtasks/metrics", encode(vid)))
        .collect();
    let mut listings = vec![Vec::new(); paths.len()];
    let mut pending: Vec<usize> = (0..paths.len()).collect();
    for round in 0..=LISTING_RETRIES {
        if pending.is_empty() {
            break;
        }
        if round > 0 {
            std::thread::sleep(LISTING_RETRY_DELAY);
        }
        let asked: Vec<String> = pending
            .iter()
            .filter_map(|&i| paths.get(i).cloned())
            .collect();
        let answers = client.get_many(&asked);
        let mut still_empty = Vec::new();
        for ((index, path), answer) in pending.iter().zip(&asked).zip(answers) {
            let names = parse::metric_names(&answer?).map_err(|e| shape(path, e))?;
            if names.is_empty() {
                still_empty.push(*index);
            } else if let Some(slot) = listings.get_mut(*index) {
                *slot = names;
            }
        }
        pending = still_empty;
    }
    Ok(listings)
}

/// One sample, and the indexes of the vertices whose request Flink answered with `[]`.
fn sample(
    client: &RestClient,
    vertex_ids: &[String],
    vertex_paths: &[Option<String>],
    tm_path: Option<&str>,
) -> Result<(Sample, Vec<usize>), RestError> {
    let at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut paths: Vec<String> = vertex_paths.iter().flatten().cloned().collect();
    paths.extend(tm_path.map(str::to_string));
    let mut answers = paths.iter().zip(client.get_many(&paths));
    let mut vertices = BTreeMap::new();
    let mut empty = Vec::new();
    for (index, (vid, path)) in vertex_ids.iter().zip(vertex_paths).enumerate() {
        let metrics = match path {
            Some(_) => match answers.next() {
                Some((path, answer)) => {
                    let aggregates = parse::aggregates(&answer?).map_err(|e| shape(path, e))?;
                    if aggregates.is_empty() {
                        empty.push(index);
                    }
                    parse::vertex_metrics(&aggregates)
                }
                None => VertexMetrics::default(),
            },
            None => VertexMetrics::default(),
        };
        vertices.insert(vid.clone(), metrics);
    }
    let taskmanagers = match answers.next() {
        Some((path, answer)) => {
            parse::taskmanager_metrics(&parse::aggregates(&answer?).map_err(|e| shape(path, e))?)
        }
        None => Default::default(),
    };
    Ok((
        Sample {
            at,
            vertices,
            taskmanagers,
        },
        empty,
    ))
}

fn not_found_as_none(answer: Result<Value, RestError>) -> Result<Option<Value>, RestError> {
    match answer {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.status() == Some(404) => Ok(None),
        Err(error) => Err(error),
    }
}

fn shape(path: &str, error: ParseError) -> RestError {
    RestError::Shape {
        path: path.to_string(),
        reason: error.0,
    }
}

/// Everything but RFC 3986's unreserved characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`) is encoded: metric names hold
/// `[`, `]`, spaces and more.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query value.
pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// A `get=` list: names encoded, joined by literal commas (Flink splits on them).
fn encode_list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| encode(name))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, state: &str) -> JobSummary {
        JobSummary {
            id: id.into(),
            name: format!("name-{id}"),
            state: state.into(),
        }
    }

    #[test]
    fn sampling_waits_until_the_rates_cover_a_minute_of_running() {
        assert_eq!(rate_warm_up(Some(10_000)), Duration::from_secs(50));
        assert_eq!(rate_warm_up(Some(59_500)), Duration::from_millis(500));
        assert_eq!(rate_warm_up(Some(60_000)), Duration::ZERO);
        assert_eq!(rate_warm_up(Some(3_600_000)), Duration::ZERO);
        assert_eq!(rate_warm_up(None), Duration::ZERO, "unknown: no wait");
    }

    #[test]
    fn the_only_running_job_is_chosen() {
        let jobs = [job("a", "FINISHED"), job("b", "RUNNING")];
        assert_eq!(resolve_job(&jobs, None).unwrap().id, "b");
        assert_eq!(resolve_job(&jobs, Some("b")).unwrap().id, "b");
    }

    #[test]
    fn several_or_none_or_unknown_are_errors_that_list_the_jobs() {
        let jobs = [
            job("a", "RUNNING"),
            job("b", "RUNNING"),
            job("c", "CANCELED"),
        ];
        let several = resolve_job(&jobs, None).unwrap_err().to_string();
        assert!(
            several.contains("a name-a RUNNING; b name-b RUNNING"),
            "{several}"
        );
        assert!(several.contains("--job"), "{several}");
        let none = resolve_job(&[job("c", "CANCELED")], None)
            .unwrap_err()
            .to_string();
        assert!(none.contains("c name-c CANCELED"), "{none}");
        let unknown = resolve_job(&jobs, Some("z")).unwrap_err().to_string();
        assert!(
            unknown.contains("job z is not on this cluster"),
            "{unknown}"
        );
        let finished = resolve_job(&jobs, Some("c")).unwrap_err().to_string();
        assert!(finished.contains("CANCELED"), "{finished}");
    }

    #[test]
    fn encoding_keeps_names_readable_for_flink() {
        assert_eq!(
            encode("Source__src[1].numRecordsOutPerSecond"),
            "Source__src%5B1%5D.numRecordsOutPerSecond"
        );
        assert_eq!(encode_list(&["a b".into(), "c".into()]), "a%20b,c");
    }
}
