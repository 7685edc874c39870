//! Typed reads of options from a [`Configuration`], with Flink's conversions (`ConfigurationUtils.convertValue`) and
//! its messages: a value Flink cannot convert fails as "Could not parse value '...' for key '...'." with Java's
//! own exception text as the cause.

use super::{Configuration, Value};
use crate::flink::java_text::{
    double_to_string, float_format_message, int_format_message, parse_java_double,
    parse_java_float, parse_java_int,
};
use crate::flink::memory_size::{MemorySize, MemorySizeParseError};
use crate::flink::options::ConfigOption;
use crate::flink::version::FlinkVersion;

/// A value that could not be converted to its option's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Could not parse value '{value}' for key '{key}'.")]
pub struct ReadError {
    pub key: &'static str,
    pub value: String,
    #[source]
    pub cause: ValueError,
}

/// The Java exception behind a [`ReadError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(transparent)]
    MemorySize(#[from] MemorySizeParseError),
    /// `NumberFormatException`.
    #[error("{0}")]
    NumberFormat(String),
    #[error("Configuration value {0} overflows/underflows the {1} type.")]
    OutOfRange(String, &'static str),
    #[error(
        "Unrecognized option for boolean: {0}. Expected either true or false(case insensitive)"
    )]
    Boolean(String),
}

/// A value converted from the configuration, or the option's default for `version` when no key is set.
pub(crate) trait ReadOption<T> {
    fn read(&self, option: &ConfigOption<T>, version: FlinkVersion)
    -> Result<Option<T>, ReadError>;
}

fn read_with<T: Copy>(
    config: &Configuration,
    option: &ConfigOption<T>,
    version: FlinkVersion,
    convert: impl Fn(&Value) -> Result<T, ValueError>,
) -> Result<Option<T>, ReadError> {
    match config.find(option) {
        None => Ok(option.default_value(version)),
        Some((_, entry)) => convert(&entry.value).map(Some).map_err(|cause| ReadError {
            key: option.key,
            value: entry.value.java_string(),
            cause,
        }),
    }
}

impl ReadOption<MemorySize> for Configuration {
    fn read(
        &self,
        option: &ConfigOption<MemorySize>,
        version: FlinkVersion,
    ) -> Result<Option<MemorySize>, ReadError> {
        read_with(self, option, version, |value| {
            Ok(MemorySize::parse(&value.java_string())?)
        })
    }
}

impl ReadOption<f32> for Configuration {
    /// `convertToFloat`: a YAML float narrows (with a range check), anything else goes through `Float.parseFloat`.
    fn read(
        &self,
        option: &ConfigOption<f32>,
        version: FlinkVersion,
    ) -> Result<Option<f32>, ReadError> {
        read_with(self, option, version, |value| match value {
            Value::Float(double) => {
                // Java's bounds are Float.MIN_VALUE (the smallest subnormal) and Float.MAX_VALUE; NaN and the
                // infinities fail the comparison and are refused.
                let smallest_subnormal = f64::from(f32::from_bits(1));
                if *double == 0.0
                    || (smallest_subnormal..=f64::from(f32::MAX)).contains(&double.abs())
                {
                    Ok(*double as f32)
                } else {
                    Err(ValueError::OutOfRange(double_to_string(*double), "float"))
                }
            }
            other => {
                let text = other.java_string();
                parse_java_float(&text)
                    .ok_or_else(|| ValueError::NumberFormat(float_format_message(&text)))
            }
        })
    }
}

impl ReadOption<f64> for Configuration {
    /// `convertToDouble`: a YAML float as is, anything else through `Double.parseDouble`.
    fn read(
        &self,
        option: &ConfigOption<f64>,
        version: FlinkVersion,
    ) -> Result<Option<f64>, ReadError> {
        read_with(self, option, version, |value| match value {
            Value::Float(double) => Ok(*double),
            other => {
                let text = other.java_string();
                parse_java_double(&text)
                    .ok_or_else(|| ValueError::NumberFormat(float_format_message(&text)))
            }
        })
    }
}

impl ReadOption<i32> for Configuration {
    /// `convertToInt`: a YAML integer beyond 32 bits is out of range (if it fits a long), anything else goes
    /// through `Integer.parseInt`.
    fn read(
        &self,
        option: &ConfigOption<i32>,
        version: FlinkVersion,
    ) -> Result<Option<i32>, ReadError> {
        read_with(self, option, version, |value| {
            let text = value.java_string();
            if let (Value::Integer(_), Ok(long)) = (value, text.parse::<i64>()) {
                return i32::try_from(long)
                    .map_err(|_| ValueError::OutOfRange(text.clone(), "integer"));
            }
            parse_java_int(&text).ok_or_else(|| ValueError::NumberFormat(int_format_message(&text)))
        })
    }
}

impl ReadOption<bool> for Configuration {
    /// `convertToBoolean`: `true`/`false` in any case.
    fn read(
        &self,
        option: &ConfigOption<bool>,
        version: FlinkVersion,
    ) -> Result<Option<bool>, ReadError> {
        read_with(self, option, version, |value| match value {
            Value::Bool(flag) => Ok(*flag),
            other => {
                let text = other.java_string();
                match text.to_ascii_lowercase().as_str() {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(ValueError::Boolean(text)),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::Origin;
    use crate::flink::options::{jobmanager, taskmanager};

    const V: FlinkVersion = FlinkVersion::line(2, 3);

    fn config_with(key: &str, value: Value) -> Configuration {
        let mut config = Configuration::new();
        config.set(key, value, Origin::DynamicProperty);
        config
    }

    #[test]
    fn defaults_apply_when_unset() {
        let empty = Configuration::new();
        assert_eq!(
            empty.read(&taskmanager::MANAGED_MEMORY_FRACTION, V),
            Ok(Some(0.4))
        );
        assert_eq!(empty.read(&taskmanager::TOTAL_PROCESS_MEMORY, V), Ok(None));
        assert_eq!(empty.read(&taskmanager::NUM_TASK_SLOTS, V), Ok(Some(1)));
    }

    #[test]
    fn deprecated_keys_are_read() {
        let config = config_with(
            "taskmanager.network.memory.fraction",
            Value::Text("0.2".into()),
        );
        assert_eq!(
            config.read(&taskmanager::NETWORK_MEMORY_FRACTION, V),
            Ok(Some(0.2))
        );
    }

    #[test]
    fn conversion_failures_carry_flinks_messages() {
        let config = config_with(
            "taskmanager.memory.managed.fraction",
            Value::Text("abc".into()),
        );
        let error = config
            .read(&taskmanager::MANAGED_MEMORY_FRACTION, V)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Could not parse value 'abc' for key 'taskmanager.memory.managed.fraction'."
        );
        assert_eq!(error.cause.to_string(), "For input string: \"abc\"");

        let config = config_with(
            "taskmanager.numberOfTaskSlots",
            Value::Integer("4294967296".into()),
        );
        let error = config.read(&taskmanager::NUM_TASK_SLOTS, V).unwrap_err();
        assert_eq!(
            error.cause.to_string(),
            "Configuration value 4294967296 overflows/underflows the integer type."
        );

        let config = config_with(
            "jobmanager.memory.enable-jvm-direct-memory-limit",
            Value::Text("yes".into()),
        );
        assert!(
            config
                .read(&jobmanager::JVM_DIRECT_MEMORY_LIMIT_ENABLED, V)
                .is_err()
        );
        let config = config_with("taskmanager.cpu.cores", Value::Integer("4".into()));
        assert_eq!(config.read(&taskmanager::CPU_CORES, V), Ok(Some(4.0)));
    }
}
