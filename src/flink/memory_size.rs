//! Flink's `MemorySize`: a whole number of bytes (a Java `long`, never negative), its text syntax, its human-readable
//! form, and the arithmetic the memory model does on it. Every rule here is Flink's own (`MemorySize`;
//! docs/flink-memory-model.md, "Arithmetic"; docs/flink-config-files.md, "Memory sizes"), including its error texts,
//! because flinktune repeats them.

use crate::flink::java_text::{format_three_decimals, java_trim};

/// A size in bytes, at most `i64::MAX` like Flink's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MemorySize {
    bytes: u64,
}

/// Why a size could not be computed. The texts are Java's (`ArithmeticException`, `IllegalArgumentException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeArithmeticError {
    #[error("long overflow")]
    Overflow,
    #[error("bytes must be >= 0")]
    Negative,
    #[error("multiplier must be >= 0")]
    NegativeMultiplier,
}

/// Why a text is not a memory size. The texts are Flink's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemorySizeParseError {
    #[error("argument is an empty- or whitespace-only string")]
    Empty,
    #[error("text does not start with a number")]
    NoNumber,
    #[error("The value '{0}' cannot be re represented as 64bit number (numeric overflow).")]
    NumberTooLarge(String),
    #[error(
        "The value '{0}' cannot be re represented as 64bit number of bytes (numeric overflow)."
    )]
    BytesTooLarge(String),
    #[error(
        "Memory size unit '{0}' does not match any of the recognized units: (b | bytes) / (k | kb | kibibytes) / \
         (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)"
    )]
    UnknownUnit(String),
}

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;
const TIB: u64 = 1 << 40;

/// Flink's units, smallest first, with every spelling it accepts (case-insensitive) and the one it prints.
const UNITS: [(u64, &[&str], &str); 5] = [
    (1, &["b", "bytes"], "bytes"),
    (KIB, &["k", "kb", "kibibytes"], "kb"),
    (MIB, &["m", "mb", "mebibytes"], "mb"),
    (GIB, &["g", "gb", "gibibytes"], "gb"),
    (TIB, &["t", "tb", "tebibytes"], "tb"),
];

impl MemorySize {
    pub const ZERO: MemorySize = MemorySize { bytes: 0 };
    /// `MemorySize.MAX_VALUE`, Java's `Long.MAX_VALUE` bytes.
    pub const MAX: MemorySize = MemorySize {
        bytes: i64::MAX as u64,
    };

    pub const fn from_bytes(bytes: u64) -> Self {
        let bytes = if bytes > i64::MAX as u64 {
            i64::MAX as u64
        } else {
            bytes
        };
        MemorySize { bytes }
    }

    pub const fn mebibytes(mebibytes: u64) -> Self {
        Self::from_bytes(mebibytes * MIB)
    }

    pub const fn gibibytes(gibibytes: u64) -> Self {
        Self::from_bytes(gibibytes * GIB)
    }

    pub const fn bytes(self) -> u64 {
        self.bytes
    }

    /// `MemorySize.parse`: `<digits>[ ]<unit>`, units case-insensitive and 1024-based, a bare number is bytes,
    /// fractions are refused.
    pub fn parse(text: &str) -> Result<Self, MemorySizeParseError> {
        let trimmed = java_trim(text);
        if trimmed.is_empty() {
            return Err(MemorySizeParseError::Empty);
        }
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let (number, unit) = trimmed.split_at(digits_end);
        if number.is_empty() {
            return Err(MemorySizeParseError::NoNumber);
        }
        let value: i64 = number
            .parse()
            .map_err(|_| MemorySizeParseError::NumberTooLarge(number.to_string()))?;
        let unit = java_trim(unit).to_lowercase();
        let multiplier = if unit.is_empty() {
            1
        } else {
            UNITS
                .iter()
                .find(|(_, spellings, _)| spellings.contains(&unit.as_str()))
                .map(|(multiplier, _, _)| *multiplier)
                .ok_or(MemorySizeParseError::UnknownUnit(unit))?
        };
        let bytes = value
            .checked_mul(multiplier as i64)
            .ok_or_else(|| MemorySizeParseError::BytesTooLarge(text.to_string()))?;
        Ok(MemorySize {
            bytes: bytes as u64,
        })
    }

