//! What the catalogue knows of one option in one release line, and of one key over all release lines.

use crate::flink::version::FlinkVersion;

/// The Java type Flink parses an option's value as (`ConfigOption.getClazz()` and `isList()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    String,
    Duration,
    MemorySize,
    /// A Java enum; its constant names in declaration order (Flink matches them case-insensitively).
    Enum(Vec<String>),
    /// `;`-separated values of the inner type.
    List(Box<ValueType>),
    /// `k:v,k:v`, or entries `KEY.k: v` (see [`OptionInfo::map_prefix`]).
    Map,
    /// Any other Java class, by its simple name.
    Other(String),
}

impl ValueType {
    /// Reads the TYPE field of `options.tsv`: `Integer`, `enum:Name(A,B)`, `List<...>`, ...
    pub(crate) fn parse(text: &str) -> ValueType {
        if let Some(inner) = text
            .strip_prefix("List<")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            return ValueType::List(Box::new(ValueType::parse(inner)));
        }
        if let Some(constants) = text
            .strip_prefix("enum:")
            .and_then(|rest| rest.split_once('('))
            .and_then(|(_name, rest)| rest.strip_suffix(')'))
        {
            let names = constants
                .split(',')
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect();
            return ValueType::Enum(names);
        }
        match text {
            "Boolean" => ValueType::Boolean,
            "Integer" => ValueType::Integer,
            "Long" => ValueType::Long,
            "Float" => ValueType::Float,
            "Double" => ValueType::Double,
            "String" => ValueType::String,
            "Duration" => ValueType::Duration,
            "MemorySize" => ValueType::MemorySize,
            "Map" => ValueType::Map,
            other => ValueType::Other(other.to_string()),
        }
    }
}

/// One configuration option as a Flink release line declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionInfo {
    pub key: String,
    pub value_type: ValueType,
    /// The default as Flink writes it (`10 s`, `1728 mb`, `a;b`); `None` when the option has none.
    pub default: Option<String>,
    /// Other keys Flink reads for this option, in the order it tries them, each with whether it is deprecated.
    pub fallback_keys: Vec<(String, bool)>,
    /// The Java field is `@Deprecated`.
    pub deprecated: bool,
    /// A Map option, which Flink also assembles from `KEY.<name>: value` entries.
    pub map_prefix: bool,
    /// The key holds a `<placeholder>` (e.g. `metrics.reporter.<name>.factory.class`).
    pub pattern: bool,
    /// Left out of Flink's documentation (`@Documentation.ExcludeFromDocumentation`).
    pub internal: bool,
    /// Simple name of the Java class that declares the option, e.g. `TaskManagerOptions`.
    pub declaring_class: String,
}

/// A key over all release lines: where it appears and how it is declared in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHistory {
    pub key: String,
    /// The first release line with the key.
    pub since: FlinkVersion,
    /// The last release line with the key; `None` when the newest line has it.
    pub until: Option<FlinkVersion>,
    /// From each listed line on (oldest first), the option, or `None` where the key is absent.
    pub(crate) entries: Vec<(FlinkVersion, Option<OptionInfo>)>,
}

impl KeyHistory {
    /// The option in `version` (a line or a patch release), if that release has the key.
    pub fn at(&self, version: FlinkVersion) -> Option<&OptionInfo> {
        // Entries are keyed by lines without a patch, which sort before every patch release of their line.
        self.entries
            .iter()
            .rev()
            .find(|(from, _)| *from <= version)
            .and_then(|(_, info)| info.as_ref())
    }

    /// The release lines where the declaration changed, oldest first, with the option from then on (`None`: absent).
    pub fn changes(&self) -> impl Iterator<Item = (FlinkVersion, Option<&OptionInfo>)> {
        self.entries
            .iter()
            .map(|(from, info)| (*from, info.as_ref()))
    }
}
