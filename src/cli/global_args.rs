//! The flags every command takes: how much to say on stderr (`-q`, `-v`) and whether to colour (`--color`).

use clap::ValueEnum;

use crate::edges::terminal::ColorChoice;

#[derive(Debug, clap::Args)]
pub(super) struct GlobalArgs {
    /// Print nothing on stderr but errors (warnings, notes and "wrote FILE" left out): for CI.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Also say where inputs came from (e.g. which distribution the Flink release was read from).
    #[arg(short, long, global = true)]
    verbose: bool,

    /// Colour severities: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", global = true, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// How much goes to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Verbosity {
    /// Errors only.
    Quiet,
    #[default]
    Normal,
    /// Also where inputs came from.
    Verbose,
}

/// The global flags as plain values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Globals {
    pub(crate) verbosity: Verbosity,
    pub(crate) color: ColorChoice,
}

impl GlobalArgs {
    pub(super) fn into_globals(self) -> Globals {
        Globals {
            verbosity: match (self.quiet, self.verbose) {
                (true, _) => Verbosity::Quiet,
                (false, true) => Verbosity::Verbose,
                (false, false) => Verbosity::Normal,
            },
            color: match self.color {
                ColorArg::Auto => ColorChoice::Auto,
                ColorArg::Always => ColorChoice::Always,
                ColorArg::Never => ColorChoice::Never,
            },
        }
    }
}
