//! The state size the rules plan with. An unknown size is its own case (issue 11): assuming 10 GiB picked RocksDB
//! for a job with 20 MiB of state and made it 3x slower than Flink's defaults (measured on Flink 2.3.0: 190k rec/s
//! with the heap backend against 60k with RocksDB). Unknown state plans as small, so the heap backend serves it, and
//! the backend's reason states how much state that holds.

use crate::flink::MemorySize;
use crate::profile::JobProfile;

/// The size the layout plans for: the declared (or measured) one, or none at all when unknown.
pub(crate) fn planned(profile: &JobProfile) -> MemorySize {
    profile.state_size.unwrap_or(MemorySize::ZERO)
}

/// The planned state per TaskManager for a setting's inputs: "unknown" rather than a size nobody gave.
pub(crate) fn shown_per_taskmanager(profile: &JobProfile, per_taskmanager: MemorySize) -> String {
    match profile.state_size {
        Some(_) => crate::text::units::show(per_taskmanager),
        None => "unknown".to_string(),
    }
}

/// What the user can do when the state size is unknown, for reasons and warnings.
pub(crate) const HOW_TO_TELL: &str = "pass --state-size (or state-size in the profile), or run recommend --from-cluster on the running job";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_state_is_shown_per_taskmanager_and_an_unknown_one_as_unknown() {
        let mut profile = crate::profile::embedded::embedded_profile("balanced").unwrap();
        assert_eq!(shown_per_taskmanager(&profile, MemorySize::ZERO), "unknown");
        profile.state_size = Some(MemorySize::gibibytes(6));
        assert_eq!(
            shown_per_taskmanager(&profile, MemorySize::gibibytes(2)),
            "2 GiB"
        );
    }
}
