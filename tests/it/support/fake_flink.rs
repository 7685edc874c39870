//! A fake Flink REST server for the collector's tests: plain HTTP/1.1 on 127.0.0.1, a thread per connection, canned
//! JSON in the shapes of Flink 2.3 for a job of any number of vertices (a chain: one Kafka source, then operators
//! joined by HASH edges), and knobs for latency and faults (500s, a path that never answers, truncated JSON, a body
//! that trickles, an oversized body, several running jobs, "NaN" percentiles, `[]` metric answers).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub(crate) const JOB_ID: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

#[derive(Debug, Clone)]
pub(crate) enum Fault {
    /// Answer 500 this many times, then normally.
    Status500 { times: u32 },
    /// Read the request and never answer.
    Hang,
    /// A JSON body cut in the middle (with a matching Content-Length).
    Truncated,
    /// The body one byte at a time, this far apart.
    SlowBody { per_byte: Duration },
    /// A valid JSON body of this many bytes.
    Oversized { bytes: usize },
    /// `301 Moved Permanently` to this location, as Flink's REST endpoint with SSL on answers plain HTTP.
    Redirect { location: String },
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    pub(crate) vertices: usize,
    pub(crate) latency: Duration,
    /// Faults by path (without the query).
    pub(crate) faults: BTreeMap<String, Fault>,
    /// Extra RUNNING jobs besides [`JOB_ID`].
    pub(crate) extra_running_jobs: usize,
    /// Checkpoint summaries with "NaN" percentiles and no completed checkpoint.
    pub(crate) no_checkpoint_yet: bool,
    /// Vertex indexes whose aggregated metrics answer `[]`.
    pub(crate) empty_metrics_for: BTreeSet<usize>,
    /// Non-source vertex indexes without `checkpointAlignmentTime`, so that asking for it answers `[]`.
    pub(crate) without_alignment_metric: BTreeSet<usize>,
    /// The job's and every vertex's name carry terminal escapes (a recolouring SGR, a title change, a bell), as a
    /// hostile job submitter could name them.
    pub(crate) hostile_names: bool,
    /// How long ago, in ms, the job switched to RUNNING by its details' `now` and `timestamps.RUNNING`; `None`:
    /// long ago (1,000 s), so that its rates cover a full minute and sampling starts at once.
    pub(crate) started_ms_ago: Option<u64>,
    /// The job fails and is RUNNING again this many ms after the server starts (its `timestamps.RUNNING` moves).
    pub(crate) restarts_after_ms: Option<u64>,
    /// The job is FAILED this many ms after the server starts (in its details; the job list still says RUNNING).
    pub(crate) fails_after_ms: Option<u64>,
    /// The job turns on RocksDB's live-data gauge: its configuration says so, and each non-source vertex lists one
    /// `Map.last.rocksdb_estimate-live-data-size`, as a real 2.3.0 does (docs/flink-rest-and-metrics.md).
    pub(crate) rocksdb_size_metrics: bool,
}

/// The RocksDB gauge each non-source vertex lists under [`Config::rocksdb_size_metrics`].
pub(crate) const ROCKSDB_LIVE_DATA: &str = "Map.last.rocksdb_estimate-live-data-size";

/// What [`Config::hostile_names`] adds to each name, JSON-escaped: red text, a window title, a bell.
pub(crate) const HOSTILE_SUFFIX_JSON: &str = r"\u001b[31m red\u001b]0;pwned\u0007";

impl Config {
    fn name(&self, plain: &str) -> String {
        if self.hostile_names {
            format!("{plain}{HOSTILE_SUFFIX_JSON}")
        } else {
            plain.to_string()
        }
    }
}

pub(crate) struct FakeFlink {
    pub(crate) url: String,
    state: Arc<State>,
}

struct State {
    config: Config,
    served: AtomicU64,
    failures_left: Mutex<BTreeMap<String, u32>>,
    stop: AtomicBool,
    authorization: Mutex<Option<String>>,
    /// When the server started: its clock (`now` in the job's details) runs from 1700000001000 then.
    started: std::time::Instant,
}

