//! `check`'s output: a table for people, or a JSON array of `{severity, key, line, column, message, fix}`.

use crate::text::style::{Tone, paint};
use crate::text::table::{self, Layout};
use serde::Serialize;

use crate::flink::config::Origin;

use super::finding::{Finding, Severity};

pub(crate) fn table(findings: &[Finding], layout: Layout) -> String {
    if findings.is_empty() {
        return "no findings\n".to_string();
    }
    let mut table = table::table(layout, ["severity", "where", "key", "problem", "fix"]);
    for finding in findings {
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
            finding.fix.clone(),
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
    format!(
        "{table}\n{}, {}, {}\n",
        count(Severity::Error, "error"),
        count(Severity::Warn, "warning"),
        count(Severity::Info, "note")
    )
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
