//! What a plan costs: the user's price per host hour times the hosts times the hours of a month. A month is 730
//! hours (365 x 24 / 12), the month cloud price lists use. Prices are the user's, in their currency; flinktune ships
//! none (profiles/hosts-example.yaml says its figures are examples).

/// Hours in the month prices are quoted for.
pub(crate) const HOURS_PER_MONTH: f64 = 730.0;

/// A cluster's monthly cost and how it adds up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cost {
    pub price_per_hour: f64,
    pub hosts: u32,
    pub per_month: f64,
}

/// `hosts` at `price_per_hour` for a month.
pub(crate) fn monthly(price_per_hour: f64, hosts: u32) -> Cost {
    Cost {
        price_per_hour,
        hosts,
        per_month: price_per_hour * f64::from(hosts) * HOURS_PER_MONTH,
    }
}

/// `1234.5` as `1,234.50`.
pub(crate) fn money(amount: f64) -> String {
    if !amount.is_finite() {
        return "-".to_string();
    }
    let cents = (amount * 100.0).round() as i128;
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_730_hours_per_host() {
        let cost = monthly(0.5, 4);
        assert_eq!(cost.per_month, 1460.0);
        assert_eq!(money(1234.5), "1,234.50");
        assert_eq!(money(0.004), "0.00");
        assert_eq!(money(1_000_000.0), "1,000,000.00");
        assert_eq!(money(999.999), "1,000.00");
    }
}
