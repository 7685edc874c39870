//! The REST collector against a fake Flink REST server (tests/it/support/fake_flink.rs): timing of a 200-vertex job,
//! the request budget, and every fault ending in a bounded, clear error (TLS against a real Flink: tests/it/flink_tls.rs).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::fake_flink::{Config, FakeFlink, Fault, JOB_ID};
use flinktune::rest::collect::{CONSTANT_REQUESTS, Progress, SAMPLE_CONSTANT_REQUESTS, Sampling};
use flinktune::rest::{Auth, RestClient, RestConfig, RestError, collect};

fn client(server: &FakeFlink, tweak: impl FnOnce(&mut RestConfig)) -> RestClient {
    let mut config = RestConfig::new(format!("{}/", server.url));
    config.backoff_base = Duration::from_millis(20);
    tweak(&mut config);
    RestClient::new(config).unwrap()
}

/// The fake server has no metric store to wait for.
fn sampling(samples: u32, interval: Duration) -> Sampling {
    Sampling {
        fetch_wait: Duration::ZERO,
        ..Sampling::new(samples, interval)
    }
}

fn job_config(vertices: usize) -> Config {
    Config {
        vertices,
        ..Config::default()
    }
}

fn vertex_path(index: usize) -> String {
    format!(
        "/jobs/{JOB_ID}/vertices/{}/subtasks/metrics",
        FakeFlink::vertex_id(index)
    )
}

#[test]
fn a_200_vertex_job_is_sampled_quickly() {
    let server = FakeFlink::start(Config {
        latency: Duration::from_millis(20),
        ..job_config(200)
    });
    let client = client(&server, |_| {});
    let start = Instant::now();
    let mut done = Vec::new();
    let snapshot = collect(&client, None, sampling(2, Duration::ZERO), |_| {
        done.push(start.elapsed())
    })
    .unwrap();
    let (first, second) = (done[0], done[1]);
    println!(
        "200 vertices, 20 ms per response, concurrency 4: constant part + discovery + 1 sample in {:.3} s; \
         each further sample {:.3} s ({} requests in all)",
        first.as_secs_f64(),
        (second - first).as_secs_f64(),
        client.requests_sent()
    );
    assert!(first < Duration::from_secs(10), "{first:?}");
    assert!(second - first < Duration::from_secs(5), "{second:?}");
    assert_eq!(snapshot.job.vertices.len(), 200);
    assert_eq!(snapshot.samples.len(), 2);
    assert_eq!(snapshot.samples[0].vertices.len(), 200);
}

#[test]
fn requests_are_one_per_vertex_per_sample_plus_a_constant() {
    for (vertices, samples) in [(1usize, 1u32), (7, 3), (25, 2)] {
        let server = FakeFlink::start(job_config(vertices));
        let client = client(&server, |_| {});
        let mut heard = Vec::new();
        let snapshot = collect(
            &client,
            None,
            sampling(samples, Duration::from_millis(1)),
            |progress| {
                if let Progress::Sampled(n) = progress {
                    heard.push(n);
                }
            },
        )
        .unwrap();
        let v = vertices as u64;
        // One source in the fake job: only it has its metric names listed.
        let expected = CONSTANT_REQUESTS + 1 + u64::from(samples) * (v + SAMPLE_CONSTANT_REQUESTS);
        assert_eq!(client.requests_sent(), expected, "V={vertices} S={samples}");
        assert_eq!(server.served(), expected);
        assert_eq!(heard, (1..=samples).collect::<Vec<_>>());
        assert_eq!(snapshot.samples.len(), samples as usize);
    }
}

