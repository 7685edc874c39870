//! `check`'s output: a table for people, or a JSON array of `{severity, key, line, column, message, fix}`.
//!
//! The table is for reading, so it keeps to [`MAX_TABLE_ROWS`] findings, the most severe, and counts the rest; the
//! JSON lists every finding, for scripts. A file of 300,000 unknown keys made a table of 300,000 rows, 160 MB of
//! padding that took longer to lay out than the check took to run (issue 12).

use crate::text::style::{Tone, paint};
use crate::text::table::{self, Layout};
use serde::Serialize;

use crate::flink::config::Origin;

use super::finding::{Finding, Severity};

pub(crate) fn table(findings: &[Finding], layout: Layout) -> String {
    if findings.is_empty() {
        return "no findings\n".to_string();
    }
    let shown = most_severe(findings, MAX_TABLE_ROWS);
    let mut table = table::table(layout, ["severity", "where", "key", "problem", "fix"]);
    for finding in &shown {
        let place = match &finding.origin {
            Some(Origin::File { line, column, .. }) => format!("{line}:{column}"),
            Some(Origin::DynamicProperty) => "-D".to_string(),
            None => String::new(),
        };
        table.add_row([
            severity_word(finding.severity).to_string(),
            place,
            finding.key.clone().unwrap_or_default(),
            finding.message.clone(),
            finding.fix.to_string(),
        ]);
    }
    let count = |severity, noun| {
        crate::text::units::count(
            findings.iter().filter(|f| f.severity == severity).count(),
            noun,
        )
    };
    // Coloured after layout (the cells were escaped as they went in, text/table.rs): the colour's escape codes would
    // count as columns.
    let table = table
        .to_string()
        .lines()
        .map(|line| painted_row(line, layout.color))
        .collect::<Vec<_>>()
        .join("\n");
    let hidden = match findings.len() - shown.len() {
        0 => String::new(),
        hidden => format!(
            "{} not shown: the table keeps the {MAX_TABLE_ROWS} most severe; `--format json` lists them all\n",
            crate::text::units::count(hidden, "finding")
        ),
    };
    format!(
        "{table}\n{hidden}{}, {}, {}\n",
        count(Severity::Error, "error"),
        count(Severity::Warn, "warning"),
        count(Severity::Info, "note")
    )
}

/// The most findings the table shows: far more than a real configuration has keys (Flink 2.3 has about 1,500
/// options), few enough to read.
pub(crate) const MAX_TABLE_ROWS: usize = 1_000;

/// At most `max` of `findings` (in report order), the most severe first, still in report order.
fn most_severe(findings: &[Finding], max: usize) -> Vec<&Finding> {
    if findings.len() <= max {
        return findings.iter().collect();
    }
    let mut kept: Vec<usize> = (0..findings.len()).collect();
    // Stable: among findings of one severity, the first in report order are kept.
    kept.sort_by_key(|&index| findings.get(index).map(|finding| finding.severity));
    kept.truncate(max);
    kept.sort_unstable();
    kept.iter()
        .filter_map(|&index| findings.get(index))
        .collect()
}

/// A row whose first cell is a severity word, with that word coloured.
fn painted_row(line: &str, color: bool) -> String {
    let words = [
        (Severity::Error, Tone::Error),
        (Severity::Warn, Tone::Warning),
        (Severity::Info, Tone::Note),
    ];
    for (severity, tone) in words {
        let word = severity_word(severity);
        if color && let Some(rest) = line.strip_prefix(&format!("| {word} ")) {
            return format!("| {} {rest}", paint(word, tone, true));
        }
    }
    line.to_string()
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warn => "warn",
        Severity::Info => "info",
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    key: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    fix: &'a str,
}

pub(crate) fn json(findings: &[Finding]) -> String {
    let rows: Vec<JsonFinding> = findings
        .iter()
        .map(|finding| {
            let position = finding.position();
            JsonFinding {
                severity: finding.severity,
                key: finding.key.as_deref(),
                line: position.map(|(line, _)| line),
                column: position.map(|(_, column)| column),
                message: &finding.message,
                fix: &finding.fix,
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::Origin;
    use crate::text::table::PLAIN;

    fn at_line(severity: Severity, line: usize) -> Finding {
        Finding::new(severity, format!("problem {line}"), "fix").at(
            format!("key.{line}"),
            Some(Origin::File {
                path: "config.yaml".into(),
                line,
                column: 1,
            }),
        )
    }

    #[test]
    fn a_long_table_keeps_the_most_severe_in_file_order_and_counts_the_rest() {
        let mut findings: Vec<Finding> = (1..=MAX_TABLE_ROWS + 1)
            .map(|line| at_line(Severity::Warn, line))
            .collect();
        findings.push(at_line(Severity::Error, MAX_TABLE_ROWS + 2));
        let text = table(&findings, PLAIN);
        let rows: Vec<&str> = text.lines().filter(|line| line.starts_with("| ")).collect();
        assert_eq!(rows.len(), 1 + MAX_TABLE_ROWS, "header and the rows shown");
        assert!(
            rows.last().is_some_and(|row| row.starts_with("| error")),
            "{text}"
        );
        assert!(
            !text.contains(&format!("key.{} ", MAX_TABLE_ROWS + 1)),
            "the last warning is cut"
        );
        assert!(text.ends_with(
            "2 findings not shown: the table keeps the 1000 most severe; `--format json` lists them all\n\
             1 error, 1001 warnings, 0 notes\n"
        ));
        let short = table(&findings[..3], PLAIN);
        assert!(!short.contains("not shown"), "{short}");
    }
}
