//! The legacy flink-conf.yaml reader on arbitrary text: no panic, output no larger than the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let loaded = flinktune::parse_legacy_file("flink-conf.yaml", text);
    let size: usize = loaded
        .configuration
        .iter()
        .map(|(key, entry)| key.len() + entry.value.java_string().len())
        .sum();
    assert!(size <= text.len());
});
