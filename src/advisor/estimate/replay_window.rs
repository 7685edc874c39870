//! How much input a job replays after a failure: everything since the last completed checkpoint started. Flink's
//! docs ("Checkpointing", `execution.checkpointing.tolerable-failed-checkpoints`, `timeout`, `min-pause`): a task
//! failure replays up to one interval plus the checkpoint in flight; a checkpoint that hangs runs until the timeout,
//! and each tolerated failure adds another timeout and pause before the job gives up and restarts.
//!
//! typical = interval + duration
//! worst   = interval + (tolerated + 1) x timeout + tolerated x min-pause
//! Replaying the window at the planned utilization u takes window x u (the job runs at 1/u of the input rate).

use std::time::Duration;

/// The checkpoint settings a replay depends on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckpointTimes {
    pub interval: Duration,
    pub timeout: Duration,
    pub min_pause: Duration,
    pub tolerated_failures: u32,
    /// The estimated duration of a steady checkpoint.
    pub duration: Duration,
}

/// Replay after a task failure while checkpoints succeed.
pub(crate) fn typical_window(times: &CheckpointTimes) -> Duration {
    times
        .interval
        .max(times.duration.saturating_add(times.min_pause))
        .saturating_add(times.duration)
}

/// Replay when checkpoints hang until their timeout, as many times as tolerated, before the job restarts.
pub(crate) fn worst_window(times: &CheckpointTimes) -> Duration {
    let failures = times.tolerated_failures;
    times
        .interval
        .saturating_add(times.timeout.saturating_mul(failures.saturating_add(1)))
        .saturating_add(times.min_pause.saturating_mul(failures))
}

/// The time to reprocess `window` of input at `utilization` (0-1] of the job's capacity.
pub(crate) fn replay_time(window: Duration, utilization: f64) -> Duration {
    window.mul_f64(utilization.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(tolerated: u32) -> CheckpointTimes {
        CheckpointTimes {
            interval: Duration::from_secs(60),
            timeout: Duration::from_secs(600),
            min_pause: Duration::from_secs(30),
            tolerated_failures: tolerated,
            duration: Duration::from_secs(5),
        }
    }

    #[test]
    fn a_typical_failure_replays_an_interval_and_a_checkpoint() {
        assert_eq!(typical_window(&times(0)), Duration::from_secs(65));
        // A checkpoint longer than the interval stretches the cycle by its pause.
        let mut slow = times(0);
        slow.duration = Duration::from_secs(50);
        assert_eq!(typical_window(&slow), Duration::from_secs(130));
    }

    #[test]
    fn each_tolerated_failure_adds_a_timeout_and_a_pause() {
        assert_eq!(worst_window(&times(0)), Duration::from_secs(660));
        assert_eq!(
            worst_window(&times(3)),
            Duration::from_secs(60 + 4 * 600 + 3 * 30)
        );
    }

    #[test]
    fn replay_takes_the_utilized_share_of_the_window() {
        assert_eq!(
            replay_time(Duration::from_secs(100), 0.7),
            Duration::from_secs(70)
        );
        assert_eq!(
            replay_time(Duration::from_secs(100), 2.0),
            Duration::from_secs(100)
        );
    }
}
