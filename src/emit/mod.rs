//! Emitters: pure functions from a [`Recommendation`](crate::advisor::Recommendation) to text. The config file a
//! team commits ([`config_file`]), and what `recommend` prints ([`summary`]: a table, JSON, or `-D` flags).

pub(crate) mod base;
pub(crate) mod config_file;
pub(crate) mod diff;
pub(crate) mod hand_edits;
pub(crate) mod summary;
