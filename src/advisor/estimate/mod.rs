//! Estimators: pure functions that turn a plan (state per TaskManager, backend, checkpoint settings, bandwidths,
//! parallelism) into the durations and sizes the invariants (src/invariants/) judge it by. Each states its formula
//! and where it comes from; each constant is named. They are estimates for planning, not measurements: the
//! bandwidths and the state change rate are profile fields a user corrects (`upload-bandwidth`,
//! `download-bandwidth`, `state-change-rate`).

pub(crate) mod catch_up;
pub(crate) mod checkpoint_duration;
pub(crate) mod local_disk;
pub(crate) mod network_buffers;
pub(crate) mod replay_window;
pub(crate) mod restore_time;

use std::time::Duration;

use crate::flink::MemorySize;

/// The time to move `bytes` at `per_second`, rounded up to a millisecond; a zero rate takes forever (saturates).
pub(crate) fn transfer_time(bytes: MemorySize, per_second: MemorySize) -> Duration {
    if bytes.bytes() == 0 {
        return Duration::ZERO;
    }
    if per_second.bytes() == 0 {
        return Duration::MAX;
    }
    let millis = (u128::from(bytes.bytes()) * 1000).div_ceil(u128::from(per_second.bytes()));
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_time_is_bytes_over_rate() {
        let mib = MemorySize::mebibytes;
        assert_eq!(transfer_time(MemorySize::ZERO, mib(1)), Duration::ZERO);
        assert_eq!(transfer_time(mib(100), mib(100)), Duration::from_secs(1));
        // A part of a millisecond is a whole one: an estimate never rounds a transfer to nothing.
        assert_eq!(
            transfer_time(MemorySize::from_bytes(1), mib(1)),
            Duration::from_millis(1)
        );
        assert_eq!(
            transfer_time(MemorySize::from_bytes(1_048_577), mib(1)),
            Duration::from_millis(1001)
        );
        assert_eq!(transfer_time(mib(1), MemorySize::ZERO), Duration::MAX);
    }
}
