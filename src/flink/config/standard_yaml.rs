//! The standard `config.yaml` reader (Flink 1.19+): YAML 1.2 with the core schema, nested maps flattened to dotted
//! keys (`YamlParserUtils.loadYamlFile` + `GlobalConfiguration.flatten`; docs/flink-config-files.md).
//!
//! Flink refuses a file with a duplicate key in one mapping or a null value; so do we, with line and column. A key
//! given once flat and once nested is accepted by Flink (the later one wins); we keep the later one and warn.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use super::mapping_keys::{FlatEntry, MappingKeys};
use super::{Configuration, LoadWarning, LoadWarningKind, LoadedFile, Origin, Value};

/// The deepest nesting of mappings and sequences we follow. Real Flink configs nest five or six levels; the limit
/// keeps a hostile file (thousands of levels in a few kilobytes) from overflowing the stack of our recursive reader.
pub(crate) const MAX_NESTING_DEPTH: usize = 100;

/// snakeyaml-engine's `LoadSettings.maxAliasesForCollections` default, which Flink's `YamlParserUtils` keeps: a file
/// with more aliases to mappings or sequences fails to load in Flink ("Number of aliases for non-scalar nodes exceeds
/// the specified max=50"), so we refuse it too.
pub(crate) const MAX_COLLECTION_ALIASES: usize = 50;

/// The most text all alias expansions together may produce. Even 50 aliases can double a node fifty times ("billion
/// laughs"); a real config that uses anchors copies a few kilobytes at most.
pub(crate) const MAX_ALIAS_EXPANSION_BYTES: usize = 1 << 20;

/// Why Flink would refuse to load this `config.yaml` ("Error parsing YAML configuration.").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct StandardYamlError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// A limit of ours (nesting depth, alias expansion) rather than a file Flink itself refuses.
    pub ours: bool,
}

impl StandardYamlError {
    /// What to tell the user to do about it.
    pub fn fix(&self) -> &'static str {
        if self.ours {
            "flinktune refuses files this deep or this expanded to protect the host"
        } else {
            "fix the file: Flink would fail to load it with \"Error parsing YAML configuration.\""
        }
    }
}

/// Parses the text of a `config.yaml`; `path` only labels origins and errors.
///
/// Events are flattened as the parser yields them, never collected: a file of 300,000 keys would otherwise hold over
/// a million events at once (140 MB; issue 12). Flink's snakeyaml composes the whole document before Flink looks at
/// a key, so a syntax error anywhere wins over what flattening refuses (a duplicate key, a null value, our limits):
/// after such a refusal the rest of the file is still read for a syntax error.
///
/// A large file is parsed on a thread of its own while this one flattens what it has parsed so far: the two halves
/// take about as long, and together they were most of `check`'s time on 300,000 keys (issue 12).
pub fn parse_standard_yaml(path: &str, text: &str) -> Result<LoadedFile, StandardYamlError> {
    if text.len() < PARSER_THREAD_BYTES {
        return flatten(path, text, Parser::new_from_str(text));
    }
    std::thread::scope(|scope| {
        let (batches, parsed) = std::sync::mpsc::sync_channel::<Vec<Parsed<'_>>>(BATCHES_IN_FLIGHT);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(EVENTS_PER_BATCH);
            for event in Parser::new_from_str(text) {
                // The parser stops at its first error.
                let last = event.is_err();
                batch.push(event);
                if last || batch.len() == EVENTS_PER_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(EVENTS_PER_BATCH));
                    // An error: the flattener stopped reading (it met a syntax error), so nothing more is needed.
                    if batches.send(full).is_err() || last {
                        return;
                    }
                }
            }
            // As above: the flattener may have stopped already.
            let _ = batches.send(batch);
        });
        // The receiver is dropped when flattening ends, which ends the parser thread if it is still sending.
        flatten(path, text, parsed.into_iter().flatten())
    })
}

