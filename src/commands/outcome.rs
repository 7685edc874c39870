//! What every command returns: the text for stdout, the lines for stderr and the exit status. One type, so that
//! `lib.rs` prints every command the same way and the severity prefix ("warning: ") is added in one place
//! ([`Message`]'s `Display`).

use std::fmt;

/// How a run ended, as the binary's exit status (README "Exit status"); usage and runtime errors are
/// [`crate::Error`], whose `exit_code` is 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 0: done, nothing at error level.
    Clean,
    /// 1: the result holds errors (Flink rejects the configuration, or `--check` found drift).
    Findings,
}

impl Status {
    /// The process exit status.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Clean => 0,
            Status::Findings => 1,
        }
    }
}

/// How much a stderr line matters; decides its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    /// Something the user should look at: "warning: ...".
    Warning,
    /// What was done ("wrote FILE"), printed as is.
    Info,
}

/// One stderr line (it may span several lines, e.g. a diff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    severity: Severity,
    text: String,
}

impl Message {
    /// The line as printed: its text made `printable` (redacted and escaped) before the severity is coloured when
    /// `color`, so that the colour's own escape codes are the only ones that reach the terminal.
    pub(crate) fn render(&self, color: bool, printable: fn(&str) -> String) -> String {
        let text = printable(&self.text);
        match self.severity {
            Severity::Warning => format!(
                "{}: {text}",
                crate::text::style::paint("warning", crate::text::style::Tone::Warning, color)
            ),
            Severity::Info => text,
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Warning => write!(f, "warning: {}", self.text),
            Severity::Info => f.write_str(&self.text),
        }
    }
}

/// A command's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) stdout: String,
    /// `stdout` is a report that escaped every string from outside where it went in (text/table.rs escapes each
    /// cell) and may hold flinktune's own colours: printed as is, where other text is escaped on a terminal.
    pub(crate) stdout_escaped: bool,
    pub(crate) stderr: Vec<Message>,
    pub(crate) status: Status,
}

impl Outcome {
    /// `stdout`, nothing on stderr, exit status 0.
    pub(crate) fn clean(stdout: String) -> Self {
        Outcome {
            stdout,
            stdout_escaped: false,
            stderr: Vec::new(),
            status: Status::Clean,
        }
    }

    /// [`Outcome::clean`] for a report whose parts from outside are escaped already and which may hold colours.
    pub(crate) fn escaped_report(stdout: String) -> Self {
        Outcome {
            stdout_escaped: true,
            ..Outcome::clean(stdout)
        }
    }

    /// Exit status 1 when `findings` is true.
    pub(crate) fn findings_if(mut self, findings: bool) -> Self {
        if findings {
            self.status = Status::Findings;
        }
        self
    }

    pub(crate) fn warning(&mut self, text: impl Into<String>) {
        self.stderr.push(Message {
            severity: Severity::Warning,
            text: text.into(),
        });
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.stderr.push(Message {
            severity: Severity::Info,
            text: text.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_carry_the_prefix_and_infos_do_not() {
        let mut outcome = Outcome::clean(String::new()).findings_if(true);
        outcome.warning("low memory");
        outcome.info("wrote x");
        let lines: Vec<String> = outcome.stderr.iter().map(ToString::to_string).collect();
        assert_eq!(lines, ["warning: low memory", "wrote x"]);
        assert_eq!(outcome.status.exit_code(), 1);
    }
}
