//! The standard `config.yaml` reader (Flink 1.19+): YAML 1.2 with the core schema, nested maps flattened to dotted
//! keys (`YamlParserUtils.loadYamlFile` + `GlobalConfiguration.flatten`; docs/flink-config-files.md).
//!
//! Flink refuses a file with a duplicate key in one mapping or a null value; so do we, with line and column. A key
//! given once flat and once nested is accepted by Flink (the later one wins); we keep the later one and warn.

use std::collections::{BTreeMap, HashMap};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::{LoadWarning, LoadWarningKind, LoadedFile, Origin, Value};

/// Why Flink would refuse to load this `config.yaml` ("Error parsing YAML configuration.").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct StandardYamlError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses the text of a `config.yaml`; `path` only labels origins and errors.
pub fn parse_standard_yaml(path: &str, text: &str) -> Result<LoadedFile, StandardYamlError> {
    let mut events = Vec::new();
    for item in Parser::new_from_str(text) {
        match item {
            Ok(event) => events.push(event),
            Err(error) => {
                return Err(StandardYamlError {
                    path: path.to_string(),
                    line: error.marker().line(),
                    column: error.marker().col() + 1,
                    message: format!("invalid YAML: {}", error.info()),
                });
            }
        }
    }
    Flattener {
        path,
        events: &events,
        position: 0,
        anchors: HashMap::new(),
        loaded: LoadedFile::default(),
    }
    .document()
}

/// A node's flattened content: a scalar value, or `(relative key, value, origin)` triples for a mapping.
#[derive(Debug, Clone)]
enum Node {
    Scalar(Value, Origin),
    Mapping(Vec<(String, Value, Origin)>),
}

struct Flattener<'a, 'input> {
    path: &'a str,
    events: &'a [(Event<'input>, Span)],
    position: usize,
    anchors: HashMap<usize, Node>,
    loaded: LoadedFile,
}

impl Flattener<'_, '_> {
    fn error(&self, span: Span, message: impl Into<String>) -> StandardYamlError {
        StandardYamlError {
            path: self.path.to_string(),
            line: span.start.line(),
            column: span.start.col() + 1,
            message: message.into(),
        }
    }

