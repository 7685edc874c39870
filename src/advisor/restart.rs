//! Restart strategy and failover (Flink docs: "Task Failure Recovery"). Every parameter of the chosen strategy is
//! written, with the target release's defaults where flinktune has no reason to differ, so the file shows exactly
//! what the job will do. Failover is `region`: only the pipelined region of the failed task restarts.

use std::time::Duration;

use crate::flink::duration::FlinkDuration;
use crate::flink::job_options::{
    FAILOVER_REGION, FAILURE_RATE_DEFAULT_DELAY, RestartStrategyKind, VersionedKey, cluster,
    exponential_delay_defaults, restart,
};
use crate::profile::{Purpose, Runtime};

use super::AdviceInput;
use super::checkpointing::{STEPS, step_at_most};
use super::setting::{Group, Input, Setting, SettingValue};

/// Bounded retries for batch and explicit fixed-delay: three tries absorb a lost machine or a flaky dependency; a
/// fourth failure is a bug to look at. Ten seconds lets a replacement TaskManager register.
pub(crate) const RETRY_ATTEMPTS: i64 = 3;
pub(crate) const RETRY_DELAY: Duration = Duration::from_secs(10);
/// failure-rate: this many failures within the interval fail the job.
pub(crate) const FAILURE_RATE_MAX_FAILURES: i64 = 3;
pub(crate) const FAILURE_RATE_INTERVAL: Duration = Duration::from_secs(300);

