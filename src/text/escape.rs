//! Text that came from a server or a file, made safe to show on a terminal. A job name from the REST API or a value
//! from a config file may hold ESC, BEL, CR or newlines: raw, they retitle the terminal, rewrite what was printed or
//! forge an "error:" line. Every line flinktune prints on stderr goes through [`escape_controls`] (lib.rs), as does
//! stdout on a terminal unless a report escaped its parts itself (every table cell goes through [`one_line`] in
//! text/table.rs, so that flinktune's own colours can follow); strings embedded in one line of a message go through
//! [`one_line`]; long lists are cut with [`cut_list`].

use std::borrow::Cow;
use std::fmt::Write;

/// Escapes control characters (C0 but newline and tab, DEL, C1) as `\x1b` or `\u{85}`: the printed text keeps its
/// lines and its meaning, but nothing in it drives the terminal.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, |c| c != '\n' && c != '\t')
}

/// [`escape_controls`] that also escapes newlines and tabs: a string shown inside one line of a message.
pub(crate) fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |_| true)
}

fn escape(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hostile = |c: char| (c.is_control() && escaped(c)) || is_invisible_format(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hostile(c) {
            let code = u32::from(c);
            // Writing to a String cannot fail.
            let _ = if code < 0x80 {
                write!(out, "\\x{code:02x}")
            } else {
                write!(out, "\\u{{{code:x}}}")
            };
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A byte order mark, zero-width or bidirectional-override character: invisible, or reordering what follows, so that
/// a key that prints like a real one is not (`\u{feff}parallelism.default`).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// At most `max` items joined by `separator`, then "and N more": a list from a server (60,000 running jobs) never
/// makes a message megabytes long.
pub(crate) fn cut_list<I>(items: I, max: usize, separator: &str) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    let mut rest = 0usize;
    for (index, item) in items.into_iter().enumerate() {
        if index >= max {
            rest += 1;
            continue;
        }
        if index > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    if rest > 0 {
        let _ = write!(out, "{separator}and {rest} more");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_lines_kept() {
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(
            escape_controls("a\x1b]0;pwned\x07b\r\nc\td\u{85}"),
            "a\\x1b]0;pwned\\x07b\\x0d\nc\td\\u{85}"
        );
        assert_eq!(one_line("job\nerror: forged"), "job\\x0aerror: forged");
        assert_eq!(escape_controls("\u{feff}key"), "\\u{feff}key");
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        let jobs: Vec<String> = (0..60_000).map(|i| format!("job{i}")).collect();
        let text = cut_list(&jobs, 3, "; ");
        assert_eq!(text, "job0; job1; job2; and 59997 more");
        assert_eq!(cut_list(["a", "b"], 3, ", "), "a, b");
    }
}
