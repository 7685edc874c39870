//! Which Flink release a command targets when `--flink-version` does not say: the cluster it measures (handled by
//! `recommend --from-cluster` itself), else the distribution on this machine (the conf dir's sibling `lib/`, then
//! `$FLINK_HOME/lib`, by the `flink-dist-VERSION.jar` Flink's scripts load), else the header of a file flinktune
//! wrote, else 1.20 with a note that it was assumed. Defaulting silently to 1.20 judged a pristine 2.3 config by 1.20's
//! rules and offered fixes that are wrong for 2.3 (issue 13).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::edges::conf_source::ConfigSource;
use crate::edges::environment::Environment;
use crate::edges::output_path::is_stdout;
use crate::edges::stdin::is_stdin;
use crate::emit::config_file::written_for;
use crate::flink::FlinkVersion;
use crate::flink::config::{LEGACY_FILE_NAME, STANDARD_FILE_NAME};
use crate::flink::distribution::{HOME_LIB_SUBDIR, release_of_dist_jar};

/// A flinktune header is one line of about a hundred bytes; more is never needed to read it.
const HEADER_BYTES: u64 = 512;

/// Where the release came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// `--flink-version`.
    Flag,
    /// The cluster `--from-cluster` measures will say; the version is a placeholder until it answers.
    Cluster,
    /// A distribution's `lib/flink-dist-*.jar`.
    Distribution(PathBuf),
    /// The first line of a file flinktune wrote.
    Header(PathBuf),
    /// Nothing said: [`FlinkVersion::DEFAULT`].
    Assumed,
}

/// The release a command targets and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Release {
    pub(crate) version: FlinkVersion,
    pub(crate) evidence: Evidence,
}

impl Release {
    /// Where the release came from, for `-v`.
    pub(crate) fn detail(&self) -> Option<String> {
        let version = self.version;
        match &self.evidence {
            Evidence::Flag | Evidence::Assumed => None,
            Evidence::Cluster => Some("Flink release: the cluster's".to_string()),
            Evidence::Distribution(jar) => Some(format!(
                "Flink {version}: the distribution's {}",
                jar.display()
            )),
            Evidence::Header(file) => Some(format!(
                "Flink {version}: the header of {}, which flinktune wrote",
                file.display()
            )),
        }
    }

    /// What to tell the user on stderr: only an assumption is worth a line, the rest is what they pointed at.
    pub(crate) fn note(&self) -> Option<String> {
        (self.evidence == Evidence::Assumed).then(|| {
            format!(
                "assuming Flink {}: no --flink-version, no Flink distribution (a lib/flink-dist-*.jar beside \
                 the conf dir or in $FLINK_HOME) and no file flinktune wrote to read it from; pass --flink-version",
                self.version
            )
        })
    }
}

/// What a command reads and writes, where its release may be found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Places {
    /// The configuration the command reads (its directory's sibling `lib/`, and its header).
    pub(crate) conf: Option<ConfigSource>,
    /// Other files whose flinktune header counts: `recommend -o`'s target, `submit --from`.
    pub(crate) written: Vec<PathBuf>,
    /// `recommend --from-cluster`: the cluster's answer comes before the distribution.
    pub(crate) cluster: bool,
}

/// The release, by the order in the module comment.
pub(crate) fn detect(flag: Option<FlinkVersion>, places: &Places, env: &Environment) -> Release {
    let found = |version, evidence| Release { version, evidence };
    if let Some(version) = flag {
        return found(version, Evidence::Flag);
    }
    if places.cluster {
        return found(FlinkVersion::DEFAULT, Evidence::Cluster);
    }
    for lib in lib_dirs(places.conf.as_ref(), &places.written, env) {
        if let Some((version, jar)) = dist_jar(&lib) {
            return found(version, Evidence::Distribution(jar));
        }
    }
    for file in header_files(places) {
        if let Some(version) = header_release(&file) {
            return found(version, Evidence::Header(file));
        }
    }
    found(FlinkVersion::DEFAULT, Evidence::Assumed)
}