/// Files at least this large are parsed on a thread of their own ([`parse_standard_yaml`]); a real config (a few
/// kilobytes) is not worth a thread.
const PARSER_THREAD_BYTES: usize = 1 << 20;

/// Events handed from the parser thread at a time, and how many batches may wait: enough to keep both threads busy,
/// few enough that the events of a large file are never all held at once.
const EVENTS_PER_BATCH: usize = 4_096;
const BATCHES_IN_FLIGHT: usize = 4;

/// One event of the parser, or the syntax error it stopped at.
type Parsed<'input> = Result<(Event<'input>, Span), ScanError>;

/// Flattens the events of `text` as `events` yields them.
fn flatten<'input>(
    path: &str,
    text: &str,
    events: impl Iterator<Item = Parsed<'input>>,
) -> Result<LoadedFile, StandardYamlError> {
    let mut flattener = Flattener {
        path,
        shared_path: path.into(),
        events: events.peekable(),
        last_span: Span::default(),
        syntax_error_seen: false,
        lines: text.bytes().filter(|&byte| byte == b'\n').count() + 1,
        depth: 0,
        anchors: HashMap::new(),
        collection_aliases: 0,
        alias_bytes: 0,
        loaded: LoadedFile::default(),
    };
    match flattener.document() {
        Ok(()) => Ok(flattener.loaded),
        Err(error) if flattener.syntax_error_seen => Err(error),
        Err(refusal) => Err(flattener.first_syntax_error().unwrap_or(refusal)),
    }
}

/// A node's flattened content: a scalar value, a sequence as its YAML flow text, or `(relative key, value, origin)`
/// triples for a mapping.
#[derive(Debug, Clone)]
enum Node {
    Scalar(Value, Origin),
    /// Kept apart from a text scalar so that a sequence inside a sequence is written as it is (`[['x']]`), not quoted
    /// again at every level (which doubled its quotes per level: 70 bytes of `[[[...]]]` grew to gigabytes).
    Sequence(String, Origin),
    Mapping(Vec<FlatEntry>),
}

impl Node {
    /// The bytes a copy of this node costs: what an alias to it adds to the flattened file.
    fn weight(&self) -> usize {
        match self {
            Node::Scalar(value, _) => value_weight(value),
            Node::Sequence(text, _) => text.len(),
            Node::Mapping(entries) => entries
                .iter()
                .map(|(key, value, _)| key.len() + value_weight(value))
                .sum(),
        }
    }
}

fn value_weight(value: &Value) -> usize {
    match value {
        Value::Text(text) | Value::Integer(text) => text.len(),
        Value::Float(_) | Value::Bool(_) => 8,
    }
}

struct Flattener<'a, 'input, Events: Iterator<Item = Parsed<'input>>> {
    path: &'a str,
    /// `path` once for every origin.
    shared_path: std::sync::Arc<str>,
    events: std::iter::Peekable<Events>,
    /// Where the last event read was: an unexpected end is reported there.
    last_span: Span,
    /// The parser refused the text: the error being returned is that syntax error.
    syntax_error_seen: bool,
    /// How many lines the file has: about as many keys as its top-level mapping will hold.
    lines: usize,
    /// How many mappings and sequences enclose the node being read.
    depth: usize,
    anchors: HashMap<usize, Node>,
    collection_aliases: usize,
    alias_bytes: usize,
    loaded: LoadedFile,
}

impl<'input, Events: Iterator<Item = Parsed<'input>>> Flattener<'_, 'input, Events> {
    fn error(&self, span: Span, message: impl Into<String>) -> StandardYamlError {
        refusal_at(self.path, span, message)
    }

    /// An error from one of our own limits, not Flink's.
    fn limit(&self, span: Span, message: impl Into<String>) -> StandardYamlError {
        StandardYamlError {
            ours: true,
            ..self.error(span, message)
        }
    }

