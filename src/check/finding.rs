//! One finding of `flinktune check`: how bad, which key, where, what is wrong and how to fix it.

use std::borrow::Cow;

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
    /// Most fixes are one fixed sentence per rule: borrowed, not copied for each of a file's 300,000 keys (issue 12).
    pub fix: Cow<'static, str>,
}

impl Finding {
    pub(crate) fn new(
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<Cow<'static, str>>,
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

    /// Where a finding goes in the report before its key and message are compared: by position in the file
    /// (file-wide and `-D` findings first), then severity.
    fn place(&self) -> (Option<(usize, usize)>, Severity) {
        (self.position(), self.severity)
    }
}

/// Sorts `findings` into report order, stably: by position in the file (file-wide and `-D` findings first), then
/// severity, then key, then message. Each finding's position and severity are computed once and sorted as plain
/// numbers (a check of 300,000 keys spent a sixth of its time in comparisons that matched both findings' origins each
/// time; issue 12); keys and messages are compared only among findings at one place and severity.
pub(crate) fn sort_in_report_order(findings: &mut [Finding]) {
    findings.sort_by_cached_key(Finding::place);
    for tied in findings.chunk_by_mut(|a, b| a.place() == b.place()) {
        tied.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.message.cmp(&b.message)));
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::*;

    /// The order in one comparator, as `check` sorted before: the reference for [`sort_in_report_order`].
    fn report_order(a: &Finding, b: &Finding) -> Ordering {
        a.position()
            .cmp(&b.position())
            .then(a.severity.cmp(&b.severity))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.message.cmp(&b.message))
    }

    fn severity(pick: u8) -> Severity {
        match pick % 3 {
            0 => Severity::Error,
            1 => Severity::Warn,
            _ => Severity::Info,
        }
    }

    proptest::proptest! {
        /// Few lines, keys and messages, so that ties at every level are common; the fix tells equal findings apart,
        /// so that a sort that is not stable shows.
        #[test]
        fn sorting_matches_the_one_comparator_stably(
            rows in proptest::collection::vec((0u8..3, proptest::option::of((0usize..4, 0usize..3)), proptest::option::of(0u8..3), 0u8..3), 0..60),
        ) {
            let findings: Vec<Finding> = rows
                .iter()
                .enumerate()
                .map(|(index, (pick, position, key, message))| {
                    let origin = position.map(|(line, column)| Origin::File { path: "config.yaml".into(), line, column });
                    let mut finding = Finding::new(severity(*pick), format!("message {message}"), format!("fix {index}"));
                    finding.key = key.map(|key| format!("key.{key}"));
                    finding.origin = origin;
                    finding
                })
                .collect();
            let mut expected = findings.clone();
            expected.sort_by(report_order);
            let mut sorted = findings;
            sort_in_report_order(&mut sorted);
            proptest::prop_assert_eq!(sorted, expected);
        }
    }
}
