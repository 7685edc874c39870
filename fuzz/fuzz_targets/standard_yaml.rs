//! The config.yaml reader (also the profile reader's parser) on arbitrary text: no panic, no stack overflow, no
//! output beyond the alias budget plus a linear factor of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(loaded) = flinktune::parse_standard_yaml("config.yaml", text) {
        let size: usize = loaded
            .configuration
            .iter()
            .map(|(key, entry)| key.len() + entry.value.java_string().len())
            .sum();
        assert!(size <= 128 * text.len() + (2 << 20));
    }
});
