//! Facts of the committed catalogue that Flink's own sources and release notes state, so a regeneration that loses or
//! mangles options fails here.

use super::*;
use crate::flink::version::SUPPORTED_LINES;

fn lines() -> impl Iterator<Item = FlinkVersion> {
    SUPPORTED_LINES
        .iter()
        .map(|&(major, minor)| FlinkVersion::line(major, minor))
}

fn v(text: &str) -> FlinkVersion {
    text.parse().unwrap()
}

#[test]
fn the_committed_file_parses_without_skipping_a_row() {
    let catalogue = Catalogue::get();
    assert_eq!(catalogue.skipped_rows(), 0);
    for history in catalogue.histories() {
        let present: Vec<FlinkVersion> = lines().filter(|&l| history.at(l).is_some()).collect();
        assert_eq!(present.first(), Some(&history.since), "{}", history.key);
        let last = present.last().copied();
        let newest = lines().last();
        let expected_until = if last == newest { None } else { last };
        assert_eq!(history.until, expected_until, "{}", history.key);
    }
}

#[test]
fn every_line_has_hundreds_of_keys_and_more_over_time() {
    let catalogue = Catalogue::get();
    let counts: Vec<(FlinkVersion, usize)> = lines()
        .map(|line| (line, catalogue.keys(line).count()))
        .collect();
    for (line, count) in &counts {
        println!("{line}: {count} keys");
        assert!(*count > 600, "{line} has only {count} keys");
    }
    assert!(counts.windows(2).all(|pair| pair[0].1 <= pair[1].1));
    assert_eq!(catalogue.keys(v("1.20.3")).count(), counts[5].1);
}

#[test]
fn process_size_is_a_memory_size_in_every_line() {
    let catalogue = Catalogue::get();
    for line in lines() {
        let info = catalogue
            .option("taskmanager.memory.process.size", line)
            .unwrap();
        assert_eq!(info.value_type, ValueType::MemorySize, "{line}");
        assert_eq!(info.declaring_class, "TaskManagerOptions");
        assert!(info.default.is_none() && !info.deprecated);
    }
}

#[test]
fn state_backend_type_arrives_in_1_17_reading_the_deprecated_state_backend() {
    let catalogue = Catalogue::get();
    let history = catalogue.any_version("state.backend.type").unwrap();
    assert_eq!((history.since, history.until), (v("1.17"), None));
    assert!(catalogue.option("state.backend.type", v("1.16")).is_none());
    for line in lines().filter(|l| *l >= v("1.17")) {
        let info = catalogue.option("state.backend.type", line).unwrap();
        assert_eq!(
            info.fallback_keys,
            vec![("state.backend".to_string(), true)],
            "{line}"
        );
        let owner = catalogue.owner_of_fallback("state.backend", line).unwrap();
        assert_eq!(owner.key, "state.backend.type");
    }
    assert!(catalogue.option("state.backend", v("1.16")).is_some());
    assert!(catalogue.option("state.backend", v("1.17")).is_none());
}

#[test]
fn restart_strategy_is_a_key_until_1_16_and_a_deprecated_fallback_after() {
    let catalogue = Catalogue::get();
    let history = catalogue.any_version("restart-strategy").unwrap();
    assert_eq!((history.since, history.until), (v("1.15"), Some(v("1.16"))));
    for line in lines() {
        let main_key = catalogue.option("restart-strategy", line);
        let owner = catalogue.owner_of_fallback("restart-strategy", line);
        if line <= v("1.16") {
            assert!(main_key.is_some() && owner.is_none(), "{line}");
        } else {
            assert!(main_key.is_none(), "{line}");
            let owner = owner.unwrap();
            assert_eq!(owner.key, "restart-strategy.type");
            assert!(
                owner
                    .fallback_keys
                    .contains(&("restart-strategy".to_string(), true))
            );
        }
    }
}

#[test]
fn checkpoint_dir_key_arrives_in_1_20() {
    let catalogue = Catalogue::get();
    let history = catalogue
        .any_version("execution.checkpointing.dir")
        .unwrap();
    assert_eq!((history.since, history.until), (v("1.20"), None));
    let owner = catalogue
        .owner_of_fallback("state.checkpoints.dir", v("2.0"))
        .unwrap();
    assert_eq!(owner.key, "execution.checkpointing.dir");
}

#[test]
fn legacy_heap_size_is_gone_in_2_x() {
    let catalogue = Catalogue::get();
    for line in lines() {
        let present = catalogue.option("taskmanager.heap.size", line).is_some();
        assert_eq!(present, !line.is_2x(), "{line}");
    }
}

#[test]
fn rocksdb_predefined_options_exist_in_every_line() {
    let catalogue = Catalogue::get();
    for line in lines() {
        let info = catalogue
            .option("state.backend.rocksdb.predefined-options", line)
            .unwrap();
        assert_eq!(info.default.as_deref(), Some("DEFAULT"), "{line}");
    }
}

#[test]
fn enum_options_list_their_constants() {
    let catalogue = Catalogue::get();
    for line in lines() {
        let info = catalogue
            .option("execution.checkpointing.mode", line)
            .unwrap();
        assert_eq!(
            info.value_type,
            ValueType::Enum(vec!["EXACTLY_ONCE".into(), "AT_LEAST_ONCE".into()]),
            "{line}"
        );
        assert_eq!(info.default.as_deref(), Some("EXACTLY_ONCE"));
    }
}

#[test]
fn durations_lists_maps_and_patterns_are_typed() {
    let catalogue = Catalogue::get();
    let timeout = catalogue
        .option("execution.checkpointing.timeout", v("2.3"))
        .unwrap();
    assert_eq!(timeout.value_type, ValueType::Duration);
    assert_eq!(timeout.default.as_deref(), Some("10 min"));
    // Heartbeat intervals were milliseconds as a Long until 1.19 and a Duration from 1.20.
    let heartbeat = |line| {
        catalogue
            .option("heartbeat.interval", line)
            .map(|info| info.value_type.clone())
    };
    assert_eq!(heartbeat(v("1.19")), Some(ValueType::Long));
    assert_eq!(heartbeat(v("1.20")), Some(ValueType::Duration));
    let includes = catalogue
        .option("metrics.reporter.<name>.filter.includes", v("2.3"))
        .unwrap();
    assert!(includes.pattern);
    assert_eq!(
        includes.value_type,
        ValueType::List(Box::new(ValueType::String))
    );
    let maps: Vec<&OptionInfo> = catalogue
        .histories()
        .filter_map(|h| h.at(v("2.3")))
        .filter(|info| info.value_type == ValueType::Map)
        .collect();
    assert!(maps.len() > 5 && maps.iter().all(|info| info.map_prefix));
}

#[test]
fn unknown_keys_are_unknown() {
    let catalogue = Catalogue::get();
    assert!(
        catalogue
            .any_version("taskmanager.memory.proces.size")
            .is_none()
    );
    assert!(catalogue.option("", v("2.3")).is_none());
    assert!(
        catalogue
            .owner_of_fallback("no.such.key", v("2.3"))
            .is_none()
    );
}

#[test]
fn report_size_and_parse_time() {
    // Measured, not asserted: a debug-build figure for the report.
    let start = std::time::Instant::now();
    let catalogue = Catalogue::parse(OPTIONS_TSV);
    let elapsed = start.elapsed();
    println!(
        "options.tsv: {} bytes, {} keys, parsed in {elapsed:?}",
        OPTIONS_TSV.len(),
        catalogue.histories().count()
    );
}
