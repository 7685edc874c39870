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
