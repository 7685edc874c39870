//! Every REST answer parser on any JSON value a server could send: no panic.
#![no_main]

use flinktune::rest::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return;
    };
    let _ = parse::overview(&value);
    let _ = parse::taskmanagers(&value);
    let _ = parse::job_graph(&value);
    let _ = parse::checkpoints(&value, Some(&value));
    let _ = parse::configuration(&value);
    if let Ok(aggregates) = parse::aggregates(&value) {
        let _ = parse::vertex_metrics(&aggregates);
        let _ = parse::taskmanager_metrics(&aggregates);
    }
});
