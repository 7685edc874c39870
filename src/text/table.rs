//! Every report table is made here, so that they all look alike and fit where they go: Markdown-style ASCII (pastes
//! into an issue), wrapped to the terminal's width on a terminal (comfy-table's dynamic arrangement), full rows when
//! stdout is a pipe or file (a script greps whole rows). The width comes from the edge (src/edges/terminal.rs).

use comfy_table::{ContentArrangement, Table, presets::ASCII_MARKDOWN};

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

/// A table with `header`, laid out for `layout`.
pub(crate) fn table<const N: usize>(layout: Layout, header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_style(ASCII_MARKDOWN).set_header(header);
    if let Some(width) = layout.width {
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
    }
    table
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
}
