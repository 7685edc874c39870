//! Latency settings for jobs with a latency target (issue 11, case 3). Flink's docs ("Network Buffers: buffer
//! timeout", "Buffer Debloating"): a record waits in its output buffer until the buffer fills or the buffer timeout
//! (100 ms by default) passes, at every exchange, so a 100 ms target is spent by the default alone; buffer
//! debloating keeps in-flight data to about a second of throughput, so that backpressure does not queue seconds of
//! records (and checkpoint barriers) ahead of new ones. Transactional (exactly-once) sinks publish only when a
//! checkpoint completes, so their output lags by the interval plus the checkpoint's own duration, whatever the rest
//! of the pipeline does: said as a warning, not hidden.

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::checkpointing;
use crate::profile::Runtime;

use super::AdviceInput;
use super::checkpointing::LATENCY_SENSITIVE;
use super::estimate::checkpoint_duration::SYNC_PHASE;
use super::estimate::network_buffers::SHUFFLES_PER_SLOT;
use super::setting::{Group, Input, Setting, SettingValue};

/// Flink's default buffer timeout.
pub(crate) const DEFAULT_BUFFER_TIMEOUT: Duration = Duration::from_millis(100);
/// The share of the latency target buffer flushing may take across the job's exchanges: a tenth.
pub(crate) const FLUSH_SHARE: u32 = 10;
/// Flink flushes at most every millisecond that is asked for; 0 would flush after every record.
pub(crate) const MIN_BUFFER_TIMEOUT: Duration = Duration::from_millis(1);

/// The buffer timeout and debloating for a latency-sensitive job; warnings where exactly-once sinks cannot meet the
/// target. `interval` is the planned checkpoint interval, if any.
pub(crate) fn settings(
    input: &AdviceInput,
    interval: Option<Duration>,
    warnings: &mut Vec<String>,
) -> Vec<Setting> {
    let profile = input.profile;
    let Some(target) = profile
        .latency_target
        .filter(|_| profile.runtime == Runtime::Streaming)
    else {
        return Vec::new();
    };
    let version = input.version;
    let mut settings = Vec::new();
    let exchanges = u32::try_from(SHUFFLES_PER_SLOT).unwrap_or(1);
    let flush_budget = target / (FLUSH_SHARE * exchanges);
    if flush_budget < DEFAULT_BUFFER_TIMEOUT {
        let timeout = Duration::from_millis(u64::try_from(flush_budget.as_millis()).unwrap_or(0))
            .max(MIN_BUFFER_TIMEOUT);
        settings.push(
            Setting::new(
                Group::Checkpointing,
                checkpointing::BUFFER_TIMEOUT.for_version(version),
                SettingValue::Duration(timeout),
                format!(
                    "a record may wait up to the buffer timeout at each of about {exchanges} exchanges; Flink's {} \
                     default would take {} of the {} target, so {} keeps flushing to a tenth of it (at some \
                     throughput cost: fuller buffers are cheaper)",
                    FlinkDuration(DEFAULT_BUFFER_TIMEOUT),
                    FlinkDuration(DEFAULT_BUFFER_TIMEOUT * exchanges),
                    FlinkDuration(target),
                    FlinkDuration(timeout)
                ),
            )
            .from_inputs([Input::new("profile.latency-target", FlinkDuration(target))]),
        );
    }
    if target <= LATENCY_SENSITIVE {
        settings.push(Setting::new(
            Group::Checkpointing,
            checkpointing::BUFFER_DEBLOAT.for_version(version),
            SettingValue::Bool(true),
            format!(
                "a {} target: in-flight buffers sized to about a second of throughput, so backpressure does not queue \
                 seconds of records ahead of new ones (and of checkpoint barriers)",
                FlinkDuration(target)
            ),
        ));
    }
    if profile.exactly_once_sinks
        && let Some(interval) = interval
    {
        let lag = interval.saturating_add(SYNC_PHASE);
        if lag > target {
            warnings.push(format!(
                "exactly-once sinks publish only when a checkpoint completes: every {} plus at least {} to complete, \
                 more than the {} latency target; readers of the sink see output no sooner, whatever else is tuned \
                 (use at-least-once sinks, or a target of {} or more)",
                FlinkDuration(interval),
                FlinkDuration(SYNC_PHASE),
                FlinkDuration(target),
                FlinkDuration(lag)
            ));
        }
    }
    settings
}

#[cfg(test)]
mod worked_examples {
    //! Worked examples of the rule: a tenth of the target over two exchanges is the buffer timeout when that is under
    //! Flink's 100 ms (at least 1 ms); debloating at 2 s or less; exactly-once output lags the interval plus 200 ms.
    use super::*;
    use crate::flink::MemorySize;
    use crate::host::{DiskKind, HostSpec};
    use crate::profile::embedded::embedded_profile;

