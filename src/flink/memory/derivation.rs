//! The shared vocabulary of Flink's memory derivations (`ProcessMemoryUtils`, `RangeFraction`): reading options with
//! Flink's error wrapping, fraction-of-a-base sizes capped to a [min, max] range, and the notes Flink would log
//! along the way, kept so that flinktune can show why a size came out as it did.

use std::collections::BTreeSet;

use super::error::{MemoryError, RangeError};
use crate::flink::config::{Configuration, ReadOption};
use crate::flink::java_text::double_to_string;
use crate::flink::memory_size::MemorySize;
use crate::flink::options::ConfigOption;
use crate::flink::version::FlinkVersion;

/// A fraction with the range its result must fall into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RangeFraction {
    pub min: MemorySize,
    pub max: MemorySize,
    /// A float option widened to double, as Flink computes with it (0.1 becomes 0.10000000149011612).
    pub fraction: f64,
}

/// One derivation over one configuration: the inputs plus the notes collected while deriving.
pub(super) struct Derivation<'a> {
    pub config: &'a Configuration,
    pub version: FlinkVersion,
    notes: Vec<String>,
    deprecated_keys_noted: BTreeSet<&'static str>,
}

impl<'a> Derivation<'a> {
    pub(super) fn new(config: &'a Configuration, version: FlinkVersion) -> Self {
        Derivation {
            config,
            version,
            notes: Vec::new(),
            deprecated_keys_noted: BTreeSet::new(),
        }
    }

    pub(super) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(super) fn into_notes(self) -> Vec<String> {
        self.notes
    }

    pub(super) fn contains<T: Copy>(&self, option: &ConfigOption<T>) -> bool {
        self.config.contains(option)
    }

    fn note_deprecated_key<T: Copy>(&mut self, option: &ConfigOption<T>) {
        if let Some((key, _)) = self.config.find(option)
            && key != option.key
            && self.deprecated_keys_noted.insert(key)
        {
            self.notes.push(format!(
                "Config uses deprecated configuration key '{key}' instead of proper key '{}'",
                option.key
            ));
        }
    }

    /// `ProcessMemoryUtils.getMemorySizeFromConfig`: the value or default, any failure wrapped in
    /// "Cannot read memory size from config option".
    pub(super) fn memory(
        &mut self,
        option: &ConfigOption<MemorySize>,
    ) -> Result<MemorySize, MemoryError> {
        self.note_deprecated_key(option);
        match self.config.read(option, self.version) {
            Ok(Some(size)) => Ok(size),
            // Unreachable: the models only read options that are set or have a default (Flink would throw
            // "The memory option is not set and has no default value."). Zero keeps this total without a panic.
            Ok(None) => Ok(MemorySize::ZERO),
            Err(cause) => Err(MemoryError::CannotReadMemorySize {
                key: option.key,
                cause,
            }),
        }
    }

    /// A float, int, double or boolean option (a conversion failure is an `IllegalArgumentException` in Flink).
    pub(super) fn value<T: Copy>(
        &mut self,
        option: &ConfigOption<T>,
    ) -> Result<Option<T>, MemoryError>
    where
        Configuration: ReadOption<T>,
    {
        self.note_deprecated_key(option);
        self.config
            .read(option, self.version)
            .map_err(MemoryError::Unparseable)
    }

    /// `ProcessMemoryUtils.getRangeFraction`: reads the fraction and checks min <= max and 0 <= fraction < 1.
    pub(super) fn range_fraction(
        &mut self,
        min: MemorySize,
        max: MemorySize,
        fraction_option: &ConfigOption<f32>,
    ) -> Result<RangeFraction, MemoryError> {
        let fraction = f64::from(self.value(fraction_option)?.unwrap_or_default());
        let problem = if min > max {
            Some(RangeError::MinAboveMax)
        } else if !(0.0..1.0).contains(&fraction) {
            Some(RangeError::FractionOutOfRange)
        } else {
            None
        };
        match problem {
            None => Ok(RangeFraction { min, max, fraction }),
            Some(cause) => Err(MemoryError::InconsistentRange {
                option: fraction_option.describe(self.version),
                key: fraction_option.key,
                fraction: double_to_string(fraction),
                min,
                max,
                cause,
            }),
        }
    }

    /// `deriveWithFraction`: base × fraction, capped to the range.
    pub(super) fn derive_with_fraction(
        &mut self,
        description: &str,
        base: MemorySize,
        range: RangeFraction,
    ) -> Result<MemorySize, MemoryError> {
        let relative = base.multiply(range.fraction)?;
        Ok(self.cap_to_min_max(description, relative, range))
    }

    /// `deriveWithInverseFraction`: the size that is `fraction` of (base + itself), i.e. base × f / (1 − f), capped.
    /// Flink divides in double before the exact multiply, and so do we.
    pub(super) fn derive_with_inverse_fraction(
        &mut self,
        description: &str,
        base: MemorySize,
        range: RangeFraction,
    ) -> Result<MemorySize, MemoryError> {
        let relative = base.multiply(range.fraction / (1.0 - range.fraction))?;
        Ok(self.cap_to_min_max(description, relative, range))
    }

    fn cap_to_min_max(
        &mut self,
        description: &str,
        relative: MemorySize,
        range: RangeFraction,
    ) -> MemorySize {
        if relative > range.max {
            self.notes.push(format!(
                "The derived from fraction {description} ({}) is greater than its max value {}, max value will be used instead",
                relative.human_readable(),
                range.max.human_readable()
            ));
            range.max
        } else if relative < range.min {
            self.notes.push(format!(
                "The derived from fraction {description} ({}) is less than its min value {}, min value will be used instead",
                relative.human_readable(),
                range.min.human_readable()
            ));
            range.min
        } else {
            relative
        }
    }
}

/// Sums sizes with Java's overflow check, as Flink's chained `MemorySize.add` calls do.
pub(super) fn sum(sizes: &[MemorySize]) -> Result<MemorySize, MemoryError> {
    sizes.iter().try_fold(
        MemorySize::ZERO,
        |total, size| Ok(total.checked_add(*size)?),
    )
}