pub(crate) fn settings(input: &AdviceInput) -> Vec<Setting> {
    let profile = input.profile;
    let version = input.version;
    let (kind, why) = match profile.restart_strategy.fixed() {
        Some(kind) => (kind, format!("chosen in the profile (restart-strategy: {})", kind.flink_name())),
        None if profile.purpose == Purpose::Development => (
            RestartStrategyKind::Off,
            "development: a failure surfaces at once instead of hiding behind restarts".to_string(),
        ),
        None if profile.runtime == Runtime::Batch => (
            RestartStrategyKind::FixedDelay,
            "batch: a few retries of the failed region, then the job fails for a look".to_string(),
        ),
        None => (
            RestartStrategyKind::ExponentialDelay,
            "production streaming: restart quickly after a blip, back off while a dependency is down (the default \
             Flink 1.19 adopted for checkpointed jobs)"
                .to_string(),
        ),
    };
    let mut settings = vec![
        Setting::new(
            Group::Recovery,
            restart::STRATEGY.for_version(version),
            SettingValue::Word(kind.flink_name()),
            why,
        )
        .from_inputs([
            Input::new("profile.purpose", profile.purpose),
            Input::new("profile.runtime", profile.runtime),
            Input::new("profile.restart-strategy", profile.restart_strategy),
        ]),
    ];
    let duration = |versioned: VersionedKey, value, why: &str| {
        Setting::new(
            Group::Recovery,
            versioned.for_version(version),
            SettingValue::Duration(value),
            why,
        )
    };
    match kind {
        RestartStrategyKind::Off => {}
        RestartStrategyKind::FixedDelay => {
            settings.push(Setting::new(
                Group::Recovery,
                restart::FIXED_DELAY_ATTEMPTS.for_version(version),
                SettingValue::Integer(RETRY_ATTEMPTS),
                "three tries absorb a lost machine or a flaky dependency (Flink's default is 1)",
            ));
            settings.push(duration(
                restart::FIXED_DELAY_DELAY,
                RETRY_DELAY,
                "time for a replacement TaskManager to register",
            ));
        }
        RestartStrategyKind::FailureRate => {
            settings.push(Setting::new(
                Group::Recovery,
                restart::FAILURE_RATE_MAX_FAILURES.for_version(version),
                SettingValue::Integer(FAILURE_RATE_MAX_FAILURES),
                "more than three failures in five minutes is a persistent fault, not a blip",
            ));
            settings.push(duration(
                restart::FAILURE_RATE_INTERVAL,
                FAILURE_RATE_INTERVAL,
                "the window failures are counted in",
            ));
            settings.push(duration(
                restart::FAILURE_RATE_DELAY,
                FAILURE_RATE_DEFAULT_DELAY,
                "Flink's default",
            ));
        }
        RestartStrategyKind::ExponentialDelay => {
            let defaults = exponential_delay_defaults(version);
            let rto = profile.recovery_time_objective;
            // One backoff must leave room for the restore and replay within the recovery objective.
            // Under 400 ms of objective, the smallest step (a backoff shorter than that restarts in a tight loop).
            let max_backoff = defaults
                .max_backoff
                .min(step_at_most(rto / 4).unwrap_or(STEPS[0]));
            settings.push(duration(
                restart::EXPONENTIAL_INITIAL_BACKOFF,
                defaults.initial_backoff,
                "Flink's default",
            ));
            settings.push(
                duration(
                    restart::EXPONENTIAL_MAX_BACKOFF,
                    max_backoff,
                    &if max_backoff < defaults.max_backoff {
                        format!(
                            "a quarter of the {} recovery objective (Flink {version}'s default is {})",
                            FlinkDuration(rto),
                            FlinkDuration(defaults.max_backoff)
                        )
                    } else {
                        format!("Flink {version}'s default, within the {} recovery objective", FlinkDuration(rto))
                    },
                )
                .from_inputs([Input::new("profile.recovery-time-objective", FlinkDuration(rto))]),
            );
            settings.push(Setting::new(
                Group::Recovery,
                restart::EXPONENTIAL_MULTIPLIER.for_version(version),
                SettingValue::Decimal(defaults.multiplier),
                format!("Flink {version}'s default"),
            ));
            settings.push(duration(
                restart::EXPONENTIAL_RESET_THRESHOLD,
                defaults.reset_threshold,
                "Flink's default: an hour without failure resets the backoff",
            ));
            settings.push(Setting::new(
                Group::Recovery,
                restart::EXPONENTIAL_JITTER.for_version(version),
                SettingValue::Decimal(defaults.jitter),
                "Flink's default: spreads restarts of many jobs after a shared outage",
            ));
            if let (Some(attempts), Some(attempts_key)) = (
                defaults.attempts_before_reset,
                restart::EXPONENTIAL_ATTEMPTS_BEFORE_RESET.spelled_for(version),
            ) {
                settings.push(Setting::new(
                    Group::Recovery,
                    attempts_key,
                    SettingValue::Integer(i64::from(attempts)),
                    "Flink's default: retry without limit; the backoff keeps the load bounded",
                ));
            }
        }
    }
    if kind != RestartStrategyKind::Off {
        settings.push(Setting::new(
            Group::Recovery,
            cluster::FAILOVER_STRATEGY.for_version(version),
            SettingValue::Word(FAILOVER_REGION),
            "restart only the pipelined region of the failed task, not the whole job",
        ));
    }
    settings
}

#[cfg(test)]
mod tests {
    use crate::advisor::test_support::{advise, value};
    use crate::profile::RestartChoice;

    #[test]
    fn strategy_by_purpose_and_runtime() {
        let dev = advise(4.0, 16, "dev-session", "2.3", |_, _| {}).unwrap();
        assert_eq!(value(&dev, "restart-strategy.type").as_deref(), Some("off"));
        assert_eq!(value(&dev, "restart-strategy.fixed-delay.attempts"), None);
        let batch = advise(4.0, 16, "batch", "2.3", |_, _| {}).unwrap();
        assert_eq!(
            value(&batch, "restart-strategy.type").as_deref(),
            Some("fixed-delay")
        );
        assert_eq!(
            value(&batch, "restart-strategy.fixed-delay.attempts").as_deref(),
            Some("3")
        );
        assert_eq!(
            value(&batch, "restart-strategy.fixed-delay.delay").as_deref(),
            Some("10 s")
        );
        assert_eq!(
            value(&batch, "jobmanager.execution.failover-strategy").as_deref(),
            Some("region")
        );
        // Nothing restarts, so no failover strategy either.
        assert_eq!(value(&dev, "jobmanager.execution.failover-strategy"), None);
    }

