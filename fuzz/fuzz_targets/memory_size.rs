//! Flink's size syntax on arbitrary text: no panic, no overflow past Long.MAX_VALUE.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(size) = flinktune::MemorySize::parse(text) {
        assert!(size.bytes() <= i64::MAX as u64);
        let _ = size.human_readable();
    }
});
