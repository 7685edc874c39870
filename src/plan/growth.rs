//! Growth over the horizon: the input rate and the state compound monthly; the planned cluster (its host count
//! fixed) is planned again by the advisor for each month's load, with the job on every slot, and runs out of
//! headroom the first month its utilization passes the target or the advisor can no longer place the state. The
//! hosts needed at the horizon's end say how far to grow then.

use crate::flink::MemorySize;

use super::advise::{Load, advise};
use super::capacity::{covers, size, utilization, widest};
use super::inputs::{Growth, HostType, PlanInput};

/// The longest horizon a plan looks over: ten years of monthly steps.
pub(crate) const MAX_HORIZON_MONTHS: u32 = 120;

/// One month of the horizon.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Month {
    pub month: u32,
    pub input_rate: u64,
    pub state_size: Option<MemorySize>,
    /// With the job on every slot of the planned cluster; `None` when the advisor cannot plan it.
    pub utilization: Option<f64>,
    pub within_headroom: bool,
}

/// A host type's planned cluster over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Horizon {
    pub months: Vec<Month>,
    /// The first month it runs out of headroom, if within the horizon.
    pub runs_out: Option<u32>,
    /// Hosts needed for the load at the horizon's end (or why it cannot be sized).
    pub hosts_at_end: Result<u32, String>,
}

/// The load after `months`.
pub(crate) fn load_at(input: &PlanInput, months: u32) -> Load {
    Load {
        input_rate: Growth::grown(input.input_rate, input.growth.rate_per_month, months),
        state_size: input.profile.state_size.map(|state| {
            MemorySize::from_bytes(Growth::grown(
                state.bytes(),
                input.growth.state_per_month,
                months,
            ))
        }),
    }
}

pub(crate) fn horizon(input: &PlanInput, host_type: &HostType, hosts: u32) -> Horizon {
    let mut months = Vec::new();
    for month in 0..=input.growth.horizon_months.min(MAX_HORIZON_MONTHS) {
        let load = load_at(input, month);
        let busy = advise(input, host_type, hosts, load).ok().map(|advised| {
            utilization(
                load.input_rate,
                widest(advised.recommendation.layout.total_slots()),
                input.slot_throughput,
            )
        });
        months.push(Month {
            month,
            input_rate: load.input_rate,
            state_size: load.state_size,
            utilization: busy,
            within_headroom: busy.is_some_and(|busy| covers(busy, input.target_utilization)),
        });
    }
    let runs_out = months
        .iter()
        .find(|month| !month.within_headroom)
        .map(|month| month.month);
    let end = load_at(input, input.growth.horizon_months.min(MAX_HORIZON_MONTHS));
    Horizon {
        months,
        runs_out,
        hosts_at_end: size(input, host_type, end).map(|sized| sized.hosts),
    }
}

/// `8%/month`, `8%` (per month), `20%/year` (compounded to a monthly rate), `0`: a monthly growth fraction.
pub(crate) fn parse_growth(text: &str) -> Result<f64, String> {
    let example = "write a percentage per month or year, e.g. 8%/month or 40%/year";
    let trimmed = text.trim();
    let (number, per_year) = match trimmed.split_once('/') {
        Some((number, unit)) => match unit.trim() {
            "month" | "mo" | "m" => (number, false),
            "year" | "yr" | "y" => (number, true),
            other => return Err(format!("'{other}' is not month or year; {example}")),
        },
        None => (trimmed, false),
    };
    let number = number.trim().strip_suffix('%').unwrap_or(number).trim();
    let percent: f64 = number
        .parse()
        .ok()
        .filter(|value: &f64| value.is_finite() && *value > -100.0 && *value <= 1000.0)
        .ok_or_else(|| format!("'{text}' is not a growth rate; {example}"))?;
    let fraction = percent / 100.0;
    Ok(if per_year {
        (1.0 + fraction).powf(1.0 / 12.0) - 1.0
    } else {
        fraction
    })
}

/// `12mo`, `12 months`, `18`, `2y`, `1 year`: the horizon in months (0 to [`MAX_HORIZON_MONTHS`]).
pub(crate) fn parse_horizon(text: &str) -> Result<u32, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: u32 = number.parse().map_err(|_| {
        format!("'{text}' is not a horizon; write months or years, e.g. 12mo or 2y")
    })?;
    let months = match unit.trim() {
        "" | "mo" | "month" | "months" => Some(number),
        "y" | "yr" | "year" | "years" => number.checked_mul(12),
        other => {
            return Err(format!(
                "'{other}' is not a unit of the horizon; write e.g. 12mo or 2y"
            ));
        }
    };
    months
        .filter(|months| *months <= MAX_HORIZON_MONTHS)
        .ok_or_else(|| format!("'{text}' is longer than {MAX_HORIZON_MONTHS} months"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_rates_per_month_and_year() {
        assert_eq!(parse_growth("8%/month"), Ok(0.08));
        assert_eq!(parse_growth("8%"), Ok(0.08));
        assert_eq!(parse_growth("0"), Ok(0.0));
        let yearly = parse_growth("44%/year").unwrap();
        assert!(((1.0 + yearly).powi(12) - 1.44).abs() < 1e-9);
        assert!(parse_growth("fast").is_err());
        assert!(parse_growth("8%/week").is_err());
        assert!(parse_growth("-100%").is_err());
    }

    #[test]
    fn horizons_in_months_and_years() {
        assert_eq!(parse_horizon("12mo"), Ok(12));
        assert_eq!(parse_horizon("18"), Ok(18));
        assert_eq!(parse_horizon("2y"), Ok(24));
        assert_eq!(parse_horizon("3 months"), Ok(3));
        assert!(parse_horizon("11y").is_err());
        assert!(parse_horizon("12 weeks").is_err());
        assert!(parse_horizon("").is_err());
    }

    #[test]
    fn growth_compounds() {
        assert_eq!(Growth::grown(1000, 0.1, 2), 1210);
        assert_eq!(Growth::grown(1000, 0.0, 12), 1000);
        assert_eq!(Growth::grown(u64::MAX, 1.0, 12), u64::MAX);
    }
}
