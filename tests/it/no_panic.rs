//! The readers of untrusted text never panic and never grow more than linearly (issue 12): arbitrary and
//! structure-shaped input through the legacy reader, the YAML reader, `MemorySize`, Flink's duration syntax, job
//! profile files and the REST answer parsers. A short proptest run in the normal suite; the cargo-fuzz targets
//! (fuzz/fuzz_targets) run the same entry points longer.

use std::path::Path;

use flinktune::rest::parse;
use flinktune::{MemorySize, file_profile, parse_duration, parse_legacy_file, parse_standard_yaml};
use proptest::prelude::*;

/// Profile-shaped text: real field names with values of every kind a field takes, some of them wrong.
fn profileish() -> impl Strategy<Value = String> {
    let field = prop_oneof![
        Just("extends"),
        Just("workload"),
        Just("state-size"),
        Just("input-rate"),
        Just("source-partitions"),
        Just("latency-target"),
        Just("recovery-time-objective"),
        Just("checkpoint-interval"),
        Just("restore"),
        Just("state-backend"),
        Just("mode"),
        Just("upload-bandwidth"),
        Just("state-change-rate"),
        Just("zookeeper-quorum"),
        Just("unknown-field"),
    ];
    let value = prop_oneof![
        Just("io-bound"),
        Just("balanced"),
        Just("cpu"),
        Just("10 gb"),
        Just("0"),
        Just("-1"),
        Just("1.5"),
        Just("5 min"),
        Just("1 ns"),
        Just("PT1S"),
        Just("99999999999999999999 d"),
        Just("18446744073709551615"),
        Just("true"),
        Just("rocksdb"),
        Just("50%"),
        Just("~"),
        Just("[a, b]"),
        Just("{x: 1}"),
        Just("\"\\e\""),
    ];
    proptest::collection::vec((field, value), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(field, value)| format!("{field}: {value}\n"))
            .collect()
    })
}

/// YAML-ish text: the characters that drive the YAML scanner, so that most cases reach the flattener.
fn yamlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a".to_string()),
            Just("b.c".to_string()),
            Just(": ".to_string()),
            Just("\n".to_string()),
            Just("  ".to_string()),
            Just("- ".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just(", ".to_string()),
            Just("&x ".to_string()),
            Just("*x".to_string()),
            Just("'q'".to_string()),
            Just("\"d\\n\"".to_string()),
            Just("# c".to_string()),
            Just("~".to_string()),
            Just("1.5".to_string()),
            Just("---\n".to_string()),
            Just("? ".to_string()),
            Just("!!str ".to_string()),
            Just("\r".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{feff}".to_string()),
        ],
        0..64,
    )
    .prop_map(|parts| parts.concat())
}

fn jsonish() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<f64>().prop_map(|n| serde_json::json!(n)),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        "[a-z0-9\\-]{0,8}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("jid".to_string()),
                    Just("jobs".to_string()),
                    Just("vertices".to_string()),
                    Just("parallelism".to_string()),
                    Just("name".to_string()),
                    Just("state".to_string()),
                    Just("min".to_string()),
                    Just("max".to_string()),
                    Just("avg".to_string()),
                    Just("sum".to_string()),
                    Just("plan".to_string()),
                    Just("nodes".to_string()),
                    Just("inputs".to_string()),
                    Just("flink-version".to_string()),
                    Just("slots-total".to_string()),
                    Just("taskmanagers".to_string()),
                    Just("counts".to_string()),
                    Just("summary".to_string()),
                    Just("key".to_string()),
                    Just("value".to_string()),
                ],
                inner,
                0..6,
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn config_readers_never_panic_and_stay_linear(text in yamlish()) {
        let legacy = parse_legacy_file("flink-conf.yaml", &text);
        let legacy_size: usize = legacy.configuration.iter().map(|(k, e)| k.len() + e.value.java_string().len()).sum();
        prop_assert!(legacy_size <= text.len());
        if let Ok(loaded) = parse_standard_yaml("config.yaml", &text) {
            let size: usize = loaded.configuration.iter().map(|(k, e)| k.len() + e.value.java_string().len()).sum();
            // Aliases may copy (within their 1 MiB budget); without them, flattening adds at most the dotted prefixes.
            prop_assert!(size <= 64 * text.len() + (1 << 20), "{} bytes from {} bytes", size, text.len());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_legacy_file("flink-conf.yaml", &text);
        let _ = parse_standard_yaml("config.yaml", &text);
        let _ = MemorySize::parse(&text);
        let _ = parse_duration(&text);
        let _ = file_profile(Path::new("p.yaml"), &text);
    }

    #[test]
    fn durations_never_panic_and_read_back(text in "[0-9 ]{0,24}[a-zA-Z\u{b5} ]{0,12}") {
        if let Ok(duration) = parse_duration(&text) {
            prop_assert_eq!(duration.subsec_nanos() % 1_000_000, 0);
            prop_assert_eq!(parse_duration(&format!("{} ms", duration.as_millis())), Ok(duration));
        }
    }

    #[test]
    fn profiles_never_panic_and_keep_durations_positive(text in profileish()) {
        if let Ok(profile) = file_profile(Path::new("p.yaml"), &text) {
            prop_assert_eq!(profile.name.as_str(), "p");
            prop_assert!(profile.recovery_time_objective.as_millis() >= 1);
            prop_assert!(profile.checkpoint_interval.is_none_or(|interval| interval.as_millis() >= 1));
        }
    }

    #[test]
    fn sizes_never_panic(text in "[0-9 .eE+\\-]{0,24}[a-zA-Z]{0,6}") {
        if let Ok(size) = MemorySize::parse(&text) {
            prop_assert!(size.bytes() <= i64::MAX as u64);
        }
    }

    #[test]
    fn rest_parsers_never_panic(value in jsonish()) {
        let _ = parse::overview(&value);
        let _ = parse::taskmanagers(&value);
        let _ = parse::job_graph(&value);
        let _ = parse::checkpoints(&value, Some(&value));
        let _ = parse::configuration(&value);
        if let Ok(aggregates) = parse::aggregates(&value) {
            let _ = parse::vertex_metrics(&aggregates);
            let _ = parse::taskmanager_metrics(&aggregates);
        }
    }
}
