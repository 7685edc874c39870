//! What the command line's defaults come from in the process environment: where Flink's configuration is
//! (`FLINK_CONF_DIR`, `FLINK_HOME`) and the 1.x legacy heap variables Flink's scripts honour. Read once, at the
//! edge, so that turning flags into a request is pure.

use std::path::PathBuf;

use crate::edges::conf_source::ConfigSource;
use crate::flink::config::{CONF_DIR_ENV, HOME_CONF_SUBDIR, HOME_ENV};
use crate::flink::options::{jobmanager, taskmanager};

/// no-color.org's convention, honoured by `--color auto`.
const NO_COLOR_ENV: &str = "NO_COLOR";

/// The environment variables flinktune reads.
#[derive(Debug, Default, Clone)]
pub(crate) struct Environment {
    pub(crate) flink_conf_dir: Option<PathBuf>,
    pub(crate) flink_home: Option<PathBuf>,
    pub(crate) flink_tm_heap: Option<String>,
    pub(crate) flink_jm_heap: Option<String>,
    /// `NO_COLOR` set to anything but empty (no-color.org): no colour unless `--color always`.
    pub(crate) no_color: bool,
}

impl Environment {
    pub(crate) fn from_process() -> Self {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        Environment {
            flink_conf_dir: var(CONF_DIR_ENV).map(PathBuf::from),
            flink_home: var(HOME_ENV).map(PathBuf::from),
            flink_tm_heap: var(taskmanager::LEGACY_HEAP_ENV)
                .map(|v| v.to_string_lossy().into_owned()),
            flink_jm_heap: var(jobmanager::LEGACY_HEAP_ENV)
                .map(|v| v.to_string_lossy().into_owned()),
            no_color: var(NO_COLOR_ENV).is_some(),
        }
    }

    /// `$FLINK_CONF_DIR`, then `$FLINK_HOME/conf`, as Flink's scripts look for the configuration.
    pub(crate) fn default_conf_dir(&self) -> Option<ConfigSource> {
        self.flink_conf_dir
            .clone()
            .or_else(|| {
                self.flink_home
                    .as_ref()
                    .map(|home| home.join(HOME_CONF_SUBDIR))
            })
            .map(ConfigSource::Dir)
    }
}
