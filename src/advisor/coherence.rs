//! The advisor's last step: its own settings judged by the invariants `check` uses (src/invariants/), so that what
//! `recommend` writes is what `check` finds coherent. An error-level violation is never returned: the rules are
//! meant to plan around every one, and where the inputs leave no way around it the advice fails with the violation,
//! which names the input to change. Warnings travel with the advice.

use crate::invariants::{Deployment, Level, evaluate};

use super::error::AdviceError;
use super::pins::Pins;
use super::setting::Setting;
use super::{AdviceInput, as_configuration};

/// The warnings the plan keeps, or the first error it breaks.
pub(crate) fn judge(input: &AdviceInput, settings: &[Setting]) -> Result<Vec<String>, AdviceError> {
    verdict(&Deployment::from_configuration(
        &as_configuration(settings),
        input.version,
        Some(input.host),
        Some(input.profile),
    ))
    .map_err(|error| blame_pins(error, &input.pins))
}

/// An error-level violation of a plan with pins is the pins' doing (the rules plan around every invariant they
/// are free to): the error names the pin the rule is about, else every pin.
fn blame_pins(error: AdviceError, pins: &Pins) -> AdviceError {
    let AdviceError::Incoherent(violation) = error else {
        return error;
    };
    if pins.is_empty() {
        return AdviceError::Incoherent(violation);
    }
    let about = pins
        .keys()
        .find(|key| violation.contains(key.as_ref()))
        .and_then(|key| pins.flag(key));
    AdviceError::PinBreaks {
        pins: about.unwrap_or_else(|| pins.flags().join(" ")),
        violation,
    }
}

/// [`judge`] for settings changed after the advice (a measurement folded in by `recommend --from-cluster`), with
/// the rules that need no host or hints.
pub(crate) fn judge_settings(
    version: crate::flink::FlinkVersion,
    settings: &[Setting],
) -> Result<Vec<String>, AdviceError> {
    verdict(&Deployment::from_configuration(
        &as_configuration(settings),
        version,
        None,
        None,
    ))
}

fn verdict(deployment: &Deployment) -> Result<Vec<String>, AdviceError> {
    let violations = evaluate(deployment);
    if let Some(error) = violations.iter().find(|v| v.level == Level::Error) {
        return Err(AdviceError::Incoherent(error.one_line()));
    }
    Ok(violations
        .iter()
        .map(|violation| violation.one_line())
        .collect())
}

#[cfg(test)]
mod worked_examples {
    use super::*;
    use crate::advisor::setting::{Group, SettingValue};

    fn setting(key: &'static str, value: SettingValue) -> Setting {
        Setting::new(Group::Memory, key, value, "")
    }

    #[test]
    fn settings_changed_after_the_advice_keep_their_warnings_and_fail_on_an_error() {
        let version = "2.3".parse().unwrap();
        // A 4 GiB TaskManager with only the network minimum set: FT-NET-002, a warning.
        let mut settings = vec![
            setting(
                "taskmanager.memory.process.size",
                SettingValue::Size(crate::flink::MemorySize::gibibytes(4)),
            ),
            setting(
                "taskmanager.memory.network.min",
                SettingValue::Size(crate::flink::MemorySize::mebibytes(128)),
            ),
        ];
        assert_eq!(
            judge_settings(version, &settings),
            Ok(vec![
                "FT-NET-002: taskmanager.memory.network.min is set without taskmanager.memory.network.max, which keeps \
                 Flink's default; set taskmanager.memory.network.max too, so the pair states the range you planned"
                    .to_string()
            ])
        );
        // 8 slots among 1000 subtasks need 8 x 2 x 3009 buffers of 32 KiB (1.5 GiB); the TaskManager's tenth of
        // Flink memory is 343 MiB: FT-NET-001, an error.
        settings.push(setting(
            "taskmanager.numberOfTaskSlots",
            SettingValue::Integer(8),
        ));
        settings.push(setting("parallelism.default", SettingValue::Integer(1000)));
        let error = judge_settings(version, &settings).unwrap_err();
        assert!(
            matches!(&error, AdviceError::Incoherent(line)
                if line.starts_with("FT-NET-001: 8 slots exchanging data among 1000 subtasks need about 1.5 GiB")),
            "{error}"
        );
    }
}
