//! A warning for exactly-once sinks about the Kafka transaction timeout (issue 11, case 3). A Kafka sink in
//! EXACTLY_ONCE mode opens a transaction per checkpoint and commits it when the checkpoint completes; if the
//! transaction times out first, Kafka aborts it and its records are lost (Flink docs, "Kafka connector: Fault
//! Tolerance": the timeout must exceed the maximum checkpoint duration plus the restart time). The longest a
//! transaction waits is one interval plus a checkpoint that runs to its timeout. The timeout is a producer property
//! of the job, not a Flink option, so flinktune can only name it and its numbers (src/flink/kafka.rs).

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::kafka;
use crate::profile::Runtime;

use super::AdviceInput;

/// The warning, for a streaming job with exactly-once sinks and checkpointing on.
pub(crate) fn warning(
    input: &AdviceInput,
    interval: Option<Duration>,
    timeout: Option<Duration>,
) -> Option<String> {
    let profile = input.profile;
    if profile.runtime != Runtime::Streaming || !profile.exactly_once_sinks {
        return None;
    }
    let interval = interval?;
    // Unwritten, the timeout is Flink's default.
    let timeout = timeout.unwrap_or(crate::flink::job_options::CHECKPOINT_DEFAULT_TIMEOUT);
    let longest = interval.saturating_add(timeout);
    let broker_cap = kafka::BROKER_MAX_TRANSACTION_TIMEOUT_DEFAULT;
    let over_cap = if longest >= broker_cap {
        format!(
            "; that is over the brokers' default {} {}, so raise that on the brokers too",
            kafka::BROKER_MAX_TRANSACTION_TIMEOUT,
            FlinkDuration(broker_cap)
        )
    } else {
        format!(
            ", and within the brokers' {} ({} by default)",
            kafka::BROKER_MAX_TRANSACTION_TIMEOUT,
            FlinkDuration(broker_cap)
        )
    };
    Some(format!(
        "exactly-once Kafka sinks: set the producer's {} (in SQL '{}') above the checkpoint interval plus its timeout \
         ({} + {} = {}) plus the time a restart takes, or Kafka aborts a transaction before the checkpoint that \
         commits it completes and its records are lost{over_cap}",
        kafka::TRANSACTION_TIMEOUT,
        kafka::SQL_TRANSACTION_TIMEOUT,
        FlinkDuration(interval),
        FlinkDuration(timeout),
        FlinkDuration(longest),
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::advisor::test_support::{advise, input};
    use crate::advisor::{HostSpec, Pins};
    use crate::flink::MemorySize;
    use crate::host::DiskKind;
    use crate::profile::embedded::embedded_profile;

    #[test]
    fn exactly_once_sinks_are_told_the_transaction_timeout_with_its_numbers() {
        let advice = advise(8.0, 32, "low-latency", "2.3", |_, p| {
            p.latency_target = Some(Duration::from_millis(100));
            p.checkpoint_dir = Some("s3://b/ckpt".into());
        })
        .unwrap();
        let warning = advice
            .warnings
            .iter()
            .find(|w| w.contains("transaction.timeout.ms"))
            .unwrap_or_else(|| panic!("{:?}", advice.warnings));
        assert!(
            warning.contains("properties.transaction.timeout.ms"),
            "{warning}"
        );
        assert!(warning.contains("100 ms + 1 min"), "{warning}");
        let balanced = advise(8.0, 32, "balanced", "2.3", |_, p| {
            p.checkpoint_dir = Some("s3://b/ckpt".into());
        })
        .unwrap();
        assert!(!balanced.warnings.iter().any(|w| w.contains("transaction")));
    }

    /// The brokers' cap (15 min by default) is named as within reach below it, and as to be raised from it on: a
    /// transaction that lives exactly as long as the cap is already aborted by the brokers.
    #[test]
    fn a_transaction_that_reaches_the_brokers_cap_tells_to_raise_it() {
        let host = HostSpec::planned(8.0, MemorySize::gibibytes(32), DiskKind::Ssd);
        let profile = embedded_profile("low-latency").unwrap();
        let input = input(&host, &profile, "2.3".parse().unwrap(), Pins::default());
        let minutes = |m: u64| Some(Duration::from_secs(m * 60));
        let within = warning(&input, minutes(4), minutes(10)).unwrap();
        assert!(within.contains("4 min + 10 min = 14 min"), "{within}");
        assert!(
            within.ends_with(
                ", and within the brokers' transaction.max.timeout.ms (15 min by default)"
            ),
            "{within}"
        );
        for (interval, timeout) in [(5, 10), (10, 10)] {
            let over = warning(&input, minutes(interval), minutes(timeout)).unwrap();
            assert!(over.ends_with(
                "; that is over the brokers' default transaction.max.timeout.ms 15 min, so raise that on the brokers too"
            ), "{over}");
        }
    }
}