    /// `MemorySize.toHumanReadableString`: the largest unit strictly below the size, three decimals rounded the way
    /// Java's formatter does, and the exact bytes; sizes up to 1024 are printed as `N bytes`.
    pub fn human_readable(self) -> String {
        let unit = UNITS
            .iter()
            .rev()
            .find(|(multiplier, _, _)| self.bytes > *multiplier);
        match unit {
            Some((multiplier, _, name)) if *multiplier > 1 => {
                let approximate = self.bytes as f64 / *multiplier as f64;
                format!(
                    "{}{name} ({} bytes)",
                    format_three_decimals(approximate),
                    self.bytes
                )
            }
            _ => format!("{} bytes", self.bytes),
        }
    }

    /// `MemorySize.add`, which fails past `Long.MAX_VALUE`.
    pub fn checked_add(self, other: MemorySize) -> Result<MemorySize, SizeArithmeticError> {
        self.bytes
            .checked_add(other.bytes)
            .filter(|sum| *sum <= Self::MAX.bytes)
            .map(MemorySize::from_bytes)
            .ok_or(SizeArithmeticError::Overflow)
    }

    /// `MemorySize.subtract`, which refuses to go below zero.
    pub fn checked_sub(self, other: MemorySize) -> Result<MemorySize, SizeArithmeticError> {
        self.bytes
            .checked_sub(other.bytes)
            .map(MemorySize::from_bytes)
            .ok_or(SizeArithmeticError::Negative)
    }

    /// `MemorySize.multiply(double)`: the exact decimal product of the bytes and `BigDecimal.valueOf(multiplier)`
    /// (the multiplier's shortest decimal form), truncated toward zero. This is why a 0.1 fraction of 1280m is
    /// 134217730 bytes and not 134217728: the float 0.1 widens to the double 0.10000000149011612.
    pub fn multiply(self, multiplier: f64) -> Result<MemorySize, SizeArithmeticError> {
        if multiplier.is_nan() || multiplier < 0.0 {
            return Err(SizeArithmeticError::NegativeMultiplier);
        }
        if multiplier.is_infinite() {
            return Err(SizeArithmeticError::Overflow);
        }
        if multiplier == 0.0 || self.bytes == 0 {
            return Ok(MemorySize::ZERO);
        }
        let (digits, scale) = decimal_digits(multiplier);
        let mut product = u128::from(self.bytes) * digits;
        if scale >= 0 {
            for _ in 0..scale {
                product = product
                    .checked_mul(10)
                    .ok_or(SizeArithmeticError::Overflow)?;
            }
        } else {
            for _ in 0..scale.unsigned_abs() {
                product /= 10;
                if product == 0 {
                    break;
                }
            }
        }
        u64::try_from(product)
            .ok()
            .filter(|bytes| *bytes <= Self::MAX.bytes)
            .map(MemorySize::from_bytes)
            .ok_or(SizeArithmeticError::Overflow)
    }
}

/// A size serializes as its number of bytes (as the JSON reports write sizes).
impl serde::Serialize for MemorySize {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.bytes)
    }
}