    #[test]
    fn exponential_delay_carries_the_release_defaults() {
        let new = advise(4.0, 16, "balanced", "1.19", |_, _| {}).unwrap();
        assert_eq!(
            value(&new, "restart-strategy.exponential-delay.max-backoff").as_deref(),
            Some("1 min")
        );
        assert_eq!(
            value(
                &new,
                "restart-strategy.exponential-delay.backoff-multiplier"
            )
            .as_deref(),
            Some("1.5")
        );
        assert_eq!(
            value(
                &new,
                "restart-strategy.exponential-delay.attempts-before-reset-backoff"
            )
            .as_deref(),
            Some("2147483647")
        );
        // 1.18: multiplier 2.0, no attempts-before-reset; the 5 min default backoff is cut to a quarter of the
        // 5 min recovery objective (75 s, rounded down to a step).
        let old = advise(4.0, 16, "balanced", "1.18", |_, _| {}).unwrap();
        assert_eq!(
            value(
                &old,
                "restart-strategy.exponential-delay.backoff-multiplier"
            )
            .as_deref(),
            Some("2.0")
        );
        assert_eq!(
            value(&old, "restart-strategy.exponential-delay.max-backoff").as_deref(),
            Some("1 min")
        );
        assert_eq!(
            value(
                &old,
                "restart-strategy.exponential-delay.attempts-before-reset-backoff"
            ),
            None
        );
        let patient = advise(4.0, 16, "balanced", "1.18", |_, p| {
            p.recovery_time_objective = std::time::Duration::from_secs(3600)
        })
        .unwrap();
        assert_eq!(
            value(&patient, "restart-strategy.exponential-delay.max-backoff").as_deref(),
            Some("5 min")
        );
    }

    #[test]
    fn failure_rate_when_asked() {
        let advice = advise(4.0, 16, "balanced", "2.3", |_, p| {
            p.restart_strategy = RestartChoice::FailureRate
        })
        .unwrap();
        assert_eq!(
            value(&advice, "restart-strategy.type").as_deref(),
            Some("failure-rate")
        );
        assert_eq!(
            value(
                &advice,
                "restart-strategy.failure-rate.max-failures-per-interval"
            )
            .as_deref(),
            Some("3")
        );
        assert_eq!(
            value(
                &advice,
                "restart-strategy.failure-rate.failure-rate-interval"
            )
            .as_deref(),
            Some("5 min")
        );
        assert_eq!(
            value(&advice, "restart-strategy.failure-rate.delay").as_deref(),
            Some("1 s")
        );
    }

    /// Worked examples added for issue 15 (docs/mutants.md).
    mod worked_examples {
        use super::*;

        #[test]
        fn the_max_backoff_reason_says_whether_the_recovery_objective_cut_it() {
            let why = |objective: u64| {
                let advice = advise(4.0, 16, "balanced", "1.18", |_, p| {
                    p.recovery_time_objective = std::time::Duration::from_secs(objective)
                })
                .unwrap();
                advice
                    .settings
                    .iter()
                    .find(|s| s.key == "restart-strategy.exponential-delay.max-backoff")
                    .map(|s| (s.value.to_string(), s.why.clone()))
                    .unwrap()
            };
            // A quarter of 5 min is 75 s: the 1 min step, under 1.18's 5 min default.
            assert_eq!(
                why(300),
                (
                    "1 min".to_string(),
                    "a quarter of the 5 min recovery objective (Flink 1.18's default is 5 min)"
                        .to_string()
                )
            );
            // A quarter of 20 min is exactly the default, which stands.
            assert_eq!(
                why(1200),
                (
                    "5 min".to_string(),
                    "Flink 1.18's default, within the 20 min recovery objective".to_string()
                )
            );
        }
    }
}
