//! Emitters: pure functions from a [`Recommendation`](crate::advisor::Recommendation) to text. The config file a
//! team commits ([`config_file`]), and what `recommend` prints ([`summary`]: a table, JSON, or `-D` flags).

pub mod config_file;
pub mod diff;
pub mod summary;
