//! Java's spellings of numbers, reproduced because Flink's messages and `-D` strings embed them verbatim:
//! `Double.toString`, `String.format("%.3f")` (which rounds Java's shortest digits half-up), and the number parsers
//! behind `Float.parseFloat`, `Double.parseDouble` and `Integer.parseInt`.
//!
//! Rust's `{:e}` gives the shortest round-trip digits, which is what `Double.toString` prints from JDK 19 on; JDK 17
//! differs only for rare doubles (JDK-4511638), none of them a fraction or size Flink users write.

/// The shortest decimal digits of a finite, non-zero double and the decimal exponent of the first digit:
/// `0.1` gives (`"1"`, -1), `1728.5` gives (`"17285"`, 3).
fn shortest_digits(value: f64) -> (String, i32) {
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse().unwrap_or(0))
}

/// `Double.toString(value)`: plain notation with at least one fractional digit for magnitudes in [1e-3, 1e7),
/// computerized scientific notation (`1.0E7`, `1.0E-4`) outside it.
pub(crate) fn double_to_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exponent) = shortest_digits(value);
    let magnitude = value.abs();
    if (1e-3..1e7).contains(&magnitude) {
        let point = exponent + 1; // digits before the decimal point
        let (whole, fraction) = if point <= 0 {
            (
                "0".to_string(),
                format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
            )
        } else {
            let point = point as usize;
            if digits.len() > point {
                (digits[..point].to_string(), digits[point..].to_string())
            } else {
                (
                    format!("{digits}{}", "0".repeat(point - digits.len())),
                    String::new(),
                )
            }
        };
        let fraction = if fraction.is_empty() {
            "0".to_string()
        } else {
            fraction
        };
        format!("{sign}{whole}.{fraction}")
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exponent}")
    }
}

/// `String.format(Locale.ROOT, "%.3f", value)` for a non-negative finite double: Java rounds its shortest decimal
/// digits half-up (so 1.0625 prints 1.063, where Rust's `{:.3}` prints 1.062).
pub(crate) fn format_three_decimals(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value:.3}");
    }
    let (digits, exponent) = shortest_digits(value);
    // Scale to thousandths: the integer part of value * 1000, plus the first dropped digit for rounding.
    let keep = exponent + 1 + 3; // digits that land at or above the thousandths place
    let digit_at = |i: i32| -> u128 {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or(0, |d| u128::from(d - b'0'))
    };
    let mut thousandths: u128 = 0;
    for i in 0..keep.max(0) {
        thousandths = thousandths * 10 + digit_at(i);
    }
    if digit_at(keep) >= 5 {
        thousandths += 1;
    }
    format!("{}.{:03}", thousandths / 1000, thousandths % 1000)
}

/// Java's `String.trim()`: strips every char up to and including U+0020 (controls and space) at both ends.
pub(crate) fn java_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c <= ' ')
}

/// The subset of `Double.parseDouble`/`Float.parseFloat` syntax a config value can use: optional sign, decimal
/// digits with an optional point and exponent, an optional `f`/`F`/`d`/`D` suffix, `NaN`, `Infinity`, and Java's
/// leading/trailing whitespace trim. Hexadecimal floating literals (`0x1p-3`) are not accepted (flinktune reports them
/// as unparseable; no Flink user writes them).
fn java_float_literal(text: &str) -> Option<&str> {
    let trimmed = java_trim(text);
    let body = trimmed
        .strip_suffix(['f', 'F', 'd', 'D'])
        .unwrap_or(trimmed);
    let unsigned = body.strip_prefix(['+', '-']).unwrap_or(body);
    if unsigned == "NaN" || unsigned == "Infinity" {
        return Some(body);
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    (mantissa_ok && exponent_ok).then_some(body)
}

/// The message of the `NumberFormatException` that `Float.parseFloat`/`Double.parseDouble` throw: they trim first.
pub(crate) fn float_format_message(text: &str) -> String {
    let trimmed = java_trim(text);
    if trimmed.is_empty() {
        "empty String".to_string()
    } else {
        format!("For input string: \"{trimmed}\"")
    }
}

/// The message of the `NumberFormatException` that `Integer.parseInt` throws (no trimming).
pub(crate) fn int_format_message(text: &str) -> String {
    format!("For input string: \"{text}\"")
}

/// `Float.parseFloat(text)`.
pub(crate) fn parse_java_float(text: &str) -> Option<f32> {
    let literal = java_float_literal(text)?;
    literal.replace("Infinity", "inf").parse::<f32>().ok()
}

/// `Double.parseDouble(text)`.
pub(crate) fn parse_java_double(text: &str) -> Option<f64> {
    let literal = java_float_literal(text)?;
    literal.replace("Infinity", "inf").parse::<f64>().ok()
}

/// `Integer.parseInt(text)`: an optional sign and ASCII digits, no whitespace, within 32 bits.
pub(crate) fn parse_java_int(text: &str) -> Option<i32> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse::<i32>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_to_string_matches_java() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (f64::from(0.1f32), "0.10000000149011612"),
            (f64::from(-0.1f32), "-0.10000000149011612"),
            (f64::from(0.4f32), "0.4000000059604645"),
            (2.5, "2.5"),
            (1728.0, "1728.0"),
            (1e7, "1.0E7"),
            (12345678.9, "1.23456789E7"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (0.0, "0.0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
        ];
        for (value, java) in cases {
            assert_eq!(double_to_string(value), java, "{value}");
        }
    }

    #[test]
    fn three_decimals_round_half_up_like_java_formatter() {
        assert_eq!(format_three_decimals(1.0625), "1.063");
        assert_eq!(format_three_decimals(1.6875), "1.688");
        assert_eq!(format_three_decimals(172.8), "172.800");
        assert_eq!(format_three_decimals(8388608.0), "8388608.000");
        assert_eq!(format_three_decimals(1024.0), "1024.000");
        assert_eq!(format_three_decimals(0.0009765625), "0.001");
        assert_eq!(format_three_decimals(0.5), "0.500");
    }

    #[test]
    fn java_number_parsers() {
        assert_eq!(parse_java_float(" 0.4 "), Some(0.4));
        assert_eq!(parse_java_float("0.4f"), Some(0.4));
        assert_eq!(parse_java_float("+.5"), Some(0.5));
        assert_eq!(parse_java_float("1e-1"), Some(0.1));
        assert!(parse_java_float("NaN").is_some_and(f32::is_nan));
        assert_eq!(parse_java_float("-Infinity"), Some(f32::NEG_INFINITY));
        for bad in ["", "abc", "1.2.3", "0,4", "e5", "1e", "inf", "nan", "0.4 f"] {
            assert_eq!(parse_java_float(bad), None, "{bad}");
        }
        assert_eq!(parse_java_int("+4"), Some(4));
        assert_eq!(parse_java_int(" 4"), None);
        assert_eq!(parse_java_int("2147483648"), None);
        assert_eq!(float_format_message(" abc "), "For input string: \"abc\"");
        assert_eq!(float_format_message("  "), "empty String");
    }
}
