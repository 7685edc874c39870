//! How flinktune words values for people: sizes and CPU counts in reasons and tables, shell-quoted words in printed
//! command lines, and "did you mean" for a
//! misspelled key or field. Shared by the advisor, `check`, the host and cluster reports, so it sits below all of them.

pub(crate) mod escape;
pub(crate) mod json;
pub(crate) mod markup;
pub(crate) mod redact;
pub(crate) mod shell;
pub(crate) mod style;
pub(crate) mod suggest;
pub(crate) mod table;
pub(crate) mod units;