#[test]
fn the_snapshot_holds_the_graph_metrics_and_checkpoints() {
    let server = FakeFlink::start(job_config(3));
    let snapshot = collect(
        &client(&server, |_| {}),
        Some(JOB_ID),
        sampling(1, Duration::ZERO),
        |_| {},
    )
    .unwrap();
    assert_eq!(snapshot.flink_version, "2.3.0");
    assert_eq!(snapshot.taskmanagers.len(), 2);
    let ids: Vec<_> = snapshot.job.vertices.iter().map(|v| v.id.clone()).collect();
    assert_eq!(
        ids,
        (0..3).map(FakeFlink::vertex_id).collect::<Vec<_>>(),
        "plan order"
    );
    assert_eq!(snapshot.job.edges.len(), 2);
    assert_eq!(snapshot.job.edges[0].ship_strategy, "HASH");
    assert_eq!(snapshot.job.vertices[0].source_partitions, Some(3));
    assert_eq!(snapshot.job.vertices[1].source_partitions, None);
    let sample = &snapshot.samples[0];
    let source = &sample.vertices[&FakeFlink::vertex_id(0)];
    assert_eq!(source.busy_time_ms_per_second.max, None, "NaN busy time");
    assert_eq!(source.source_records_out_per_second, Some(210.0));
    assert_eq!(source.pending_records, Some(210.0));
    let map = &sample.vertices[&FakeFlink::vertex_id(1)];
    assert_eq!(map.busy_time_ms_per_second.max, Some(111.0));
    assert_eq!(sample.taskmanagers.heap_used.max, Some(3.0));
    assert_eq!(
        sample.taskmanagers.gc_time_ms_per_second.max, None,
        "not listed, not asked"
    );
    assert_eq!(snapshot.checkpoints.completed, 10);
    assert_eq!(snapshot.checkpoints.interval_ms, Some(30000));
    assert_eq!(snapshot.checkpoints.duration_p50_ms, Some(120.0));
    assert_eq!(snapshot.configuration["state.backend.type"], "rocksdb");
}

#[test]
fn nan_percentiles_and_empty_metric_answers_do_not_break_collection() {
    let server = FakeFlink::start(Config {
        no_checkpoint_yet: true,
        empty_metrics_for: BTreeSet::from([1]),
        ..job_config(3)
    });
    let snapshot = collect(
        &client(&server, |_| {}),
        None,
        sampling(2, Duration::ZERO),
        |_| {},
    )
    .unwrap();
    assert_eq!(snapshot.checkpoints.completed, 0);
    assert_eq!(snapshot.checkpoints.duration_p50_ms, None);
    assert_eq!(snapshot.checkpoints.state_size_p50, None);
    for sample in &snapshot.samples {
        assert_eq!(
            sample.vertices[&FakeFlink::vertex_id(1)],
            Default::default()
        );
        assert!(
            sample.vertices[&FakeFlink::vertex_id(2)]
                .busy_time_ms_per_second
                .max
                .is_some()
        );
    }
}

#[test]
fn rocksdb_size_gauges_are_listed_and_summed_per_vertex_when_the_job_turns_them_on() {
    // The snapshot and how many requests it took.
    let snapshot = |rocksdb_size_metrics| {
        let server = FakeFlink::start(Config {
            rocksdb_size_metrics,
            ..job_config(3)
        });
        let snapshot = collect(
            &client(&server, |_| {}),
            None,
            sampling(1, Duration::ZERO),
            |_| {},
        )
        .unwrap();
        (snapshot, server.served())
    };
    let (on, served_on) = snapshot(true);
    let sample = &on.samples[0];
    assert_eq!(
        sample.vertices[&FakeFlink::vertex_id(0)].rocksdb_state_bytes,
        None,
        "the source holds no state"
    );
    // The fake's sum for vertex i is 2 * (100 + i) + 10.
    assert_eq!(
        sample.vertices[&FakeFlink::vertex_id(1)].rocksdb_state_bytes,
        Some(212.0)
    );
    assert_eq!(
        sample.vertices[&FakeFlink::vertex_id(2)].rocksdb_state_bytes,
        Some(214.0)
    );
    assert!(
        sample.vertices[&FakeFlink::vertex_id(2)]
            .busy_time_ms_per_second
            .max
            .is_some(),
        "the standard metrics are still asked for"
    );
    // Off (Flink's default), no refresh before listing and the two stateful vertices are not listed: three requests
    // fewer.
    let (off, served_off) = snapshot(false);
    assert_eq!(
        off.samples[0].vertices[&FakeFlink::vertex_id(1)].rocksdb_state_bytes,
        None
    );
    assert_eq!(served_on, served_off + 3);
}

