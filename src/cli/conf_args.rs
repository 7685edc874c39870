//! The configuration a command reads, declared once for every command that takes one (`memory`, `check`,
//! `explain`): a conf directory or a file, `-D` on top, and the release that reads them.

use super::Notes;
use std::path::PathBuf;

use super::values;
use crate::edges::conf_source::ConfigSource;
use crate::edges::environment::Environment;
use crate::edges::release_detection::{Places, detect};
use crate::error::Error;
use crate::flink::FlinkVersion;

#[derive(Debug, clap::Args)]
pub(super) struct ConfArgs {
    /// A Flink configuration directory; the file is chosen by version as Flink chooses it.
    /// [default: $FLINK_CONF_DIR, then $FLINK_HOME/conf]
    #[arg(long, value_name = "DIR", conflicts_with = "conf")]
    conf_dir: Option<PathBuf>,

    /// A single configuration file; `flink-conf.yaml` is read with Flink's legacy line parser, any other name as
    /// standard YAML (config.yaml).
    #[arg(long, value_name = "FILE")]
    conf: Option<PathBuf>,

    /// Override a setting, as Flink's `-D key=value` dynamic properties do (repeatable).
    #[arg(short = 'D', value_name = "KEY=VALUE", value_parser = values::dynamic_property)]
    pub(super) dynamic_properties: Vec<(String, String)>,

    /// Flink version: 1.15 to 1.20 or 2.0 to 2.3, patch releases accepted.
    /// [default: the distribution's (lib/ beside the conf dir, or $FLINK_HOME/lib), else a flinktune header's, else
    /// 1.20]
    #[arg(long, value_name = "VERSION", value_parser = values::version)]
    flink_version: Option<FlinkVersion>,
}

impl ConfArgs {
    /// The configuration named on the command line (`file` is a positional argument some commands take in place of
    /// `--conf`; a directory there is read as a conf dir, as `check conf/` means), else none.
    pub(super) fn given(&self, file: Option<PathBuf>) -> Option<ConfigSource> {
        match (file.or_else(|| self.conf.clone()), &self.conf_dir) {
            (Some(dir), _) if dir.is_dir() => Some(ConfigSource::Dir(dir)),
            (Some(file), _) => Some(ConfigSource::File(file)),
            (None, Some(dir)) => Some(ConfigSource::Dir(dir.clone())),
            (None, None) => None,
        }
    }

    /// The release that reads `source`: the flag, else what the distribution or the file says
    /// (src/edges/release_detection.rs); a note for `notes` when it was assumed.
    pub(super) fn release(
        &self,
        source: Option<&ConfigSource>,
        env: &Environment,
        notes: &mut Notes,
    ) -> FlinkVersion {
        let places = Places {
            conf: source.cloned(),
            ..Places::default()
        };
        let release = detect(self.flink_version, &places, env);
        notes.release(&release);
        release.version
    }

    /// The configuration named on the command line, else the one the environment points at.
    pub(super) fn source(
        &self,
        file: Option<PathBuf>,
        env: &Environment,
    ) -> Result<ConfigSource, Error> {
        match self.given(file) {
            Some(source) => Ok(source),
            None => env.default_conf_dir().ok_or(Error::NoConfiguration),
        }
    }
}
