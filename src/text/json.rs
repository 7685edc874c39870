//! `--format json` output: pretty-printed, one document, a trailing newline; the same for every command.

use serde::Serialize;

/// `value` as pretty JSON; a value serde cannot write (none of ours: plain structs, strings and numbers) becomes an
/// `{"error": ...}` object rather than a panic.
pub(crate) fn pretty(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|error| serde_json::json!({ "error": error.to_string() }).to_string());
    text.push('\n');
    text
}
