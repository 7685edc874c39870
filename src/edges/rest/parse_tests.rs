use serde_json::json;

use super::*;

#[test]
fn numbers_accept_nan_strings_as_missing() {
    assert_eq!(number(&json!(1.5)), Some(1.5));
    assert_eq!(number(&json!("42")), Some(42.0));
    for missing in [
        json!("NaN"),
        json!("Infinity"),
        json!("-Infinity"),
        json!(null),
        json!("x"),
    ] {
        assert_eq!(number(&missing), None, "{missing}");
    }
}

#[test]
fn overview_and_taskmanagers() {
    let o = overview(
        &json!({"taskmanagers":1,"slots-total":4,"slots-available":1,"jobs-running":1,
        "flink-version":"2.3.0","flink-commit":"c0f8d1a"}),
    )
    .unwrap();
    assert_eq!(
        (o.flink_version.as_str(), o.slots_total, o.slots_available),
        ("2.3.0", 4, 1)
    );
    assert!(
        overview(&json!({}))
            .unwrap_err()
            .0
            .contains("flink-version")
    );

    let tms = taskmanagers(&json!({"taskmanagers":[{"id":"tm-1","slotsNumber":4,"freeSlots":1,
        "hardware":{"cpuCores":8,"physicalMemory":17179869184u64,"freeMemory":536870912,"managedMemory":536870920},
        "memoryConfiguration":{"taskHeap":402653174,"managedMemory":536870920,"networkMemory":134217730,
            "jvmMetaspace":268435456,"totalFlinkMemory":1342177280,"totalProcessMemory":1811939328}}]}))
    .unwrap();
    assert_eq!(tms.len(), 1);
    assert_eq!(tms[0].slots, 4);
    assert_eq!(tms[0].cpu_cores, 8.0);
    assert_eq!(tms[0].task_heap, 402653174);
    assert_eq!(tms[0].total_process_memory, 1811939328);
}

#[test]
fn job_graph_follows_the_plan_order_and_edges() {
    let graph = job_graph(&json!({
        "jid":"j1","name":"demo","state":"RUNNING","maxParallelism":-1,"now":1700000005000u64,
        "timestamps":{"RUNNING":1700000000000u64,"CREATED":1699999999000u64},
        "vertices":[
            {"id":"b","name":"Agg","parallelism":2,"maxParallelism":128,"slotSharingGroupId":"ssg"},
            {"id":"a","name":"Source: src[1]","parallelism":1,"maxParallelism":128}
        ],
        "plan":{"nodes":[
            {"id":"a","parallelism":1},
            {"id":"b","parallelism":2,"inputs":[{"num":0,"id":"a","ship_strategy":"HASH"}]}
        ]}
    }))
    .unwrap();
    let ids: Vec<_> = graph.vertices.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(graph.running_since, Some(1700000000000));
    assert_eq!(graph.running_for_ms, Some(5000));
    assert_eq!(graph.vertices[1].slot_sharing_group.as_deref(), Some("ssg"));
    assert_eq!(graph.vertices[1].max_parallelism, 128);
    assert_eq!(
        graph.edges,
        [Edge {
            from: "a".into(),
            to: "b".into(),
            ship_strategy: "HASH".into()
        }]
    );
}

#[test]
fn job_graph_without_plan_keeps_listed_order() {
    let graph = job_graph(
        &json!({"jid":"j","vertices":[{"id":"x","parallelism":3},{"id":"y","parallelism":1}]}),
    )
    .unwrap();
    let ids: Vec<_> = graph.vertices.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["x", "y"]);
    assert_eq!(graph.vertices[0].max_parallelism, 3);
    assert!(job_graph(&json!({"jid":"j"})).is_err());
}

#[test]
fn aggregates_accept_nan_strings_and_empty_answers() {
    let aggs = aggregates(&json!([
        {"id":"busyTimeMsPerSecond","min":"NaN","max":"NaN","avg":"NaN","sum":"NaN","skew":"NaN"},
        {"id":"backPressuredTimeMsPerSecond","min":990.0,"max":1000.0,"avg":995.0,"sum":1990.0,"skew":0.5},
        {"id":"Source__src[1].numRecordsOutPerSecond","min":10,"max":20,"avg":15,"sum":30},
        {"id":"Source__src[1].pendingRecords","min":1,"max":2,"avg":1.5,"sum":3},
        {"id":"Source__other.pendingRecords","min":1,"max":1,"avg":1,"sum":"Infinity"}
    ]))
    .unwrap();
    let metrics = vertex_metrics(&aggs);
    assert_eq!(metrics.busy_time_ms_per_second, Aggregate::default());
    assert_eq!(metrics.back_pressured_time_ms_per_second.max, Some(1000.0));
    assert_eq!(metrics.source_records_out_per_second, Some(30.0));
    assert_eq!(metrics.pending_records, Some(3.0));
    assert_eq!(metrics.records_in_per_second, Aggregate::default());

    let empty = aggregates(&json!([])).unwrap();
    assert!(empty.is_empty());
    assert_eq!(vertex_metrics(&empty), VertexMetrics::default());
    assert!(aggregates(&json!({"errors":["x"]})).is_err());
}

#[test]
fn taskmanager_metrics_by_name() {
    let aggs = aggregates(&json!([
        {"id":"Status.JVM.Memory.Heap.Used","min":1.0,"max":3.0,"avg":2.0},
        {"id":"Status.JVM.CPU.Load","min":0.1,"max":0.3,"avg":0.2}
    ]))
    .unwrap();
    let tm = taskmanager_metrics(&aggs);
    assert_eq!(tm.heap_used.max, Some(3.0));
    assert_eq!(tm.heap_used.sum, None);
    assert_eq!(tm.cpu_load.avg, Some(0.2));
    assert_eq!(tm.gc_time_ms_per_second, Aggregate::default());
}

