//! The Flink release a config is read for. Everything Flink changed between 1.15 and 2.3 that flinktune models is
//! asked of this type, so that version checks are named facts rather than scattered comparisons.

use std::fmt;
use std::str::FromStr;

/// A Flink release line (`major.minor`), optionally with the patch release the user named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlinkVersion {
    major: u8,
    minor: u8,
    patch: Option<u16>,
}

/// The release lines flinktune knows, oldest first (docs/flink-config-keys.md covers exactly these).
pub(crate) const SUPPORTED_LINES: [(u8, u8); 10] = [
    (1, 15),
    (1, 16),
    (1, 17),
    (1, 18),
    (1, 19),
    (1, 20),
    (2, 0),
    (2, 1),
    (2, 2),
    (2, 3),
];

/// Which configuration file a Flink release reads from its conf directory
/// (`GlobalConfiguration.loadConfiguration`; docs/flink-config-files.md, "Which file a release reads").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFilePolicy {
    /// Up to 1.18: `flink-conf.yaml` only, read with the legacy line parser.
    LegacyOnly,
    /// 1.19 and 1.20: `flink-conf.yaml` if it exists (legacy parser), else `config.yaml` (standard YAML).
    LegacyFirstThenStandard,
    /// 2.x: `config.yaml` only.
    StandardOnly,
}

/// Why a version string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unsupported Flink version '{0}': flinktune knows 1.15 to 1.20 and 2.0 to 2.3 (e.g. 1.20 or 2.3.0)"
)]
pub struct UnsupportedVersion(pub String);

impl FlinkVersion {
    /// The default when the user names none: the last 1.x line, still the most deployed.
    pub const DEFAULT: FlinkVersion = FlinkVersion::line(1, 20);

    /// A release line without a patch number. Callers pass only supported lines.
    pub const fn line(major: u8, minor: u8) -> Self {
        FlinkVersion {
            major,
            minor,
            patch: None,
        }
    }

    fn at_least(self, major: u8, minor: u8) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    /// Whether this release line is `other`'s line or later (patch numbers ignored).
    pub fn at_least_line(self, other: FlinkVersion) -> bool {
        self.at_least(other.major, other.minor)
    }

    /// `recommend` writes configs for 1.17 and later: 1.15 and 1.16 can only spell the state backend and the restart
    /// strategy as `state.backend` and `restart-strategy`, keys that are prefixes of their own sub-options, which
    /// Flink's YAML writer cannot nest (docs/flink-config-files.md). Both lines reached end of life in 2024.
    pub fn has_unambiguous_job_keys(self) -> bool {
        self.at_least(1, 17)
    }

    /// ISO-8601 durations (`PT30S`) parse from 2.3 on; 1.15 to 2.2 refuse them (docs/flink-config-files.md,
    /// "Durations").
    pub fn reads_iso_durations(self) -> bool {
        self.at_least(2, 3)
    }

    pub fn is_2x(self) -> bool {
        self.major >= 2
    }

    pub fn config_file_policy(self) -> ConfigFilePolicy {
        if self.is_2x() {
            ConfigFilePolicy::StandardOnly
        } else if self.at_least(1, 19) {
            ConfigFilePolicy::LegacyFirstThenStandard
        } else {
            ConfigFilePolicy::LegacyOnly
        }
    }

    /// `taskmanager.heap.size`/`.mb`, `jobmanager.heap.size`/`.mb`, `FLINK_TM_HEAP`/`FLINK_JM_HEAP` and
    /// `taskmanager.network.numberOfBuffers` still count on 1.x; 2.0 removed them (docs/flink-config-keys.md,
    /// "Removed in 2.0").
    pub fn has_legacy_memory_options(self) -> bool {
        !self.is_2x()
    }

    /// 1.x wraps JobManager memory errors in "JobManager memory configuration failed: "; 2.x throws them bare
    /// (verified on 2.0.1 and 2.3.0; docs/flink-memory-model.md, "JobManager components, derivation and errors").
    pub fn prefixes_jobmanager_memory_errors(self) -> bool {
        !self.is_2x()
    }

