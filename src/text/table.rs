//! Every report table is made here, so that they all look alike, fit where they go and are safe to show: Markdown-style
//! ASCII (pastes into an issue), wrapped to the terminal's width on a terminal (comfy-table's dynamic arrangement),
//! full rows when stdout is a pipe or file (a script greps whole rows). The width comes from the edge
//! (src/edges/terminal.rs).
//!
//! Each cell's text is escaped as it is added (text/escape.rs): a job name from the REST API or a key from a file
//! cannot recolour a cell, move the cursor or break a row, whether or not a terminal shows it; the colours flinktune
//! adds itself come after layout (check/report.rs). Reports keep their tables to what a person reads (`check` shows
//! at most its `MAX_TABLE_ROWS` most severe findings and counts the rest), so comfy-table lays out every one of them.

use std::fmt;

use comfy_table::{ContentArrangement, Table, presets::ASCII_MARKDOWN};

use crate::text::escape::one_line;

/// How reports are laid out for where they go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    /// The terminal's width in columns; `None`: not a terminal, rows are never wrapped.
    pub(crate) width: Option<u16>,
    /// Severities in ANSI colours (a terminal, no `NO_COLOR`, or `--color always`).
    pub(crate) color: bool,
}

/// Plain and unwrapped: what a pipe gets, and what the tests snapshot.
#[cfg(test)]
pub(crate) const PLAIN: Layout = Layout {
    width: None,
    color: false,
};

/// A report table: a header and rows of escaped cells, rendered by `Display`.
#[derive(Debug, Clone)]
pub(crate) struct ReportTable {
    width: Option<u16>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// A table with `header`, laid out for `layout`.
pub(crate) fn table<const N: usize>(layout: Layout, header: [&str; N]) -> ReportTable {
    ReportTable {
        width: layout.width,
        header: header
            .iter()
            .map(|cell| one_line(cell).into_owned())
            .collect(),
        rows: Vec::new(),
    }
}

impl ReportTable {
    /// Replaces the header, for tables whose columns are known only at run time; escaped as rows are.
    pub(crate) fn set_header<I>(&mut self, cells: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.header = cells
            .into_iter()
            .map(|cell| one_line(cell.as_ref()).into_owned())
            .collect();
    }

    /// Adds a row; each cell is shown on one line with its control characters escaped.
    pub(crate) fn add_row<I>(&mut self, cells: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.rows.push(
            cells
                .into_iter()
                .map(|cell| one_line(cell.as_ref()).into_owned())
                .collect(),
        );
    }

    /// comfy-table's ASCII_MARKDOWN layout: wrapped to the terminal's width (dynamic arrangement), or full rows.
    fn comfy(&self) -> Table {
        let mut table = Table::new();
        table.load_style(ASCII_MARKDOWN).set_header(&self.header);
        if let Some(width) = self.width {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        for row in &self.rows {
            table.add_row(row);
        }
        table
    }
}

impl fmt::Display for ReportTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.comfy().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_the_terminal_and_keeps_rows_whole_in_a_pipe() {
        let long = "word ".repeat(40);
        let mut narrow = table(
            Layout {
                width: Some(60),
                color: false,
            },
            ["key", "why"],
        );
        narrow.add_row(["a", long.trim()]);
        assert!(
            narrow
                .to_string()
                .lines()
                .all(|line| line.chars().count() <= 60)
        );
        let mut piped = table(PLAIN, ["key", "why"]);
        piped.add_row(["a", long.trim()]);
        assert_eq!(
            piped.to_string().lines().count(),
            3,
            "header, rule, one row"
        );
    }

    #[test]
    fn a_hostile_cell_is_escaped_in_every_layout() {
        let hostile = "job\u{1b}[31m red\u{1b}]0;title\u{7}\nerror: forged\r";
        for width in [None, Some(80)] {
            let mut report = table(PLAIN, ["vertex", "why"]);
            report.width = width;
            report.add_row([hostile, "ok"]);
            let text = report.to_string();
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(text.contains("job\\x1b[31m"), "{text}");
            assert!(
                !text.lines().any(|line| line.starts_with("error")),
                "{text}"
            );
        }
    }
}