    fn origin(&self, span: Span) -> Origin {
        Origin::File {
            path: self.path.to_string(),
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }

    fn next(&mut self) -> Option<(Event<'_>, Span)> {
        let event = self.events.get(self.position).cloned();
        self.position += 1;
        event
    }

    fn unexpected_end(&self) -> StandardYamlError {
        let span = self
            .events
            .last()
            .map(|(_, span)| *span)
            .unwrap_or_default();
        self.error(span, "unexpected end of the YAML stream")
    }

    fn document(mut self) -> Result<LoadedFile, StandardYamlError> {
        let mut documents = 0;
        while let Some((event, span)) = self.next() {
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.error(
                            span,
                            "expected a single document in the stream, found another one",
                        ));
                    }
                }
                _ => {
                    self.position -= 1;
                    match self.node()? {
                        Node::Mapping(entries) => {
                            let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
                            for (key, value, origin) in entries {
                                let line = match &origin {
                                    Origin::File { line, .. } => *line,
                                    Origin::DynamicProperty => 0,
                                };
                                if let Some(previous) = first_line.insert(key.clone(), line) {
                                    self.loaded.warnings.push(LoadWarning {
                                        kind: LoadWarningKind::Duplicate,
                                        key: Some(key.clone()),
                                        origin: origin.clone(),
                                        message: format!(
                                            "'{key}' is also set on line {previous} (once flat, once nested); Flink \
                                             keeps this later one"
                                        ),
                                    });
                                }
                                self.loaded.configuration.set(key, value, origin);
                            }
                        }
                        Node::Scalar(_, _) => {
                            return Err(self.error(
                                span,
                                "the top level of config.yaml must be a mapping of keys",
                            ));
                        }
                    }
                }
            }
        }
        Ok(self.loaded)
    }

    fn node(&mut self) -> Result<Node, StandardYamlError> {
        let Some((event, span)) = self.next() else {
            return Err(self.unexpected_end());
        };
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| t.suffix.clone());
                (
                    Node::Scalar(
                        resolve_scalar(&text, style, tag.as_deref()),
                        self.origin(span),
                    ),
                    anchor,
                )
            }
            Event::MappingStart(anchor, _) => (self.mapping()?, anchor),
            Event::SequenceStart(anchor, _) => (self.sequence(span)?, anchor),
            Event::Alias(id) => {
                return self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| self.error(span, "alias to an unknown anchor"));
            }
            _ => return Err(self.error(span, "unexpected YAML structure")),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    fn mapping(&mut self) -> Result<Node, StandardYamlError> {
        let mut entries = Vec::new();
        let mut keys_here: HashMap<String, usize> = HashMap::new();
        loop {
            let Some((event, key_span)) = self.next() else {
                return Err(self.unexpected_end());
            };
            let key = match event {
                Event::MappingEnd => break,
                Event::Scalar(text, style, _, tag) => {
                    let tag = tag.map(|t| t.suffix.clone());
                    match resolve_scalar(&text, style, tag.as_deref()) {
                        Value::Text(text) if is_null(&text, style, tag.as_deref()) => {
                            return Err(self.error(key_span, "a mapping key is null"));
                        }
                        value => value.java_string(),
                    }
                }
                _ => return Err(self.error(key_span, "mapping keys must be plain scalars")),
            };
            if let Some(previous) = keys_here.insert(key.clone(), key_span.start.line()) {
                return Err(self.error(
                    key_span,
                    format!("found duplicate key {key} (first on line {previous}); Flink refuses to load the file"),
                ));
            }
            let value_span = self
                .events
                .get(self.position)
                .map_or(key_span, |(_, span)| *span);
            if let Some((Event::Scalar(text, style, _, tag), _)) = self.events.get(self.position) {
                let tag = tag.as_ref().map(|t| t.suffix.clone());
                if is_null(text, *style, tag.as_deref()) {
                    return Err(self.error(
                        value_span,
                        format!("'{key}' has a null value; Flink refuses to load the file (\"Value must not be null.\")"),
                    ));
                }
            }
            match self.node()? {
                Node::Scalar(value, origin) => entries.push((key, value, origin)),
                Node::Mapping(children) => {
                    entries.extend(
                        children.into_iter().map(|(child, value, origin)| {
                            (format!("{key}.{child}"), value, origin)
                        }),
                    );
                }
            }
        }
        Ok(Node::Mapping(entries))
    }

    /// Flink keeps a list under one key; we keep it as the YAML flow text Flink's own writer produces.
    fn sequence(&mut self, start: Span) -> Result<Node, StandardYamlError> {
        let mut items = Vec::new();
        loop {
            match self.events.get(self.position) {
                None => return Err(self.unexpected_end()),
                Some((Event::SequenceEnd, _)) => {
                    self.position += 1;
                    break;
                }
                Some(_) => match self.node()? {
                    Node::Scalar(Value::Text(text), _) => {
                        items.push(format!("'{}'", text.replace('\'', "''")))
                    }
                    Node::Scalar(value, _) => items.push(value.java_string()),
                    Node::Mapping(entries) => {
                        let fields: Vec<String> = entries
                            .iter()
                            .map(|(k, v, _)| format!("{k}: {}", v.java_string()))
                            .collect();
                        items.push(format!("{{{}}}", fields.join(", ")));
                    }
                },
            }
        }
        Ok(Node::Scalar(
            Value::Text(format!("[{}]", items.join(", "))),
            self.origin(start),
        ))
    }
}

