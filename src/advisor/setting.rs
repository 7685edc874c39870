//! One recommended value: the Flink key it sets (spelled for the target release), the value, why, and the inputs it
//! came from. The emitted file, the table and the JSON all show the same reason.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::flink::MemorySize;
use crate::flink::duration::FlinkDuration;

/// What a setting is about; settings are emitted grouped in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Cluster,
    Memory,
    State,
    Checkpointing,
    Recovery,
    Jvm,
    /// Keys pinned with `-D` that no rule decides, written as given.
    Pinned,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Cluster => "Execution, slots and parallelism",
            Group::Memory => "Memory",
            Group::State => "State backend",
            Group::Checkpointing => "Checkpointing",
            Group::Recovery => "Restarts and failover",
            Group::Jvm => "JVM",
            Group::Pinned => "Pinned with -D",
        }
    }
}

/// A value in the form it is written to a Flink config file.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingValue {
    /// Written with an explicit unit (`1728m`, `4g`): Flink reads a bare number as bytes.
    Size(MemorySize),
    /// Written as `30 s` / `5 min`, never ISO-8601 (only 2.3 reads that).
    Duration(Duration),
    Integer(i64),
    /// Fractions and factors, with the shortest decimal that reads back to the same value.
    Decimal(f64),
    Bool(bool),
    /// An enum constant or option word (`EXACTLY_ONCE`, `rocksdb`).
    Word(&'static str),
    /// Free text such as a URI.
    Text(String),
}

impl fmt::Display for SettingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingValue::Size(size) => f.write_str(&size_text(*size)),
            SettingValue::Duration(duration) => write!(f, "{}", FlinkDuration(*duration)),
            SettingValue::Integer(value) => write!(f, "{value}"),
            SettingValue::Decimal(value) => write!(f, "{value:?}"),
            SettingValue::Bool(value) => write!(f, "{value}"),
            SettingValue::Word(word) => f.write_str(word),
            SettingValue::Text(text) => f.write_str(text),
        }
    }
}

/// The largest of `g`, `m`, `k` that divides the size exactly, else bytes as `b`; always with a unit.
fn size_text(size: MemorySize) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "g"), (1 << 20, "m"), (1 << 10, "k")];
    let bytes = size.bytes();
    UNITS
        .iter()
        .find(|(per_unit, _)| bytes != 0 && bytes.is_multiple_of(*per_unit))
        .map_or_else(
            || format!("{bytes}b"),
            |(per_unit, unit)| format!("{}{unit}", bytes / per_unit),
        )
}

/// One input a setting was derived from, e.g. `usable cores = 8 (cgroup /sys/fs/cgroup/cpu.max)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    pub name: &'static str,
    pub value: String,
}

impl Input {
    pub fn new(name: &'static str, value: impl fmt::Display) -> Self {
        Input {
            name,
            value: value.to_string(),
        }
    }
}

/// A recommended setting.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub group: Group,
    /// Borrowed for the keys Flink's option catalogue names (every rule's); owned for a pinned key only a plugin
    /// reads (`metrics.reporter.NAME.port`), which no static table can list.
    pub key: Cow<'static, str>,
    pub value: SettingValue,
    pub why: String,
    pub inputs: Vec<Input>,
}

impl Setting {
    pub fn new(
        group: Group,
        key: impl Into<Cow<'static, str>>,
        value: SettingValue,
        why: impl Into<String>,
    ) -> Self {
        Setting {
            group,
            key: key.into(),
            value,
            why: why.into(),
            inputs: Vec::new(),
        }
    }

    // A builder step named for what it reads like at the call site (`Setting::new(..).from_inputs(..)`); the
    // advisor's rules and other branches call it by this name.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_inputs(mut self, inputs: impl IntoIterator<Item = Input>) -> Self {
        self.inputs.extend(inputs);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_with_units_and_never_iso() {
        let show = |value: SettingValue| value.to_string();
        assert_eq!(
            show(SettingValue::Size(MemorySize::mebibytes(1728))),
            "1728m"
        );
        assert_eq!(show(SettingValue::Size(MemorySize::gibibytes(4))), "4g");
        assert_eq!(show(SettingValue::Size(MemorySize::from_bytes(3072))), "3k");
        assert_eq!(
            show(SettingValue::Size(MemorySize::from_bytes(1536))),
            "1536b"
        );
        assert_eq!(show(SettingValue::Size(MemorySize::ZERO)), "0b");
        assert_eq!(
            show(SettingValue::Duration(Duration::from_secs(90))),
            "90 s"
        );
        assert_eq!(show(SettingValue::Decimal(0.45)), "0.45");
        assert_eq!(show(SettingValue::Decimal(2.0)), "2.0");
    }
}
