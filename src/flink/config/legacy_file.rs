//! The legacy `flink-conf.yaml` reader. Despite the name this file is not YAML: Flink up to 1.20 reads it line by
//! line (`GlobalConfiguration.loadYAMLResource`; docs/flink-config-files.md), and so must we, quirks included:
//! the first `#` starts a comment even inside a value, the key ends at the first `": "`, values stay raw strings
//! (quotes included), the last duplicate wins, and malformed lines are skipped with a warning.

use super::{Configuration, LoadWarning, LoadWarningKind, LoadedFile, Origin, Value};
use crate::flink::java_text::java_trim;

/// The lines of a legacy `flink-conf.yaml` as Flink reads them: Java's `BufferedReader.readLine` splits at `\n`,
/// `\r\n` and a lone `\r`.
pub(crate) fn legacy_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// Parses the text of a legacy `flink-conf.yaml`; `path` only labels origins and warnings.
pub fn parse_legacy_file(path: &str, text: &str) -> LoadedFile {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    let shared_path: std::sync::Arc<str> = path.into();
    for (index, line) in legacy_lines(text).enumerate() {
        let line_number = index + 1;
        let origin = |column: usize| Origin::File {
            path: shared_path.clone(),
            line: line_number,
            column,
        };
        let uncommented = line.split_once('#').map_or(line, |(before, _)| before);
        let content = java_trim(uncommented);
        if content.is_empty() {
            continue;
        }
        let indent = uncommented.len() - uncommented.trim_start_matches(|c: char| c <= ' ').len();
        let column = indent + 1;
        let Some((raw_key, raw_value)) = content.split_once(": ") else {
            warnings.push(LoadWarning {
                kind: LoadWarningKind::SkippedLine,
                key: None,
                origin: origin(column),
                message: "Line is not a key-value pair (missing space after ':'?); Flink skips it"
                    .to_string(),
            });
            continue;
        };
        let key = java_trim(raw_key);
        let value = java_trim(raw_value);
        if key.is_empty() || value.is_empty() {
            warnings.push(LoadWarning {
                kind: LoadWarningKind::SkippedLine,
                key: None,
                origin: origin(column),
                message: "Key or value was empty; Flink skips the line".to_string(),
            });
            continue;
        }
        if indent > 0 {
            warnings.push(LoadWarning {
                kind: LoadWarningKind::Indented,
                key: Some(key.to_string()),
                origin: origin(column),
                message: format!(
                    "'{key}' is indented, but flink-conf.yaml is read line by line: nesting is ignored and the key \
                     is read as '{key}'"
                ),
            });
        }
        entries.push((
            key.to_string(),
            Value::Text(value.to_string()),
            origin(column),
        ));
    }
    let (configuration, replaced) = Configuration::from_entries_in_order(entries);
    warnings.extend(
        replaced
            .into_iter()
            .map(|(key, origin, previous)| LoadWarning {
                kind: LoadWarningKind::Duplicate,
                message: format!(
                    "'{key}' is also set on line {}; the last one wins",
                    previous.origin.position().0
                ),
                key: Some(key),
                origin,
            }),
    );
    // In line order, as Flink logs them; on one line, the indented key's warning before its duplicate's (stable).
    warnings.sort_by_key(|warning| warning.origin.position().0);
    LoadedFile {
        configuration,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(file: &LoadedFile, key: &str) -> Option<String> {
        file.configuration
            .get(key)
            .map(|entry| entry.value.java_string())
    }

    #[test]
    fn reads_flink_style_lines() {
        let file = parse_legacy_file(
            "flink-conf.yaml",
            "# comment\n\
             taskmanager.memory.process.size: 1728m\n\
             jobmanager.memory.process.size:1600m\n\
             key.with.hash: abc#def\n\
             quoted: \"bar\"\n\
             url: http://host:8081/x\n\
             dup: 1\n\
             dup: 2\n\
             empty: \n\
             \r\n",
        );
        assert_eq!(
            text_of(&file, "taskmanager.memory.process.size").as_deref(),
            Some("1728m")
        );
        assert_eq!(
            text_of(&file, "jobmanager.memory.process.size"),
            None,
            "no space after ':'"
        );
        assert_eq!(text_of(&file, "key.with.hash").as_deref(), Some("abc"));
        assert_eq!(text_of(&file, "quoted").as_deref(), Some("\"bar\""));
        assert_eq!(text_of(&file, "url").as_deref(), Some("http://host:8081/x"));
        assert_eq!(text_of(&file, "dup").as_deref(), Some("2"));
        let warned_lines: Vec<String> =
            file.warnings.iter().map(|w| w.origin.to_string()).collect();
        assert_eq!(
            warned_lines,
            [
                "flink-conf.yaml:3:1",
                "flink-conf.yaml:8:1",
                "flink-conf.yaml:9:1"
            ]
        );
    }

    #[test]
    fn nested_yaml_is_misread_as_flink_misreads_it() {
        let file = parse_legacy_file("f", "taskmanager:\n  memory:\n    process.size: 2g\n");
        assert_eq!(text_of(&file, "process.size").as_deref(), Some("2g"));
        assert!(file.warnings.iter().any(|w| w.message.contains("indented")));
    }
}