#[test]
fn a_task_without_a_standard_metric_is_listed_and_asked_again() {
    let server = FakeFlink::start(Config {
        without_alignment_metric: BTreeSet::from([2]),
        ..job_config(3)
    });
    let client = client(&server, |_| {});
    let snapshot = collect(&client, None, sampling(2, Duration::ZERO), |_| {}).unwrap();
    for sample in &snapshot.samples {
        let third = &sample.vertices[&FakeFlink::vertex_id(2)];
        assert!(third.busy_time_ms_per_second.max.is_some());
        assert!(third.checkpoint_start_delay_ns.max.is_some());
        assert_eq!(third.checkpoint_alignment_ns.max, None);
        assert!(
            sample.vertices[&FakeFlink::vertex_id(1)]
                .checkpoint_alignment_ns
                .max
                .is_some()
        );
    }
    // Once: its listing and the first sample again (the vertices and the TaskManagers; the store is fresh).
    let regular = CONSTANT_REQUESTS + 1 + 2 * (3 + SAMPLE_CONSTANT_REQUESTS);
    assert_eq!(client.requests_sent(), regular + 1 + 3 + 1);
}

#[test]
fn the_wait_between_samples_is_reported_each_second() {
    let server = FakeFlink::start(job_config(2));
    let mut heard = Vec::new();
    collect(
        &client(&server, |_| {}),
        None,
        sampling(2, Duration::from_millis(2500)),
        |progress| heard.push(progress),
    )
    .unwrap();
    let waits: Vec<u64> = heard
        .iter()
        .filter_map(|p| match p {
            Progress::Waiting(left) => Some(left.as_secs_f64().ceil() as u64),
            Progress::Sampled(_) | Progress::RatesFilling(_) => None,
        })
        .collect();
    assert_eq!(waits, [3, 2, 1], "{heard:?}");
    assert_eq!(heard.first(), Some(&Progress::Sampled(1)));
    assert_eq!(heard.last(), Some(&Progress::Sampled(2)));
}

#[test]
fn a_job_that_restarts_while_sampled_is_marked() {
    let steady = FakeFlink::start(Config {
        vertices: 2,
        ..Config::default()
    });
    let snapshot = collect(
        &client(&steady, |_| {}),
        None,
        sampling(1, Duration::ZERO),
        |_| {},
    )
    .unwrap();
    assert!(!snapshot.restarted_while_sampled);
    // Read at the start, restarted 300 ms later, sampled until about 600 ms, read again.
    let restarting = FakeFlink::start(Config {
        vertices: 2,
        restarts_after_ms: Some(300),
        ..Config::default()
    });
    let snapshot = collect(
        &client(&restarting, |_| {}),
        None,
        sampling(2, Duration::from_millis(600)),
        |_| {},
    )
    .unwrap();
    assert!(snapshot.restarted_while_sampled);
}

#[test]
fn a_job_that_fails_while_sampled_is_an_error_not_a_snapshot() {
    // The outcome bench's big-state trial died of OOM between the first read and the samples: planned from what
    // was left, it got 39 slots at parallelism 1.
    let failing = FakeFlink::start(Config {
        vertices: 2,
        fails_after_ms: Some(300),
        ..Config::default()
    });
    let error = collect(
        &client(&failing, |_| {}),
        None,
        sampling(2, Duration::from_millis(600)),
        |_| {},
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("is FAILED, not RUNNING"),
        "{error}"
    );
}

#[test]
fn a_job_started_under_a_minute_ago_is_sampled_once_its_rates_cover_a_minute() {
    // Flink's per-second rates average the last 60 s from a history that starts at zero
    // (docs/flink-rest-and-metrics.md): read 58.5 s after the start they would be 2.5% low.
    let server = FakeFlink::start(Config {
        vertices: 2,
        started_ms_ago: Some(58_500),
        ..Config::default()
    });
    let mut heard = Vec::new();
    let started = std::time::Instant::now();
    collect(
        &client(&server, |_| {}),
        None,
        sampling(1, Duration::from_secs(10)),
        |progress| heard.push(progress),
    )
    .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "sampled before the rates covered a minute: {heard:?}"
    );
    let filling: Vec<u64> = heard
        .iter()
        .filter_map(|p| match p {
            Progress::RatesFilling(left) => Some(left.as_secs_f64().ceil() as u64),
            _ => None,
        })
        .collect();
    assert_eq!(filling, [2, 1], "{heard:?}");
    assert_eq!(heard.last(), Some(&Progress::Sampled(1)));
}

