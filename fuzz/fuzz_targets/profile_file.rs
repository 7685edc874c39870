//! A user's job profile file (`--profile FILE`) on arbitrary text: no panic; a profile that loads names itself after
//! the file and keeps every duration a span that passes (the reader refuses anything under 1 ms).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(profile) = flinktune::file_profile(Path::new("fuzz.yaml"), text) {
        assert_eq!(profile.name, "fuzz");
        assert!(profile.recovery_time_objective.as_millis() >= 1);
        if let Some(interval) = profile.checkpoint_interval {
            assert!(interval.as_millis() >= 1);
        }
    }
});