impl FakeFlink {
    pub(crate) fn start(config: Config) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let failures_left = config
            .faults
            .iter()
            .filter_map(|(path, fault)| match fault {
                Fault::Status500 { times } => Some((path.clone(), *times)),
                _ => None,
            })
            .collect();
        let state = Arc::new(State {
            config,
            served: AtomicU64::new(0),
            failures_left: Mutex::new(failures_left),
            stop: AtomicBool::new(false),
            authorization: Mutex::new(None),
            started: std::time::Instant::now(),
        });
        let accept_state = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_state.stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&accept_state);
                thread::spawn(move || serve(stream, &state));
            }
        });
        FakeFlink { url, state }
    }

    /// The `Authorization` header of the last request that had one.
    pub(crate) fn last_authorization(&self) -> Option<String> {
        self.state.authorization.lock().unwrap().clone()
    }

    /// Requests the server has read (whatever it answered).
    pub(crate) fn served(&self) -> u64 {
        self.state.served.load(Ordering::Relaxed)
    }

    pub(crate) fn vertex_id(index: usize) -> String {
        format!("{:032x}", index + 1)
    }
}

impl Drop for FakeFlink {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(stream: TcpStream, state: &State) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("authorization")
            {
                *state.authorization.lock().unwrap() = Some(value.trim().to_string());
            }
        }
        state.served.fetch_add(1, Ordering::Relaxed);
        let target = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let path = path.to_string();
        let query = decode(query);
        if !state.config.latency.is_zero() {
            thread::sleep(state.config.latency);
        }
        let fault = state.config.faults.get(&path).cloned();
        let fault = match fault {
            Some(Fault::Status500 { .. }) => {
                let mut left = state.failures_left.lock().unwrap();
                let n = left.entry(path.clone()).or_insert(0);
                if *n > 0 {
                    *n -= 1;
                    let body = "{\"errors\":[\"Internal server error.\", \"<Exception on server side: java.lang.RuntimeException: boom>\"]}";
                    let _ = respond(&mut writer, 500, body.as_bytes());
                    continue;
                }
                None
            }
            other => other,
        };
        match fault {
            Some(Fault::Hang) => {
                thread::sleep(Duration::from_secs(60));
                return;
            }
            Some(Fault::Truncated) => {
                let body = route(state, &path, &query).1;
                let cut = &body.as_bytes()[..body.len() / 2];
                let _ = respond(&mut writer, 200, cut);
            }
            Some(Fault::SlowBody { per_byte }) => {
                let body = route(state, &path, &query).1;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for byte in body.as_bytes() {
                    if writer
                        .write_all(&[*byte])
                        .and_then(|_| writer.flush())
                        .is_err()
                    {
                        return;
                    }
                    thread::sleep(per_byte);
                }
            }
            Some(Fault::Redirect { location }) => {
                let head = format!(
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
                );
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
            }
            Some(Fault::Oversized { bytes }) => {
                let mut body = String::with_capacity(bytes + 16);
                body.push_str("{\"pad\":\"");
                body.push_str(&"x".repeat(bytes));
                body.push_str("\"}");
                let _ = respond(&mut writer, 200, body.as_bytes());
            }
            _ => {
                let (status, body) = route(state, &path, &query);
                if respond(&mut writer, status, body.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
}

fn respond(writer: &mut TcpStream, status: u16, body: &[u8]) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    // One write: a head and a body in two small segments meet Nagle and delayed ACKs (40 ms each on Linux).
    let mut response = head.into_bytes();
    response.extend_from_slice(body);
    writer.write_all(&response)?;
    writer.flush()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

const SOURCE_METRICS: [&str; 6] = [
    "Source__kafka[1].numRecordsOutPerSecond",
    "Source__kafka[1].numRecordsOut",
    "Source__kafka[1].pendingRecords",
    "Source__kafka[1].KafkaSourceReader.topic.orders.partition.0.currentOffset",
    "Source__kafka[1].KafkaSourceReader.topic.orders.partition.1.currentOffset",
    "Source__kafka[1].KafkaSourceReader.topic.orders.partition.2.currentOffset",
];
const TASK_METRICS: [&str; 7] = [
    "busyTimeMsPerSecond",
    "backPressuredTimeMsPerSecond",
    "idleTimeMsPerSecond",
    "numRecordsInPerSecond",
    "numRecordsOutPerSecond",
    "numRecordsIn",
    "checkpointStartDelayNanos",
];
/// Only tasks with network inputs have it (as in Flink).
const ALIGNMENT_METRIC: &str = "checkpointAlignmentTime";
const TM_METRICS: [&str; 6] = [
    "Status.JVM.Memory.Heap.Used",
    "Status.JVM.Memory.Heap.Max",
    "Status.Flink.Memory.Managed.Used",
    "Status.JVM.Memory.Metaspace.Used",
    "Status.JVM.CPU.Load",
    "Status.JVM.Threads.Count",
];

fn route(state: &State, path: &str, query: &str) -> (u16, String) {
    let config = &state.config;
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["overview"] => (
            200,
            r#"{"taskmanagers":2,"slots-total":8,"slots-available":0,"jobs-running":1,"jobs-finished":0,"jobs-cancelled":0,"jobs-failed":0,"flink-version":"2.3.0","flink-commit":"c0f8d1a"}"#.into(),
        ),
        ["taskmanagers"] => (200, taskmanagers()),
        ["taskmanagers", "metrics"] => (200, tm_metrics(query)),
        ["jobmanager", "metrics"] => (200, r#"[{"id":"taskSlotsTotal"}]"#.into()),
        ["jobs", "overview"] => (200, jobs_overview(config)),
        ["jobs", JOB_ID] => (
            200,
            job_details(config, state.started.elapsed().as_millis() as u64),
        ),
        ["jobs", JOB_ID, "checkpoints"] => (200, checkpoints(config.no_checkpoint_yet)),
        ["jobs", JOB_ID, "checkpoints", "config"] => (
            200,
            r#"{"mode":"exactly_once","interval":30000,"timeout":600000,"min_pause":0,"max_concurrent":1,"unaligned_checkpoints":false}"#.into(),
        ),
        ["jobs", JOB_ID, "jobmanager", "config"] => (
            200,
            if config.rocksdb_size_metrics {
                r#"[{"key":"parallelism.default","value":"4"},{"key":"state.backend.type","value":"rocksdb"},{"key":"state.backend.rocksdb.metrics.estimate-live-data-size","value":"true"}]"#
            } else {
                r#"[{"key":"parallelism.default","value":"4"},{"key":"state.backend.type","value":"rocksdb"}]"#
            }
            .into(),
        ),
        ["jobs", JOB_ID, "vertices", vid, "subtasks", "metrics"] => {
            let Some(index) = (0..config.vertices).find(|i| FakeFlink::vertex_id(*i) == *vid) else {
                return (404, r#"{"errors":["Not found."]}"#.into());
            };
            (200, vertex_metrics(config, index, query))
        }
        _ => (404, r#"{"errors":["Not found: /"]}"#.into()),
    }
}

fn taskmanagers() -> String {
    let tm = |id: &str| {
        format!(
            r#"{{"id":"{id}","path":"pekko.tcp://flink@127.0.0.1:1/user/rpc/taskmanager_0","dataPort":1,"jmxPort":-1,"timeSinceLastHeartbeat":1,"slotsNumber":4,"freeSlots":0,"totalResource":{{"cpuCores":4.0,"taskHeapMemory":383,"taskOffHeapMemory":0,"managedMemory":512,"networkMemory":128,"extendedResources":{{}}}},"hardware":{{"cpuCores":8,"physicalMemory":17179869184,"freeMemory":536870912,"managedMemory":536870920}},"memoryConfiguration":{{"frameworkHeap":134217728,"taskHeap":402653174,"frameworkOffHeap":134217728,"taskOffHeap":0,"networkMemory":134217730,"managedMemory":536870920,"jvmMetaspace":268435456,"jvmOverhead":201326592,"totalFlinkMemory":1342177280,"totalProcessMemory":1811939328}}}}"#
        )
    };
    format!(r#"{{"taskmanagers":[{},{}]}}"#, tm("tm-1"), tm("tm-2"))
}

fn jobs_overview(config: &Config) -> String {
    let job = |id: &str, name: &str, state: &str| {
        format!(
            r#"{{"jid":"{id}","name":"{name}","state":"{state}","start-time":1700000000000,"end-time":-1,"duration":1000,"last-modification":1700000000000,"tasks":{{}}}}"#
        )
    };
    let mut jobs = vec![
        job(JOB_ID, &config.name("orders"), "RUNNING"),
        job("0000000000000000000000000000dead", "old", "FINISHED"),
    ];
    for i in 0..config.extra_running_jobs {
        jobs.push(job(
            &format!("{:032x}", 0xbeef + i),
            &format!("extra-{i}"),
            "RUNNING",
        ));
    }
    format!(r#"{{"jobs":[{}]}}"#, jobs.join(","))
}

/// The fake JobManager's clock when it starts, ms since the epoch.
const FAKE_EPOCH_MS: u64 = 1_700_000_001_000;

/// `GET /jobs/:id` `elapsed` ms after the server started.
fn job_details(config: &Config, elapsed: u64) -> String {
    let now = FAKE_EPOCH_MS + elapsed;
    let running = match config.restarts_after_ms {
        Some(at) if elapsed >= at => FAKE_EPOCH_MS + at,
        _ => FAKE_EPOCH_MS - config.started_ms_ago.unwrap_or(1_000_000),
    };
    let state = match config.fails_after_ms {
        Some(at) if elapsed >= at => "FAILED",
        _ => "RUNNING",
    };
    let vertices = config.vertices;
    let job_name = config.name("orders");
    let mut listed = Vec::new();
    let mut nodes = Vec::new();
    for i in 0..vertices {
        let id = FakeFlink::vertex_id(i);
        let name = config.name(&if i == 0 {
            "Source: kafka[1]".to_string()
        } else {
            format!("Map[{}]", i + 1)
        });
        listed.push(format!(
            r#"{{"id":"{id}","slotSharingGroupId":"default","name":"{name}","maxParallelism":128,"parallelism":2,"status":"RUNNING","start-time":1700000000000,"end-time":-1,"duration":1000,"tasks":{{}},"metrics":{{"read-bytes":0,"read-bytes-complete":true,"write-bytes":0,"write-bytes-complete":true,"read-records":0,"read-records-complete":true,"write-records":0,"write-records-complete":true,"accumulated-backpressured-time":0,"accumulated-idle-time":0,"accumulated-busy-time":0.0}}}}"#
        ));
        let inputs = if i == 0 {
            String::new()
        } else {
            format!(
                r#","inputs":[{{"num":0,"id":"{}","ship_strategy":"HASH","exchange":"pipelined_bounded"}}]"#,
                FakeFlink::vertex_id(i - 1)
            )
        };
        nodes.push(format!(
            r#"{{"id":"{id}","parallelism":2,"operator":"","operator_strategy":"","description":"{name}","optimizer_properties":{{}}{inputs}}}"#
        ));
    }
    // The vertices list in reverse, so that the collector must follow the plan's order.
    listed.reverse();
    format!(
        r#"{{"jid":"{JOB_ID}","name":"{job_name}","isStoppable":false,"state":"{state}","job-type":"STREAMING","start-time":1700000000000,"end-time":-1,"duration":1000,"maxParallelism":-1,"now":{now},"timestamps":{{"RUNNING":{running},"CREATED":1699999000000}},"vertices":[{}],"status-counts":{{}},"plan":{{"jid":"{JOB_ID}","name":"{job_name}","type":"STREAMING","nodes":[{}]}}}}"#,
        listed.join(","),
        nodes.join(","),
    )
}

fn checkpoints(none_yet: bool) -> String {
    if none_yet {
        let nan = r#"{"min":0,"max":0,"avg":0,"p50":"NaN","p90":"NaN","p95":"NaN","p99":"NaN","p999":"NaN"}"#;
        format!(
            r#"{{"counts":{{"restored":0,"total":0,"in_progress":0,"completed":0,"failed":0}},"summary":{{"checkpointed_size":{nan},"state_size":{nan},"end_to_end_duration":{nan},"alignment_buffered":{nan},"processed_data":{nan},"persisted_data":{nan}}},"latest":{{"completed":null,"savepoint":null,"failed":null,"restored":null}},"history":[]}}"#
        )
    } else {
        let s = |p50: u64, max: u64| {
            format!(
                r#"{{"min":1,"max":{max},"avg":{p50},"p50":{p50},"p90":{max},"p95":{max},"p99":{max},"p999":{max}}}"#
            )
        };
        format!(
            r#"{{"counts":{{"restored":0,"total":11,"in_progress":0,"completed":10,"failed":1}},"summary":{{"checkpointed_size":{},"state_size":{},"end_to_end_duration":{}}},"latest":{{"failed":{{"id":3,"failure_message":"Checkpoint expired before completing."}}}},"history":[]}}"#,
            s(2048, 4096),
            s(1048576, 2097152),
            s(120, 900)
        )
    }
}

fn vertex_metrics(config: &Config, index: usize, query: &str) -> String {
    let mut available: Vec<&str> = TASK_METRICS.to_vec();
    if index == 0 {
        available.extend(SOURCE_METRICS);
    } else if !config.without_alignment_metric.contains(&index) {
        available.push(ALIGNMENT_METRIC);
    }
    if index > 0 && config.rocksdb_size_metrics {
        available.push(ROCKSDB_LIVE_DATA);
    }
    let Some(get) = query_param(query, "get") else {
        let ids: Vec<String> = available
            .iter()
            .map(|name| format!(r#"{{"id":"{name}"}}"#))
            .collect();
        return format!("[{}]", ids.join(","));
    };
    let requested: Vec<&str> = get.split(',').collect();
    if config.empty_metrics_for.contains(&index)
        || requested.iter().any(|name| !available.contains(name))
    {
        return "[]".into();
    }
    let entries: Vec<String> = requested
        .iter()
        .map(|name| {
            if index == 0 && *name == "busyTimeMsPerSecond" {
                // As Flink 2.3 reports a back-pressured unthrottled source.
                format!(r#"{{"id":"{name}","min":"NaN","max":"NaN","avg":"NaN","sum":"NaN","skew":"NaN"}}"#)
            } else {
                let base = 100.0 + index as f64;
                format!(
                    r#"{{"id":"{name}","min":{},"max":{},"avg":{},"sum":{},"skew":1.5}}"#,
                    base,
                    base + 10.0,
                    base + 5.0,
                    2.0 * base + 10.0
                )
            }
        })
        .collect();
    format!("[{}]", entries.join(","))
}

fn tm_metrics(query: &str) -> String {
    let Some(get) = query_param(query, "get") else {
        let ids: Vec<String> = TM_METRICS
            .iter()
            .map(|name| format!(r#"{{"id":"{name}"}}"#))
            .collect();
        return format!("[{}]", ids.join(","));
    };
    let requested: Vec<&str> = get.split(',').collect();
    if requested.iter().any(|name| !TM_METRICS.contains(name)) {
        return "[]".into();
    }
    let entries: Vec<String> = requested
        .iter()
        .map(|name| format!(r#"{{"id":"{name}","min":1.0,"max":3.0,"avg":2.0}}"#))
        .collect();
    format!("[{}]", entries.join(","))
}
