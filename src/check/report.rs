//! `check`'s output: a table for people, or a JSON array of `{severity, key, line, column, message, fix}`.

use comfy_table::{Table, presets::ASCII_MARKDOWN};
use serde::Serialize;

use crate::flink::config::Origin;

use super::finding::{Finding, Severity};

pub(crate) fn table(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no findings\n".to_string();
    }
    let mut table = Table::new();
    table
        .load_style(ASCII_MARKDOWN)
        .set_header(["severity", "where", "key", "problem", "fix"]);
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
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    format!(
        "{table}\n{} errors, {} warnings, {} notes\n",
        count(Severity::Error),
        count(Severity::Warn),
        count(Severity::Info)
    )
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