/// A positive finite double as `digits × 10^scale` using its shortest decimal digits, like `BigDecimal.valueOf`.
fn decimal_digits(value: f64) -> (u128, i32) {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let fraction_digits = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let digits: u128 = mantissa
        .chars()
        .filter(char::is_ascii_digit)
        .fold(0, |acc, d| {
            acc * 10 + u128::from(d.to_digit(10).unwrap_or(0))
        });
    (digits, exponent - fraction_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<u64, String> {
        MemorySize::parse(text)
            .map(MemorySize::bytes)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn parses_every_unit_spelling_flink_accepts() {
        assert_eq!(parse("1728m"), Ok(1728 * MIB));
        assert_eq!(parse("1728 m"), Ok(1728 * MIB));
        assert_eq!(parse(" 512 MB "), Ok(512 * MIB));
        assert_eq!(parse("1 GB"), Ok(GIB));
        assert_eq!(parse("2 gibibytes"), Ok(2 * GIB));
        assert_eq!(parse("3k"), Ok(3 * KIB));
        assert_eq!(parse("1 Tebibytes"), Ok(TIB));
        assert_eq!(parse("7b"), Ok(7));
        assert_eq!(parse("7 bytes"), Ok(7));
        assert_eq!(parse("1728"), Ok(1728), "a bare number is bytes");
        assert_eq!(parse("0"), Ok(0));
    }

    #[test]
    fn refuses_what_flink_refuses_with_its_words() {
        assert!(
            parse("1.5g")
                .unwrap_err()
                .starts_with("Memory size unit '.5g' does not match")
        );
        assert!(
            parse("1 gib")
                .unwrap_err()
                .starts_with("Memory size unit 'gib'")
        );
        assert!(
            parse("2Gi")
                .unwrap_err()
                .starts_with("Memory size unit 'gi'")
        );
        assert_eq!(parse("m").unwrap_err(), "text does not start with a number");
        assert_eq!(
            parse("-1m").unwrap_err(),
            "text does not start with a number"
        );
        assert_eq!(
            parse("   ").unwrap_err(),
            "argument is an empty- or whitespace-only string"
        );
        assert_eq!(
            parse("99999999999999999999").unwrap_err(),
            "The value '99999999999999999999' cannot be re represented as 64bit number (numeric overflow)."
        );
        assert_eq!(
            parse("9000000t").unwrap_err(),
            "The value '9000000t' cannot be re represented as 64bit number of bytes (numeric overflow)."
        );
    }

    #[test]
    fn human_readable_matches_flink_logs() {
        let human = |b: u64| MemorySize::from_bytes(b).human_readable();
        assert_eq!(human(0), "0 bytes");
        assert_eq!(human(1024), "1024 bytes");
        assert_eq!(human(1048576), "1024.000kb (1048576 bytes)");
        assert_eq!(human(1073741824), "1024.000mb (1073741824 bytes)");
        assert_eq!(human(1811939328), "1.688gb (1811939328 bytes)");
        assert_eq!(human(181193935), "172.800mb (181193935 bytes)");
        assert_eq!(
            human(i64::MAX as u64),
            "8388608.000tb (9223372036854775807 bytes)"
        );
    }

    #[test]
    fn multiply_is_exact_decimal_then_truncated() {
        let tenth = f64::from(0.1f32);
        assert_eq!(
            MemorySize::mebibytes(1280).multiply(tenth).unwrap().bytes(),
            134217730
        );
        assert_eq!(
            MemorySize::mebibytes(1280)
                .multiply(f64::from(0.4f32))
                .unwrap()
                .bytes(),
            536870920
        );
        assert_eq!(
            MemorySize::mebibytes(1728).multiply(tenth).unwrap().bytes(),
            181193935
        );
        assert_eq!(MemorySize::from_bytes(10).multiply(0.0).unwrap().bytes(), 0);
        assert_eq!(
            MemorySize::MAX.multiply(2.0),
            Err(SizeArithmeticError::Overflow)
        );
        assert_eq!(
            MemorySize::MAX.multiply(-1.0),
            Err(SizeArithmeticError::NegativeMultiplier)
        );
    }

    #[test]
    fn add_and_subtract_stay_within_a_java_long() {
        assert_eq!(
            MemorySize::MAX.checked_add(MemorySize::from_bytes(1)),
            Err(SizeArithmeticError::Overflow)
        );
        assert_eq!(
            MemorySize::ZERO.checked_sub(MemorySize::from_bytes(1)),
            Err(SizeArithmeticError::Negative)
        );
    }
}
