//! What the loader noticed (skipped lines, duplicates, a flink-conf.yaml shadowing config.yaml) and nested YAML in a
//! legacy flink-conf.yaml, which Flink's line reader misreads without a word: `taskmanager:` / `  memory:` /
//! `    process.size: 2g` sets a key named `process.size` (verified on 1.18; docs/flink-config-files.md, "The legacy
//! flink-conf.yaml reader").

use crate::flink::config::{LoadWarning, LoadWarningKind, Origin};

use super::finding::{Finding, Severity};

/// `nesting_headers` are the lines [`legacy_nesting`] explains, whose "not a key-value pair" warnings would repeat it;
/// sorted, as it returns them, for a binary search per warning (a scan per warning was quadratic in a legacy file that
/// nests many of its keys, issue 12).
pub(crate) fn from_load_warnings(
    warnings: &[LoadWarning],
    nesting_headers: &[usize],
) -> Vec<Finding> {
    warnings
        .iter()
        .filter(|warning| {
            !matches!(warning.origin, Origin::File { line, .. } if nesting_headers.binary_search(&line).is_ok())
        })
        .filter_map(|warning| {
            let (severity, fix) = match warning.kind {
                LoadWarningKind::SkippedLine => (Severity::Error, "write it as `key: value` (a space after the colon)"),
                LoadWarningKind::Duplicate => (Severity::Warn, "keep one of them"),
                LoadWarningKind::ShadowedFile => (
                    Severity::Error,
                    "move the settings into config.yaml and delete flink-conf.yaml (`flinktune migrate` converts it)",
                ),
                // Reported with the key that was meant by `legacy_nesting`.
                LoadWarningKind::Indented => return None,
            };
            let mut finding = Finding::new(severity, warning.message.clone(), fix);
            finding.key = warning.key.clone();
            finding.origin = Some(warning.origin.clone());
            Some(finding)
        })
        .collect()
}

/// Nested YAML in a legacy file: each indented `key: value` gets the key Flink will read and the one the user meant.
/// Also returns the lines of the mapping headers (`taskmanager:`) above them.
pub(crate) fn legacy_nesting(path: &str, text: &str) -> (Vec<Finding>, Vec<usize>) {
    let mut findings = Vec::new();
    let mut used_headers = Vec::new();
    // (indent, key segment, line) of the open mapping headers.
    let mut parents: Vec<(usize, String, usize)> = Vec::new();
    // One path for every finding's origin, not one allocation per nested line.
    let shared_path: std::sync::Arc<str> = path.into();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split_once('#').map_or(raw, |(before, _)| before);
        let content = line.trim();
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        while parents.last().is_some_and(|(open, _, _)| *open >= indent) {
            parents.pop();
        }
        if let Some(header) = content.strip_suffix(':') {
            parents.push((indent, header.trim().to_string(), index + 1));
            continue;
        }
        let Some((key, _)) = content.split_once(": ") else {
            continue;
        };
        if indent == 0 || parents.is_empty() {
            continue;
        }
        let meant: Vec<&str> = parents
            .iter()
            .map(|(_, segment, _)| segment.as_str())
            .chain(std::iter::once(key.trim()))
            .collect();
        let meant = meant.join(".");
        used_headers.extend(parents.iter().map(|(_, _, line)| *line));
        findings.push(
            Finding::new(
                Severity::Error,
                format!(
                    "nested YAML in flink-conf.yaml: Flink reads this line as '{}', not '{meant}' (the legacy file is \
                     read line by line)",
                    key.trim()
                ),
                format!("write `{meant}: ...` on one unindented line, or use config.yaml (1.19+)"),
            )
            .at(
                key.trim(),
                Some(Origin::File {
                    path: shared_path.clone(),
                    line: index + 1,
                    column: indent + 1,
                }),
            ),
        );
    }
    used_headers.sort_unstable();
    used_headers.dedup();
    (findings, used_headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_yaml_names_the_key_meant() {
        let (findings, headers) = legacy_nesting(
            "flink-conf.yaml",
            "taskmanager:\n  memory:\n    process.size: 2g\n  numberOfTaskSlots: 4\nparallelism.default: 2\n",
        );
        let messages: Vec<_> = findings.iter().map(|f| f.fix.clone()).collect();
        assert_eq!(
            messages,
            [
                "write `taskmanager.memory.process.size: ...` on one unindented line, or use config.yaml (1.19+)",
                "write `taskmanager.numberOfTaskSlots: ...` on one unindented line, or use config.yaml (1.19+)",
            ]
        );
        assert_eq!(findings[0].position(), Some((3, 5)));
        assert_eq!(headers, [1, 2]);
    }

    #[test]
    fn only_indented_keys_under_a_header_are_nested_and_comments_do_not_count() {
        // An indented key with no header above it and a key after the header's block are read as written; a header
        // with nothing under it is not reported.
        let (findings, headers) = legacy_nesting(
            "flink-conf.yaml",
            "  parallelism.default: 2\n# a: comment\nstate:\n\n  backend: rocksdb  # the backend\njobmanager.rpc.port: 6123\nrest: \n",
        );
        let fixes: Vec<_> = findings.iter().map(|f| f.fix.clone()).collect();
        assert_eq!(
            fixes,
            ["write `state.backend: ...` on one unindented line, or use config.yaml (1.19+)"]
        );
        assert_eq!(findings[0].position(), Some((5, 3)));
        assert_eq!(findings[0].key.as_deref(), Some("backend"));
        assert_eq!(headers, [3]);
    }

    fn warning(kind: LoadWarningKind, line: usize) -> LoadWarning {
        LoadWarning {
            kind,
            key: Some(format!("key.{line}")),
            origin: Origin::File {
                path: "flink-conf.yaml".into(),
                line,
                column: 1,
            },
            message: format!("warning on line {line}"),
        }
    }

    #[test]
    fn load_warnings_become_findings_unless_the_nesting_finding_explains_them() {
        let warnings = [
            warning(LoadWarningKind::SkippedLine, 1),
            warning(LoadWarningKind::Duplicate, 2),
            warning(LoadWarningKind::ShadowedFile, 3),
            warning(LoadWarningKind::Indented, 4),
            warning(LoadWarningKind::SkippedLine, 5),
        ];
        let findings = from_load_warnings(&warnings, &[5]);
        let found: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.severity,
                    f.key.as_deref(),
                    f.position(),
                    f.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Error,
                    Some("key.1"),
                    Some((1, 1)),
                    "warning on line 1"
                ),
                (
                    Severity::Warn,
                    Some("key.2"),
                    Some((2, 1)),
                    "warning on line 2"
                ),
                (
                    Severity::Error,
                    Some("key.3"),
                    Some((3, 1)),
                    "warning on line 3"
                ),
            ]
        );
        assert!(findings[2].fix.contains("flinktune migrate"));
    }
}
