//! A configuration file as loaded for one release: what Flink would see, the file it came from, the parser that read
//! it and what that parser noticed. Plain data, so the rules of `check` take it without touching the disk (reading
//! it is the edge `conf_source`).

use std::path::PathBuf;

use super::{Configuration, LoadWarning};

/// How a file is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// `flink-conf.yaml`, Flink's line-by-line reader.
    Legacy,
    /// `config.yaml`, YAML 1.2.
    StandardYaml,
}

impl FileFormat {
    pub fn describe(self) -> &'static str {
        match self {
            FileFormat::Legacy => "legacy flink-conf.yaml parser",
            FileFormat::StandardYaml => "standard YAML parser",
        }
    }
}

/// A configuration as Flink would see it, with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub configuration: Configuration,
    pub file: PathBuf,
    pub format: FileFormat,
    pub warnings: Vec<LoadWarning>,
    /// The file's text, for readers that need more than the parsed keys (`check` on nested legacy YAML).
    pub text: String,
}