    /// The settings as (key, value, why) and the warnings for a balanced job with `target`.
    fn latency(
        target: Duration,
        interval: Option<Duration>,
        edit: impl FnOnce(&mut crate::profile::JobProfile),
    ) -> (Vec<(String, String, String)>, Vec<String>) {
        let host = HostSpec::planned(4.0, MemorySize::gibibytes(16), DiskKind::Ssd);
        let mut profile = embedded_profile("balanced").unwrap();
        profile.latency_target = Some(target);
        edit(&mut profile);
        let input = crate::advisor::test_support::input(
            &host,
            &profile,
            "2.3".parse().unwrap(),
            crate::advisor::Pins::default(),
        );
        let mut warnings = Vec::new();
        let settings = settings(&input, interval, &mut warnings)
            .into_iter()
            .map(|setting| {
                (
                    setting.key.to_string(),
                    setting.value.to_string(),
                    setting.why,
                )
            })
            .collect();
        (settings, warnings)
    }

    const TIMEOUT: &str = "execution.buffer-timeout.interval";
    const DEBLOAT: &str = "taskmanager.network.memory.buffer-debloat.enabled";

    fn keys(settings: &[(String, String, String)]) -> Vec<(&str, &str)> {
        settings
            .iter()
            .map(|(key, value, _)| (key.as_str(), value.as_str()))
            .collect()
    }

    #[test]
    fn the_buffer_timeout_is_a_tenth_of_the_target_over_two_exchanges() {
        // 1 s: 1000 ms / (10 x 2) = 50 ms, under Flink's 100 ms.
        let (settings, _) = latency(Duration::from_secs(1), None, |_| {});
        assert_eq!(keys(&settings), [(TIMEOUT, "50 ms"), (DEBLOAT, "true")]);
        assert_eq!(
            settings[0].2,
            "a record may wait up to the buffer timeout at each of about 2 exchanges; Flink's 100 ms default would \
             take 200 ms of the 1 s target, so 50 ms keeps flushing to a tenth of it (at some throughput cost: fuller \
             buffers are cheaper)"
        );
        assert_eq!(
            settings[1].2,
            "a 1 s target: in-flight buffers sized to about a second of throughput, so backpressure does not queue \
             seconds of records ahead of new ones (and of checkpoint barriers)"
        );
        // 2 s: exactly 100 ms, Flink's default stands; 2 s is still latency-sensitive.
        let (settings, _) = latency(Duration::from_secs(2), None, |_| {});
        assert_eq!(keys(&settings), [(DEBLOAT, "true")]);
        // Past 2 s, neither.
        let (settings, _) = latency(Duration::from_millis(2001), None, |_| {});
        assert_eq!(keys(&settings), []);
        // 10 ms: half a millisecond, raised to Flink's 1 ms floor.
        let (settings, _) = latency(Duration::from_millis(10), None, |_| {});
        assert_eq!(keys(&settings), [(TIMEOUT, "1 ms"), (DEBLOAT, "true")]);
        // A batch job has no latency target to tune for.
        let (settings, _) = latency(Duration::from_secs(1), None, |p| {
            p.runtime = crate::profile::Runtime::Batch
        });
        assert_eq!(keys(&settings), []);
    }

    #[test]
    fn exactly_once_output_lags_the_interval_plus_the_synchronous_phase() {
        let exactly_once = |p: &mut crate::profile::JobProfile| p.exactly_once_sinks = true;
        let second = Some(Duration::from_secs(1));
        // 1 s + 200 ms = 1.2 s: a 1.2 s target is met, a 1.1 s one is not.
        assert!(
            latency(Duration::from_millis(1200), second, exactly_once)
                .1
                .is_empty()
        );
        assert_eq!(
            latency(Duration::from_millis(1100), second, exactly_once).1,
            [
                "exactly-once sinks publish only when a checkpoint completes: every 1 s plus at least 200 ms to \
                 complete, more than the 1100 ms latency target; readers of the sink see output no sooner, whatever \
                 else is tuned (use at-least-once sinks, or a target of 1200 ms or more)"
            ]
        );
        // At-least-once sinks, or no checkpoints: no lag to warn of.
        assert!(
            latency(Duration::from_millis(1100), second, |_| {})
                .1
                .is_empty()
        );
        assert!(
            latency(Duration::from_millis(1100), None, exactly_once)
                .1
                .is_empty()
        );
    }
}