/// The distributions' `lib/` directories to look in, most specific first: beside the conf dir read (or the one the
/// file read sits in), beside the directory a file is written to or taken from (`recommend -o /opt/flink/conf/`
/// writes for the distribution it sits in), then `$FLINK_HOME`'s.
fn lib_dirs(conf: Option<&ConfigSource>, written: &[PathBuf], env: &Environment) -> Vec<PathBuf> {
    let conf_dir = match conf {
        Some(ConfigSource::Dir(dir)) => Some(dir.clone()),
        Some(ConfigSource::File(file)) if is_stdin(file) => None,
        Some(ConfigSource::File(file)) => file.parent().map(Path::to_path_buf),
        None => env.default_conf_dir().and_then(|source| match source {
            ConfigSource::Dir(dir) => Some(dir),
            ConfigSource::File(_) => None,
        }),
    };
    // `DIR/../lib`, not `DIR.parent()`: the parent of a relative `conf` is empty, and `conf/..` is where it sits.
    let beside = |dir: &Path| dir.join("..").join(HOME_LIB_SUBDIR);
    let beside_conf = conf_dir.as_deref().map(beside);
    let beside_written = written.iter().filter(|path| !is_stdout(path)).map(|path| {
        let names_a_directory = path.is_dir() || path.to_string_lossy().ends_with('/');
        let dir = if names_a_directory {
            path.as_path()
        } else {
            path.parent()
                .filter(|parent| !parent.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        beside(dir)
    });
    let home = env
        .flink_home
        .as_ref()
        .map(|home| home.join(HOME_LIB_SUBDIR));
    beside_conf
        .into_iter()
        .chain(beside_written)
        .chain(home)
        .collect()
}

/// The first distribution jar in `lib` (sorted, so that the answer does not depend on directory order).
fn dist_jar(lib: &Path) -> Option<(FlinkVersion, PathBuf)> {
    let mut names: Vec<String> = std::fs::read_dir(lib)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .iter()
        .find_map(|name| release_of_dist_jar(name).map(|version| (version, lib.join(name))))
}

/// The files whose header may name the release: the configuration read (a directory's files in the order Flink
/// 1.19/1.20 reads them), then the files the command writes or takes settings from.
fn header_files(places: &Places) -> Vec<PathBuf> {
    let mut files = Vec::new();
    match &places.conf {
        Some(ConfigSource::File(file)) => files.push(file.clone()),
        Some(ConfigSource::Dir(dir)) => {
            files.extend([LEGACY_FILE_NAME, STANDARD_FILE_NAME].map(|name| dir.join(name)));
        }
        None => {}
    }
    for written in &places.written {
        if written.is_dir() {
            files.extend([LEGACY_FILE_NAME, STANDARD_FILE_NAME].map(|name| written.join(name)));
        } else {
            files.push(written.clone());
        }
    }
    files
}

/// The release in `file`'s flinktune header, if it has one.
fn header_release(file: &Path) -> Option<FlinkVersion> {
    let mut head = Vec::new();
    std::fs::File::open(file)
        .ok()?
        .take(HEADER_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    written_for(String::from_utf8_lossy(&head).lines().next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A distribution of `release` under `root`: `conf/` and an empty `lib/flink-dist-RELEASE.jar`.
    fn distribution(root: &Path, release: &str) -> PathBuf {
        std::fs::create_dir_all(root.join("conf")).unwrap();
        std::fs::create_dir_all(root.join("lib")).unwrap();
        std::fs::write(root.join(format!("lib/flink-dist-{release}.jar")), "").unwrap();
        root.to_path_buf()
    }

    fn version(text: &str) -> FlinkVersion {
        text.parse().unwrap()
    }

    #[test]
    fn the_flag_wins_then_the_conf_dirs_distribution_then_flink_home_then_a_header() {
        let temp = tempfile::tempdir().unwrap();
        let old = distribution(&temp.path().join("old"), "1.18.1");
        let new = distribution(&temp.path().join("new"), "2.3.0");
        let env = Environment {
            flink_home: Some(new.clone()),
            ..Environment::default()
        };
        let conf = |dir: &Path| Places {
            conf: Some(ConfigSource::Dir(dir.join("conf"))),
            ..Places::default()
        };
        assert_eq!(
            detect(Some(version("1.20")), &conf(&old), &env).evidence,
            Evidence::Flag
        );
        let beside = detect(None, &conf(&old), &env);
        assert_eq!(beside.version, version("1.18.1"));
        assert_eq!(
            beside.evidence,
            Evidence::Distribution(old.join("conf/../lib/flink-dist-1.18.1.jar"))
        );
        let loose = temp.path().join("loose");
        std::fs::create_dir_all(&loose).unwrap();
        assert_eq!(detect(None, &conf(&loose), &env).version, version("2.3.0"));

        let written = loose.join("config.yaml");
        std::fs::write(
            &written,
            "# Generated by flinktune 0.1.0 for Apache Flink 2.1 (config.yaml). Regenerate it instead of editing it.\n",
        )
        .unwrap();
        let places = Places {
            conf: Some(ConfigSource::File(written.clone())),
            ..Places::default()
        };
        // A file written into a distribution's conf dir is for that distribution.
        let into = Places {
            written: vec![old.join("conf/")],
            ..Places::default()
        };
        assert_eq!(
            detect(None, &into, &Environment::default()).version,
            version("1.18.1")
        );
        let by_header = detect(None, &places, &Environment::default());
        assert_eq!(by_header.version, version("2.1"));
        assert_eq!(by_header.evidence, Evidence::Header(written));
        assert_eq!(by_header.note(), None);
    }

    #[test]
    fn nothing_found_is_1_20_with_a_note() {
        let temp = tempfile::tempdir().unwrap();
        let places = Places {
            conf: Some(ConfigSource::Dir(temp.path().join("conf"))),
            written: vec![temp.path().join("missing.yaml")],
            cluster: false,
        };
        let release = detect(None, &places, &Environment::default());
        assert_eq!(release.version, FlinkVersion::DEFAULT);
        assert!(release.note().unwrap().contains("assuming Flink 1.20"));
        let cluster = Places {
            cluster: true,
            ..places
        };
        assert_eq!(
            detect(None, &cluster, &Environment::default()).evidence,
            Evidence::Cluster
        );
    }
}