#[test]
fn server_errors_are_retried() {
    let server = FakeFlink::start(Config {
        faults: [("/overview".to_string(), Fault::Status500 { times: 2 })].into(),
        ..job_config(2)
    });
    let client = client(&server, |_| {});
    collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap();
    // Two retries, the source's listing, one sample of two vertices.
    assert_eq!(
        client.requests_sent(),
        CONSTANT_REQUESTS + 2 + 1 + 2 + SAMPLE_CONSTANT_REQUESTS
    );
}

#[test]
fn persistent_server_errors_name_the_path_and_status() {
    let path = vertex_path(1);
    let server = FakeFlink::start(Config {
        faults: [(path.clone(), Fault::Status500 { times: u32::MAX })].into(),
        ..job_config(2)
    });
    let error = collect(
        &client(&server, |_| {}),
        None,
        sampling(1, Duration::ZERO),
        |_| {},
    )
    .unwrap_err();
    let text = error.to_string();
    println!("{text}");
    assert!(
        matches!(
            error,
            RestError::Status {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains(&path) && text.contains("HTTP 500") && text.contains("3 attempt"),
        "{text}"
    );
    assert!(text.contains("Internal server error"), "{text}");
}

#[test]
fn a_server_that_never_answers_times_out_in_bounded_time() {
    let server = FakeFlink::start(Config {
        faults: [("/jobs/overview".to_string(), Fault::Hang)].into(),
        ..job_config(1)
    });
    let timeout = Duration::from_millis(300);
    let client = client(&server, |c| c.request_timeout = timeout);
    let start = Instant::now();
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let elapsed = start.elapsed();
    let text = error.to_string();
    println!("{text} ({:.2} s)", elapsed.as_secs_f64());
    assert!(
        matches!(error, RestError::Timeout { attempts: 3, .. }),
        "{text}"
    );
    assert!(
        text.contains("/jobs/overview") && text.contains("timed out"),
        "{text}"
    );
    assert!(elapsed < timeout * 3 * 3, "{elapsed:?}");
}

#[test]
fn truncated_json_is_a_clear_error() {
    let path = format!("/jobs/{JOB_ID}");
    let server = FakeFlink::start(Config {
        faults: [(path.clone(), Fault::Truncated)].into(),
        ..job_config(4)
    });
    let error = collect(
        &client(&server, |_| {}),
        None,
        sampling(1, Duration::ZERO),
        |_| {},
    )
    .unwrap_err();
    let text = error.to_string();
    println!("{text}");
    assert!(matches!(error, RestError::InvalidJson { .. }), "{text}");
    assert!(
        text.contains(&path) && text.contains("invalid JSON"),
        "{text}"
    );
}

#[test]
fn a_body_slower_than_the_request_timeout_times_out() {
    let server = FakeFlink::start(Config {
        faults: [(
            "/taskmanagers".to_string(),
            Fault::SlowBody {
                per_byte: Duration::from_millis(5),
            },
        )]
        .into(),
        ..job_config(1)
    });
    let timeout = Duration::from_millis(400);
    let client = client(&server, |c| {
        c.request_timeout = timeout;
        c.attempts = 2;
    });
    let start = Instant::now();
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    println!("{text} ({:.2} s)", start.elapsed().as_secs_f64());
    assert!(
        matches!(error, RestError::Timeout { attempts: 2, .. }),
        "{text}"
    );
    assert!(text.contains("/taskmanagers"), "{text}");
    assert!(start.elapsed() < timeout * 2 * 3);
}

#[test]
fn an_oversized_body_is_refused() {
    let server = FakeFlink::start(Config {
        faults: [("/overview".to_string(), Fault::Oversized { bytes: 2 << 20 })].into(),
        ..job_config(1)
    });
    let client = client(&server, |c| c.max_response_bytes = 1 << 20);
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    println!("{text}");
    assert!(
        matches!(
            error,
            RestError::TooLarge {
                limit_bytes: 1048576,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains("/overview") && text.contains("1048576 bytes"),
        "{text}"
    );
}

#[test]
fn several_running_jobs_need_a_choice() {
    let server = FakeFlink::start(Config {
        extra_running_jobs: 2,
        ..job_config(1)
    });
    let client = client(&server, |_| {});
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    println!("{text}");
    assert!(
        matches!(error, RestError::SeveralRunningJobs { .. }),
        "{text}"
    );
    assert!(
        text.contains(&format!("{JOB_ID} orders RUNNING"))
            && text.contains("extra-1")
            && text.contains("--job")
    );
    assert!(!text.contains("FINISHED"), "{text}");
    collect(&client, Some(JOB_ID), sampling(1, Duration::ZERO), |_| {}).unwrap();
}

#[test]
fn an_unreachable_endpoint_fails_fast_with_a_clear_error() {
    // A port nobody listens on: bind, take the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = RestConfig::new(format!("127.0.0.1:{port}"));
    config.backoff_base = Duration::from_millis(10);
    let client = RestClient::new(config).unwrap();
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    println!("{text}");
    assert!(
        matches!(error, RestError::Connect { attempts: 3, .. }),
        "{text}"
    );
    assert!(text.contains("/jobs/overview"), "{text}");
}

#[test]
fn a_redirect_is_reported_not_followed() {
    // Flink with REST SSL on answers plain HTTP so; following it would drop the credentials (another scheme).
    let server = FakeFlink::start(Config {
        faults: [(
            "/jobs/overview".to_string(),
            Fault::Redirect {
                location: "https://127.0.0.1:8081/jobs/overview?token=secret".into(),
            },
        )]
        .into(),
        ..job_config(1)
    });
    let client = client(&server, |_| {});
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, RestError::Redirect { status: 301, .. }),
        "{text}"
    );
    assert!(
        text.contains("to https://127.0.0.1:8081/jobs/overview, which flinktune does not follow"),
        "{text}"
    );
    assert!(text.contains("pass --from-cluster https://"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert_eq!(client.requests_sent(), 1);
}

#[test]
fn https_to_a_plain_http_endpoint_is_named_and_not_retried() {
    // A plain HTTP server answers a TLS ClientHello as a malformed request: 400 and close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut hello = [0u8; 512];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    let client = RestClient::new(RestConfig::new(format!("https://127.0.0.1:{port}"))).unwrap();
    let error = collect(&client, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, RestError::Handshake { .. }), "{text}");
    assert!(text.contains("did not answer in TLS"), "{text}");
    assert!(text.contains("pass an http:// URL"), "{text}");
    assert_eq!(client.requests_sent(), 1);
}

#[test]
fn credentials_are_sent_as_headers_and_never_shown() {
    let server = FakeFlink::start(Config {
        faults: [(
            "/overview".to_string(),
            Fault::Status500 { times: u32::MAX },
        )]
        .into(),
        ..job_config(1)
    });
    let bearer = client(&server, |c| {
        c.auth = Auth::from_values(Some("tok-123".into()), None, None)
    });
    let error = collect(&bearer, None, sampling(1, Duration::ZERO), |_| {}).unwrap_err();
    assert_eq!(
        server.last_authorization().as_deref(),
        Some("Bearer tok-123")
    );
    assert!(!format!("{error} {error:?} {bearer:?}").contains("tok-123"));

    let basic = client(&server, |c| {
        c.auth = Auth::from_values(None, Some("alice".into()), Some("pw".into()))
    });
    let _ = collect(&basic, None, sampling(1, Duration::ZERO), |_| {});
    // base64("alice:pw")
    assert_eq!(
        server.last_authorization().as_deref(),
        Some("Basic YWxpY2U6cHc=")
    );
}