    fn syntax_error(&mut self, error: &ScanError) -> StandardYamlError {
        self.syntax_error_seen = true;
        StandardYamlError {
            path: self.path.to_string(),
            line: error.marker().line(),
            column: error.marker().col() + 1,
            message: format!("invalid YAML: {}", error.info()),
            ours: false,
        }
    }

    /// The rest of the file read for the syntax error that Flink would report before anything flattening refuses.
    fn first_syntax_error(&mut self) -> Option<StandardYamlError> {
        let error = self.events.by_ref().find_map(Result::err)?;
        Some(self.syntax_error(&error))
    }

    fn origin(&self, span: Span) -> Origin {
        Origin::File {
            path: self.shared_path.clone(),
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }

    /// The next event; the end of the stream is an error, as every node the flattener reads must be complete.
    fn next(&mut self) -> Result<(Event<'input>, Span), StandardYamlError> {
        match self.events.next() {
            Some(Ok((event, span))) => {
                self.last_span = span;
                Ok((event, span))
            }
            Some(Err(error)) => Err(self.syntax_error(&error)),
            None => Err(self.error(self.last_span, "unexpected end of the YAML stream")),
        }
    }

    /// The next event, left to be read.
    fn peek(&mut self) -> Result<&(Event<'input>, Span), StandardYamlError> {
        if let Some(Err(error)) = self.events.peek() {
            let error = error.clone();
            return Err(self.syntax_error(&error));
        }
        // Peeked again, now that it is not an error: the event stays where it was read.
        match self.events.peek() {
            Some(Ok(event)) => Ok(event),
            _ => Err(refusal_at(
                self.path,
                self.last_span,
                "unexpected end of the YAML stream",
            )),
        }
    }

    /// Reads the stream into `self.loaded`.
    fn document(&mut self) -> Result<(), StandardYamlError> {
        let mut documents = 0;
        loop {
            let &(ref event, span) = self.peek()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {
                    self.next()?;
                }
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.next()?;
                    documents += 1;
                    if documents > 1 {
                        return Err(self.error(
                            span,
                            "expected a single document in the stream, found another one",
                        ));
                    }
                }
                _ => match self.node()? {
                    Node::Mapping(entries) => {
                        let (configuration, replaced) =
                            Configuration::from_entries_in_order(entries);
                        self.loaded.configuration = configuration;
                        self.loaded.warnings.extend(replaced.into_iter().map(
                                |(key, origin, previous)| LoadWarning {
                                    kind: LoadWarningKind::Duplicate,
                                    message: format!(
                                        "'{key}' is also set on line {} (once flat, once nested); Flink keeps \
                                         this later one",
                                        previous.origin.position().0
                                    ),
                                    key: Some(key),
                                    origin,
                                },
                            ));
                    }
                    Node::Scalar(_, _) | Node::Sequence(_, _) => {
                        return Err(self.error(
                            span,
                            "the top level of config.yaml must be a mapping of keys",
                        ));
                    }
                },
            }
        }
        Ok(())
    }

    fn node(&mut self) -> Result<Node, StandardYamlError> {
        let (event, span) = self.next()?;
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| t.suffix.clone());
                (
                    Node::Scalar(
                        resolve_scalar(text, style, tag.as_deref()),
                        self.origin(span),
                    ),
                    anchor,
                )
            }
            Event::MappingStart(anchor, _) => (self.nested(span, Self::mapping)?, anchor),
            Event::SequenceStart(anchor, _) => {
                (self.nested(span, |this| this.sequence(span))?, anchor)
            }
            Event::Alias(id) => return self.alias(id, span),
            _ => return Err(self.error(span, "unexpected YAML structure")),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }

    /// Reads a mapping or sequence one level deeper, refusing to go past [`MAX_NESTING_DEPTH`].
    fn nested(
        &mut self,
        span: Span,
        read: impl FnOnce(&mut Self) -> Result<Node, StandardYamlError>,
    ) -> Result<Node, StandardYamlError> {
        if self.depth >= MAX_NESTING_DEPTH {
            return Err(self.limit(
                span,
                format!(
                    "mappings and sequences nest more than {MAX_NESTING_DEPTH} levels deep; flatten the file \
                     (a real Flink config nests a few levels)"
                ),
            ));
        }
        self.depth += 1;
        let node = read(self);
        self.depth -= 1;
        node
    }

    /// A copy of an anchored node, within snakeyaml-engine's alias limit and our expansion budget.
    fn alias(&mut self, id: usize, span: Span) -> Result<Node, StandardYamlError> {
        let Some(node) = self.anchors.get(&id) else {
            return Err(self.error(span, "alias to an unknown anchor"));
        };
        if !matches!(node, Node::Scalar(_, _)) {
            self.collection_aliases += 1;
            if self.collection_aliases > MAX_COLLECTION_ALIASES {
                return Err(self.error(
                    span,
                    format!(
                        "more than {MAX_COLLECTION_ALIASES} aliases to mappings or sequences; Flink refuses to load \
                         the file (\"Number of aliases for non-scalar nodes exceeds the specified max\")"
                    ),
                ));
            }
        }
        self.alias_bytes = self.alias_bytes.saturating_add(node.weight());
        if self.alias_bytes > MAX_ALIAS_EXPANSION_BYTES {
            return Err(self.limit(
                span,
                format!(
                    "aliases expand to more than {} MiB of configuration; write the values out instead of \
                     nesting aliases",
                    MAX_ALIAS_EXPANSION_BYTES >> 20
                ),
            ));
        }
        Ok(node.clone())
    }

    fn mapping(&mut self) -> Result<Node, StandardYamlError> {
        // The top-level mapping of a block-style file holds a key per line or fewer: room for them from the start,
        // rather than the entries and their keys copied each time a list of 300,000 doubles (issue 12).
        let expected = if self.depth == 1 { self.lines } else { 0 };
        let mut entries: Vec<FlatEntry> = Vec::with_capacity(expected);
        let mut keys_here = MappingKeys::with_capacity(expected);
        loop {
            let (event, key_span) = self.next()?;
            let key = match event {
                Event::MappingEnd => break,
                Event::Scalar(text, style, _, tag) => {
                    let tag = tag.map(|t| t.suffix.clone());
                    match resolve_scalar(text, style, tag.as_deref()) {
                        Value::Text(text) if is_null(&text, style, tag.as_deref()) => {
                            return Err(self.error(key_span, "a mapping key is null"));
                        }
                        value => value.into_java_string(),
                    }
                }
                _ => return Err(self.error(key_span, "mapping keys must be plain scalars")),
            };
            if let Some(previous) = keys_here.line_of(&key, &entries) {
                return Err(self.error(
                    key_span,
                    format!("found duplicate key {key} (first on line {previous}); Flink refuses to load the file"),
                ));
            }
            if let (Event::Scalar(text, style, _, tag), value_span) = self.peek()? {
                let value_span = *value_span;
                if is_null(text, *style, tag.as_ref().map(|t| t.suffix.as_str())) {
                    return Err(self.error(
                        value_span,
                        format!("'{key}' has a null value; Flink refuses to load the file (\"Value must not be null.\")"),
                    ));
                }
            }
            let first = entries.len();
            let key_len = key.len();
            let key_without_entry =
                match self.node()? {
                    Node::Scalar(value, origin) => {
                        entries.push((key, value, origin));
                        None
                    }
                    Node::Sequence(text, origin) => {
                        entries.push((key, Value::Text(text), origin));
                        None
                    }
                    Node::Mapping(children) if children.is_empty() => Some(key),
                    Node::Mapping(children) => {
                        entries.extend(children.into_iter().map(|(child, value, origin)| {
                            (format!("{key}.{child}"), value, origin)
                        }));
                        None
                    }
                };
            keys_here.remember(
                &entries,
                first,
                key_len,
                key_without_entry,
                key_span.start.line(),
            );
        }
        Ok(Node::Mapping(entries))
    }

    /// Flink keeps a list under one key; we keep it as the YAML flow text Flink's own writer produces.
    fn sequence(&mut self, start: Span) -> Result<Node, StandardYamlError> {
        let mut items = Vec::new();
        loop {
            match self.peek()? {
                (Event::SequenceEnd, _) => {
                    self.next()?;
                    break;
                }
                _ => match self.node()? {
                    Node::Scalar(Value::Text(text), _) => {
                        items.push(format!("'{}'", text.replace('\'', "''")))
                    }
                    Node::Scalar(value, _) => items.push(value.java_string()),
                    Node::Sequence(text, _) => items.push(text),
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
        Ok(Node::Sequence(
            format!("[{}]", items.join(", ")),
            self.origin(start),
        ))
    }
}

/// What flattening refuses at `span` of the file at `path`.
fn refusal_at(path: &str, span: Span, message: impl Into<String>) -> StandardYamlError {
    StandardYamlError {
        path: path.to_string(),
        line: span.start.line(),
        column: span.start.col() + 1,
        message: message.into(),
        ours: false,
    }
}

fn is_null(text: &str, style: ScalarStyle, tag: Option<&str>) -> bool {
    style == ScalarStyle::Plain
        && tag.is_none()
        && matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Resolves a scalar with the YAML 1.2 core schema, as snakeyaml-engine's `CoreSchema` does for Flink.
/// The parser's text is moved into a text value, not copied.
fn resolve_scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::Text(kept(text)),
        Some(_) | None if style != ScalarStyle::Plain => return Value::Text(kept(text)),
        _ => {}
    }
    match &*text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(integer) = core_integer(&text) {
        return Value::Integer(integer);
    }
    if is_core_float(&text)
        && let Ok(value) = text.parse::<f64>()
    {
        return Value::Float(value);
    }
    Value::Text(kept(text))
}

/// The parser's text of a scalar, to be kept as a key or value. saphyr reserves room for 128 more bytes in each plain
/// scalar it reads; trimmed, a file of 300,000 keys holds 60 MB less (issue 12).
fn kept(text: Cow<'_, str>) -> String {
    let mut text = text.into_owned();
    text.shrink_to_fit();
    text
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
    fn a_syntax_error_after_a_refused_key_is_what_is_reported() {
        // Flink's snakeyaml reads the whole file before Flink looks at a key: the syntax error on line 4 wins over the
        // duplicate on line 2, and over the null value and the nesting limit, though flattening meets those first.
        let syntax = "config.yaml:4:";
        assert!(
            load("a: 1\na: 2\nb: 3\nc: x: y\n")
                .unwrap_err()
                .starts_with(syntax)
        );
        assert!(
            load("a: ~\nb: 2\nc: 3\nd: x: y\n")
                .unwrap_err()
                .starts_with(syntax)
        );
        let deep = format!(
            "a: {}x{}\nb: 1\nc: 2\nd: x: y\n",
            "[".repeat(120),
            "]".repeat(120)
        );
        assert!(
            load(&deep).unwrap_err().starts_with(syntax),
            "{:?}",
            load(&deep)
        );
        // Without one, the refusal itself.
        assert!(
            load("a: 1\na: 2\nb: 3\n")
                .unwrap_err()
                .contains("duplicate key a")
        );
    }

    #[test]
    fn a_large_file_parsed_on_a_thread_of_its_own_reads_as_on_one() {
        let keys = |from: usize, to: usize| -> String {
            (from..to)
                .map(|index| format!("key{index}:\n  nested: {index}\n  text: 'v{index}'\n"))
                .collect()
        };
        let (head, tail) = (keys(0, 30_000), keys(30_000, 60_000));
        let whole = format!("{head}{tail}");
        assert!(whole.len() >= PARSER_THREAD_BYTES);
        let direct = |text: &str| {
            flatten("config.yaml", text, Parser::new_from_str(text)).map_err(|e| e.to_string())
        };
        let threaded = load(&whole).unwrap();
        assert_eq!(threaded.configuration.len(), 120_000);
        assert_eq!(Ok(threaded), direct(&whole));
        // Refusals, each as the parser on this thread gives it: a duplicate (the rest read for a syntax error), a
        // duplicate before a syntax error (which wins), a syntax error mid-file (both threads stop there).
        let cases = [
            format!("a: 1\na: 2\n{whole}"),
            format!("a: 1\na: 2\n{whole}z: x: y\n"),
            format!("{head}z: x: y\n{tail}"),
        ];
        for (case, says) in cases
            .iter()
            .zip(["duplicate key a", "invalid YAML", "invalid YAML"])
        {
            let error = load(case).unwrap_err();
            assert!(error.contains(says), "{error}");
            assert_eq!(Err(error), direct(case));
        }
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
            resolve_scalar("1728m".into(), ScalarStyle::Plain, None),
            Value::Text("1728m".into())
        );
        assert_eq!(
            resolve_scalar("1".into(), ScalarStyle::DoubleQuoted, None),
            Value::Text("1".into())
        );
        assert_eq!(
            resolve_scalar("empty".into(), ScalarStyle::Plain, None),
            Value::Text("empty".into())
        );
    }

    #[test]
    fn nested_sequences_are_written_once_not_quoted_per_level() {
        let file = load("a: [[['x']], 1]\n").unwrap();
        assert_eq!(value(&file, "a"), Some(Value::Text("[[['x']], 1]".into())));
        // 32 levels used to double the quotes per level (gigabytes); now the text is as long as the input.
        let deep = format!("a: {}x{}\n", "[".repeat(32), "]".repeat(32));
        let file = load(&deep).unwrap();
        assert_eq!(
            value(&file, "a"),
            Some(Value::Text(format!(
                "{}'x'{}",
                "[".repeat(32),
                "]".repeat(32)
            )))
        );
    }

    #[test]
    fn nesting_depth_is_bounded() {
        let block: String = (0..7000)
            .map(|level| format!("{}k:\n", " ".repeat(level)))
            .collect::<String>()
            + &" ".repeat(7000)
            + "v\n";
        let error = load(&block).unwrap_err();
        assert!(error.contains("nest more than 100 levels"), "{error}");
        let flow = format!("a: {}x{}\n", "[".repeat(5000), "]".repeat(5000));
        let error = load(&flow).unwrap_err();
        assert!(
            error.contains("nest more than") || error.contains("recursion"),
            "{error}"
        );
        let ok = format!("a: {}x{}\n", "[".repeat(99), "]".repeat(99));
        assert!(load(&ok).is_ok());
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut laughs = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let previous = format!("*l{}", level - 1);
            let items = [previous.as_str(); 9].join(", ");
            laughs.push_str(&format!("l{level}: &l{level} [{items}]\n"));
        }
        let error = load(&laughs).unwrap_err();
        assert!(error.contains("aliases"), "{error}");
        let mut doubling = String::from("a0: &a0 [xxxxxxxxxxxxxxxx]\n");
        for level in 1..40 {
            doubling.push_str(&format!(
                "a{level}: &a{level} [*a{p}, *a{p}]\n",
                p = level - 1
            ));
        }
        assert!(load(&doubling).unwrap_err().contains("aliases"));
        let fine = load("base: &b {x: 1}\nc: *b\nd: *b\n").unwrap();
        assert_eq!(value(&fine, "d.x"), Some(Value::Integer("1".into())));
    }

    #[test]
    fn empty_file_is_an_empty_configuration() {
        assert!(load("").unwrap().configuration.is_empty());
        assert!(load("# only a comment\n").unwrap().configuration.is_empty());
    }
}
