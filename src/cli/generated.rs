//! Text generated from the clap definition itself, so that it never drifts from the flags: shell completion scripts
//! (clap_complete) and the man page (clap_mangen), one roff document with a section per subcommand.

use clap::{CommandFactory, ValueEnum};
use clap_complete::Shell;

use super::Cli;
use crate::error::Error;

/// The shells `flinktune completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// The completion script for `shell`.
pub(super) fn completions(shell: ShellArg) -> Result<String, Error> {
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Elvish => Shell::Elvish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "flinktune", &mut out);
    String::from_utf8(out).map_err(|_| Error::Generated("completion script"))
}

/// The man page: the top-level page, then each subcommand's name, synopsis, description and options.
pub(super) fn man_page() -> Result<String, Error> {
    let command = Cli::command();
    let mut out = Vec::new();
    let io = |_| Error::Generated("man page");
    clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .map_err(io)?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let bin_name = format!("flinktune {}", sub.get_name());
        // A top-level heading per subcommand, then its own sections (roff: .SH starts a section).
        out.extend_from_slice(format!(".SH \"{}\"\n", bin_name.to_uppercase()).as_bytes());
        let page = clap_mangen::Man::new(sub.clone().bin_name(bin_name));
        page.render_synopsis_section(&mut out).map_err(io)?;
        page.render_description_section(&mut out).map_err(io)?;
        page.render_options_section(&mut out).map_err(io)?;
    }
    String::from_utf8(out).map_err(|_| Error::Generated("man page"))
}
