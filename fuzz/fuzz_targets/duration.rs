//! Flink's duration syntax (`TimeUtils.parseDuration`) on arbitrary text: no panic, no overflow, and a parsed value
//! reads back the same from its milliseconds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(duration) = flinktune::parse_duration(text) {
        assert_eq!(duration.subsec_nanos() % 1_000_000, 0, "whole milliseconds");
        let again = flinktune::parse_duration(&format!("{} ms", duration.as_millis()));
        assert_eq!(again, Ok(duration));
    }
});