    /// `pipeline.jobvertex-parallelism-overrides` changes a submitted job's vertices from 1.17 (the Dispatcher applies
    /// it to the JobGraph a client submits). 2.x clients submit a StreamGraph, which the Dispatcher passes over, so the
    /// key has no effect from `-D` or the config file (read in 2.3.0's `Dispatcher.applyParallelismOverrides`; tested
    /// on a 2.3.0 cluster; FLINK-38770).
    pub fn applies_vertex_parallelism_overrides(self) -> bool {
        self.at_least(1, 17) && !self.is_2x()
    }

    /// The distribution's config file sets `env.java.opts.all` (module exports and opens for Java 17) from 1.18.
    pub fn ships_java_module_options(self) -> bool {
        self.at_least(1, 18)
    }

    /// The shipped options export `java.base/sun.net.util` in 1.18 to 2.0; 2.1 dropped it.
    pub fn ships_sun_net_util_export(self) -> bool {
        self.ships_java_module_options() && !self.at_least(2, 1)
    }

    /// The CLI's `run-application` action exists on 1.x only: 2.0 removed it, and application mode is
    /// `flink run -t yarn-application|kubernetes-application` (checked against the real CLIs: 1.20.3 lists
    /// `run-application`, 2.3.0 answers `"run-application" is not a valid action`).
    pub fn has_run_application_action(self) -> bool {
        !self.is_2x()
    }

    /// `taskmanager.memory.network.max` defaulted to 1 gb until 1.16 and is unbounded from 1.17
    /// (docs/flink-config-keys.md, "Memory options").
    pub fn network_max_is_bounded_by_default(self) -> bool {
        !self.at_least(1, 17)
    }
}

impl FromStr for FlinkVersion {
    type Err = UnsupportedVersion;

    /// Accepts `1.20`, `1.20.3`, `2.3.0`; a leading `v` is tolerated because release tags carry one.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let refuse = || UnsupportedVersion(text.to_string());
        let trimmed = text.trim();
        let digits = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let mut parts = digits.split('.');
        let major: u8 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(refuse)?;
        let minor: u8 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(refuse)?;
        let patch = match parts.next() {
            None => None,
            Some(p) => Some(p.parse::<u16>().map_err(|_| refuse())?),
        };
        if parts.next().is_some() || !SUPPORTED_LINES.contains(&(major, minor)) {
            return Err(refuse());
        }
        Ok(FlinkVersion {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for FlinkVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(patch) => write!(f, "{}.{}.{}", self.major, self.minor, patch),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_patch_releases() {
        assert_eq!(
            "1.20".parse::<FlinkVersion>().unwrap(),
            FlinkVersion::line(1, 20)
        );
        assert_eq!(
            "2.3.0".parse::<FlinkVersion>().unwrap().to_string(),
            "2.3.0"
        );
        assert_eq!(
            "v1.15.4".parse::<FlinkVersion>().unwrap().to_string(),
            "1.15.4"
        );
    }

    #[test]
    fn refuses_unknown_lines_and_garbage() {
        for text in [
            "1.14", "2.4", "3.0", "1", "1.20.x", "1.20.3.1", "", "latest",
        ] {
            assert!(
                text.parse::<FlinkVersion>().is_err(),
                "{text} should be refused"
            );
        }
    }

    #[test]
    fn version_facts_change_where_flink_changed() {
        let v = |s: &str| s.parse::<FlinkVersion>().unwrap();
        assert_eq!(v("1.18").config_file_policy(), ConfigFilePolicy::LegacyOnly);
        assert_eq!(
            v("1.19").config_file_policy(),
            ConfigFilePolicy::LegacyFirstThenStandard
        );
        assert_eq!(
            v("1.20.3").config_file_policy(),
            ConfigFilePolicy::LegacyFirstThenStandard
        );
        assert_eq!(
            v("2.0").config_file_policy(),
            ConfigFilePolicy::StandardOnly
        );
        assert!(v("1.16").network_max_is_bounded_by_default());
        assert!(v("1.20.3").has_run_application_action() && !v("2.0").has_run_application_action());
        assert!(!v("1.17").network_max_is_bounded_by_default());
        assert!(v("1.20").has_legacy_memory_options() && !v("2.0").has_legacy_memory_options());
        assert!(
            v("1.15").prefixes_jobmanager_memory_errors()
                && !v("2.3").prefixes_jobmanager_memory_errors()
        );
    }
}
