//! Errors that stop a command before it has a result (exit status 2). Each message names what to fix.
//! Flink rejecting a configuration is not one of these: it is a result, reported with exit status 1.

use std::path::PathBuf;

use crate::flink::config::StandardYamlError;
use crate::flink::version::UnsupportedVersion;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no Flink configuration given: pass --conf-dir DIR or --conf FILE, or set FLINK_CONF_DIR or FLINK_HOME"
    )]
    NoConfiguration,

    #[error("--flink-version: {0}")]
    Version(#[from] UnsupportedVersion),

    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is not valid UTF-8 text; Flink configuration files are UTF-8", path.display())]
    NotText { path: PathBuf },

    #[error(
        "{0} (fix the file: Flink would fail to load it with \"Error parsing YAML configuration.\")"
    )]
    Yaml(#[from] StandardYamlError),

    #[error(
        "Flink {version} reads no configuration file in {}: it expects {expected}",
        dir.display()
    )]
    NoConfigFile {
        dir: PathBuf,
        version: String,
        expected: &'static str,
    },

    #[error(
        "Flink {version} does not read {}: 2.x reads only config.yaml (convert it, or pass --flink-version 1.20)",
        path.display()
    )]
    LegacyFileOnFlink2 { path: PathBuf, version: String },

    #[error("cannot write to standard output: {0}")]
    Output(#[source] std::io::Error),
}
