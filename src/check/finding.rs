//! One finding of `flinktune check`: how bad, which key, where, what is wrong and how to fix it.

use std::cmp::Ordering;

use serde::Serialize;

use crate::flink::config::Origin;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// Flink rejects it, or it silently does something other than what was written.
    Error,
    /// It works, but not as well or as safely as it could.
    Warn,
    /// Worth knowing.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub severity: Severity,
    pub key: Option<String>,
    /// Where the key (or the problem) is; `None` for findings about the whole file.
    pub origin: Option<Origin>,
    pub message: String,
    pub fix: String,
}

impl Finding {
    pub(crate) fn new(
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            key: None,
            origin: None,
            message: message.into(),
            fix: fix.into(),
        }
    }

    pub(crate) fn at(mut self, key: impl Into<String>, origin: Option<Origin>) -> Self {
        self.key = Some(key.into());
        self.origin = origin;
        self
    }

    /// `(line, column)` when the finding points into a file.
    pub(crate) fn position(&self) -> Option<(usize, usize)> {
        match &self.origin {
            Some(Origin::File { line, column, .. }) => Some((*line, *column)),
            _ => None,
        }
    }

    /// Report order: by position in the file (file-wide and `-D` findings first), then severity, then key.
    pub(crate) fn report_order(&self, other: &Finding) -> Ordering {
        // `then_with`: the keys and messages are compared only on a tie. Compared eagerly (`then`), they made
        // sorting a check of 300,000 keys compare millions of strings for nothing (issue 12).
        self.position()
            .cmp(&other.position())
            .then(self.severity.cmp(&other.severity))
            .then_with(|| self.key.cmp(&other.key))
            .then_with(|| self.message.cmp(&other.message))
    }
}