fn is_null(text: &str, style: ScalarStyle, tag: Option<&str>) -> bool {
    style == ScalarStyle::Plain
        && tag.is_none()
        && matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Resolves a scalar with the YAML 1.2 core schema, as snakeyaml-engine's `CoreSchema` does for Flink.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::Text(text.to_string()),
        Some(_) | None if style != ScalarStyle::Plain => return Value::Text(text.to_string()),
        _ => {}
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(integer) = core_integer(text) {
        return Value::Integer(integer);
    }
    if is_core_float(text)
        && let Ok(value) = text.parse::<f64>()
    {
        return Value::Float(value);
    }
    Value::Text(text.to_string())
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, as the decimal text of its value.
fn core_integer(text: &str) -> Option<String> {
    let (radix, digits) = if let Some(octal) = text.strip_prefix("0o") {
        (8, octal)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (16, hex)
    } else {
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let negative = text.starts_with('-');
        let trimmed = unsigned.trim_start_matches('0');
        let magnitude = if trimmed.is_empty() { "0" } else { trimmed };
        return Some(if negative && magnitude != "0" {
            format!("-{magnitude}")
        } else {
            magnitude.to_string()
        });
    };
    if digits.is_empty() {
        return None;
    }
    u128::from_str_radix(digits, radix)
        .ok()
        .map(|value| value.to_string())
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            whole.chars().all(|c| c.is_ascii_digit())
                && fraction.chars().all(|c| c.is_ascii_digit())
                && (!whole.is_empty() || !fraction.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedFile, String> {
        parse_standard_yaml("config.yaml", text).map_err(|e| e.to_string())
    }

    fn value(file: &LoadedFile, key: &str) -> Option<Value> {
        file.configuration.get(key).map(|entry| entry.value.clone())
    }

    #[test]
    fn flattens_nested_maps_and_types_scalars() {
        let file = load(
            "taskmanager:\n  memory:\n    process.size: 2g\n    managed.fraction: 0.5\n  numberOfTaskSlots: 4\n\
             parallelism.default: '4'\nflag: true\nhost#x: a#b # comment\nlist: [a, 1]\n",
        )
        .unwrap();
        assert_eq!(
            value(&file, "taskmanager.memory.process.size"),
            Some(Value::Text("2g".into()))
        );
        assert_eq!(
            value(&file, "taskmanager.memory.managed.fraction"),
            Some(Value::Float(0.5))
        );
        assert_eq!(
            value(&file, "taskmanager.numberOfTaskSlots"),
            Some(Value::Integer("4".into()))
        );
        assert_eq!(
            value(&file, "parallelism.default"),
            Some(Value::Text("4".into()))
        );
        assert_eq!(value(&file, "flag"), Some(Value::Bool(true)));
        assert_eq!(value(&file, "host#x"), Some(Value::Text("a#b".into())));
        assert_eq!(value(&file, "list"), Some(Value::Text("['a', 1]".into())));
        let origin = file
            .configuration
            .get("taskmanager.memory.managed.fraction")
            .unwrap()
            .origin
            .to_string();
        assert_eq!(origin, "config.yaml:4:23");
    }

    #[test]
    fn refuses_duplicates_and_nulls_with_position() {
        assert_eq!(
            load("a: 1\nb: 2\na: 3\n").unwrap_err(),
            "config.yaml:3:1: found duplicate key a (first on line 1); Flink refuses to load the file"
        );
        assert!(
            load("a: ~\n")
                .unwrap_err()
                .starts_with("config.yaml:1:4: 'a' has a null value")
        );
        assert!(
            load("a:\nb: 1\n")
                .unwrap_err()
                .contains("'a' has a null value")
        );
        assert!(load("a: [1\n").unwrap_err().starts_with("config.yaml:"));
    }

    #[test]
    fn flat_and_nested_spellings_of_one_key_warn_and_keep_the_later() {
        let file = load("a.b: 1\na:\n  b: 2\n").unwrap();
        assert_eq!(value(&file, "a.b"), Some(Value::Integer("2".into())));
        assert_eq!(file.warnings.len(), 1);
    }

    #[test]
    fn core_schema_numbers() {
        assert_eq!(core_integer("0x10").as_deref(), Some("16"));
        assert_eq!(core_integer("+007").as_deref(), Some("7"));
        assert_eq!(core_integer("-0").as_deref(), Some("0"));
        assert_eq!(core_integer("1728m"), None);
        assert!(
            is_core_float("1.")
                && is_core_float(".5")
                && is_core_float("1e3")
                && !is_core_float(".")
        );
        assert_eq!(
            resolve_scalar("1728m", ScalarStyle::Plain, None),
            Value::Text("1728m".into())
        );
        assert_eq!(
            resolve_scalar("1", ScalarStyle::DoubleQuoted, None),
            Value::Text("1".into())
        );
        assert_eq!(
            resolve_scalar("empty", ScalarStyle::Plain, None),
            Value::Text("empty".into())
        );
    }

    #[test]
    fn empty_file_is_an_empty_configuration() {
        assert!(load("").unwrap().configuration.is_empty());
        assert!(load("# only a comment\n").unwrap().configuration.is_empty());
    }
}
