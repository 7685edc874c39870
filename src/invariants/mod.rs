//! Invariants: rules a deployment must keep for its settings to hold together, each with a stable ID, shared by
//! `recommend` (which never returns a plan that breaks an error-level one) and `check` (which reports them on any
//! configuration). The principle (issue 11): what `recommend` writes, `check` finds coherent; what `check` flags,
//! `recommend` never writes. The rules judge a plain-data [`Deployment`] built from a resolved configuration plus,
//! when known, the host and the job's hints; the numbers they compare come from the estimators
//! (src/advisor/estimate/). Dependencies point down only: flink, host, profile, estimate.

pub(crate) mod checkpoints;
pub(crate) mod deployment;
pub(crate) mod garbage_collector;
pub(crate) mod local_disk;
pub(crate) mod memory;
pub(crate) mod network;
pub(crate) mod parallelism;
pub(crate) mod recovery;
#[cfg(test)]
mod rule_tests;
pub(crate) mod state;
#[cfg(test)]
mod sweep_tests;

pub(crate) use deployment::Deployment;

/// How bad a broken invariant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// Flink refuses it or it fails at run time: `recommend` never writes it.
    Error,
    /// It works, but against the job's own objectives or Flink's guidance.
    Warning,
}

/// One broken invariant: which rule, how bad, what it measured and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    /// Stable, e.g. `FT-MEM-001`; documented in the rule's file.
    pub id: &'static str,
    pub level: Level,
    /// The key the fix is about, when there is one.
    pub key: Option<&'static str>,
    /// What is wrong, with the numbers the rule used.
    pub message: String,
    /// The input or key to change.
    pub fix: String,
}

impl Violation {
    pub(crate) fn new(
        id: &'static str,
        level: Level,
        key: Option<&'static str>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Violation {
            id,
            level,
            key,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// `FT-MEM-001: message; fix`, as recommend prints it.
    pub(crate) fn one_line(&self) -> String {
        format!("{}: {}; {}", self.id, self.message, self.fix)
    }
}

/// Every invariant over `deployment`, errors first, then by ID.
pub(crate) fn evaluate(deployment: &Deployment) -> Vec<Violation> {
    let mut violations = Vec::new();
    violations.extend(memory::violations(deployment));
    violations.extend(network::violations(deployment));
    violations.extend(parallelism::violations(deployment));
    violations.extend(checkpoints::violations(deployment));
    violations.extend(recovery::violations(deployment));
    violations.extend(state::violations(deployment));
    violations.extend(local_disk::violations(deployment));
    violations.extend(garbage_collector::violations(deployment));
    violations.sort_by(|a, b| a.level.cmp(&b.level).then(a.id.cmp(b.id)));
    violations
}
