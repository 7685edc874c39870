//! What the streams flinktune prints to are: a terminal (tables wrapped to its width, severities coloured) or a pipe
//! or file (full rows, no escape codes). `--color always|never` decides over the terminal check, and `NO_COLOR` (any
//! non-empty value, no-color.org) turns `auto` off.

use std::io::IsTerminal;

use crate::text::table::Layout;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// How stdout's reports are laid out, and whether stderr's severities are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Streams {
    pub(crate) stdout: Layout,
    pub(crate) stderr_color: bool,
}

/// Looks at the process's stdout and stderr.
pub(crate) fn streams(choice: ColorChoice, no_color: bool) -> Streams {
    let stdout_terminal = std::io::stdout().is_terminal();
    let color = |terminal: bool| match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    Streams {
        stdout: Layout {
            width: stdout_terminal
                .then(|| {
                    console::Term::stdout()
                        .size_checked()
                        .map(|(_, columns)| columns)
                })
                .flatten(),
            color: color(stdout_terminal),
        },
        stderr_color: color(std::io::stderr().is_terminal()),
    }
}
