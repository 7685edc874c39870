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