#[test]
fn metric_listing() {
    assert_eq!(
        metric_names(&json!([{"id":"a"},{"id":"b"},{"x":1}])).unwrap(),
        ["a".to_string(), "b".to_string()]
    );
    assert!(metric_names(&json!([])).unwrap().is_empty());
}

fn nan_summary() -> Value {
    let nan = json!({"min":0,"max":0,"avg":0,"p50":"NaN","p90":"NaN","p95":"NaN","p99":"NaN","p999":"NaN"});
    json!({"checkpointed_size":nan,"state_size":nan,"end_to_end_duration":nan,"alignment_buffered":nan,
        "processed_data":nan,"persisted_data":nan})
}

#[test]
fn checkpoints_before_the_first_one_have_no_statistics() {
    let stats = json!({"counts":{"restored":0,"total":0,"in_progress":0,"completed":0,"failed":0},
        "summary":nan_summary(),"latest":{"completed":null,"savepoint":null,"failed":null,"restored":null},"history":[]});
    let config = json!({"mode":"exactly_once","interval":10000,"timeout":600000,"unaligned_checkpoints":false});
    let cp = checkpoints(&stats, Some(&config)).unwrap();
    assert_eq!(cp.completed, 0);
    assert_eq!(cp.interval_ms, Some(10000));
    assert_eq!(cp.unaligned, Some(false));
    assert_eq!(cp.duration_max_ms, None);
    assert_eq!(cp.duration_p50_ms, None);
    assert_eq!(cp.last_failure, None);
}

#[test]
fn checkpoints_with_history() {
    let stats = json!({"counts":{"completed":12,"failed":1},
        "summary":{"end_to_end_duration":{"min":10,"max":900,"avg":120,"p50":100.0,"p99":"NaN"},
            "checkpointed_size":{"p50":2048},"state_size":{"p50":"1048576"}},
        "latest":{"failed":{"id":7,"failure_message":"Checkpoint expired before completing."}}});
    let cp = checkpoints(&stats, None).unwrap();
    assert_eq!((cp.completed, cp.failed), (12, 1));
    assert_eq!(cp.duration_p50_ms, Some(100.0));
    assert_eq!(cp.duration_max_ms, Some(900.0));
    assert_eq!(cp.checkpointed_size_p50, Some(2048.0));
    assert_eq!(cp.state_size_p50, Some(1048576.0));
    assert_eq!(cp.interval_ms, None);
    assert_eq!(
        cp.last_failure.as_deref(),
        Some("Checkpoint expired before completing.")
    );

    let disabled = json!({"interval":9223372036854775807u64,"timeout":600000});
    assert_eq!(
        checkpoints(&stats, Some(&disabled)).unwrap().interval_ms,
        None
    );
    assert!(checkpoints(&json!({}), None).is_err());
}

#[test]
fn configuration_pairs() {
    let conf =
        configuration(&json!([{"key":"parallelism.default","value":"4"},{"key":"n","value":3}]))
            .unwrap();
    assert_eq!(
        conf.get("parallelism.default").map(String::as_str),
        Some("4")
    );
    assert_eq!(conf.get("n").map(String::as_str), Some("3"));
}

#[test]
fn jobs_overview_lines() {
    let jobs =
        jobs_overview(&json!({"jobs":[{"jid":"j1","name":"a","state":"RUNNING","start-time":1}]}))
            .unwrap();
    assert_eq!(jobs[0].id, "j1");
    assert_eq!(jobs[0].state, "RUNNING");
}

#[test]
fn rocksdb_state_is_live_data_or_unflushed_memtables_or_else_the_sst_files() {
    // Sums as a real 2.3.0 answered them for a keyed state `last` and the timers' column family.
    let live = aggregates(&json!([
        {"id":"StatefulUpdate.last.rocksdb_estimate-live-data-size","max":1.6569153E7,"sum":1.6569153E7},
        {"id":"StatefulUpdate._timer_state/event_user-timers.rocksdb_estimate-live-data-size","max":0,"sum":0},
        {"id":"StatefulUpdate.last.rocksdb_cur-size-all-mem-tables","max":1000,"sum":2000},
        {"id":"StatefulUpdate.last.rocksdb_total-sst-files-size","max":6.6276624E7,"sum":6.6276624E7}
    ]))
    .unwrap();
    assert_eq!(
        vertex_metrics(&live).rocksdb_state_bytes,
        Some(16_569_153.0)
    );
    let unflushed = aggregates(&json!([
        {"id":"S.last.rocksdb_estimate-live-data-size","sum":0},
        {"id":"S.last.rocksdb_cur-size-all-mem-tables","sum":4096}
    ]))
    .unwrap();
    assert_eq!(vertex_metrics(&unflushed).rocksdb_state_bytes, Some(4096.0));
    let sst_only = aggregates(&json!([
        {"id":"StatefulUpdate.last.rocksdb_total-sst-files-size","max":6.6276624E7,"sum":6.6276624E7},
        {"id":"Other.s.rocksdb_total-sst-files-size","max":1,"sum":-5}
    ]))
    .unwrap();
    assert_eq!(
        vertex_metrics(&sst_only).rocksdb_state_bytes,
        Some(66_276_624.0)
    );
    let none = aggregates(&json!([{"id":"busyTimeMsPerSecond","sum":1}])).unwrap();
    assert_eq!(vertex_metrics(&none).rocksdb_state_bytes, None);
}
