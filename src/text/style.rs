//! Severity words in colour, for people at a terminal: red for errors, yellow for warnings. Whether to colour at all
//! is decided at the edge (src/edges/terminal.rs: `--color`, `NO_COLOR`, a terminal or not); this only paints.

use console::Style;

/// How bad a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Error,
    Warning,
    Note,
}

/// `word` in its tone's colour when `color`, else as is.
pub(crate) fn paint(word: &str, tone: Tone, color: bool) -> String {
    if !color {
        return word.to_string();
    }
    // force_styling: the decision was made by the caller, not by console's own terminal check.
    let style = Style::new().force_styling(true);
    let style = match tone {
        Tone::Error => style.red().bold(),
        Tone::Warning => style.yellow(),
        Tone::Note => style.cyan(),
    };
    style.apply_to(word).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_when_asked() {
        assert_eq!(paint("error", Tone::Error, false), "error");
        let painted = paint("error", Tone::Error, true);
        assert!(
            painted.contains("\u{1b}[") && painted.contains("error"),
            "{painted:?}"
        );
    }
}
