//! Reading a Flink configuration from disk (an effect at the edge): which file a conf directory holds for the target
//! version, exactly as Flink's `GlobalConfiguration.loadConfiguration` picks it, then the matching parser, then the
//! `-D` dynamic properties on top (config file < -D; docs/flink-config-files.md, "Which file a release reads" and
//! "Precedence").

use std::path::{Path, PathBuf};

use crate::edges::input_limits::{InputError, InputKind, file_kind, read_bytes};
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::flink::config::{
    Configuration, FileFormat, LEGACY_FILE_NAME, LoadWarning, LoadWarningKind, LoadedConfig,
    LoadedFile, Origin, STANDARD_FILE_NAME, Value, parse_legacy_file, parse_standard_yaml,
};
use crate::flink::version::ConfigFilePolicy;

/// Where the configuration comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A conf directory; the file in it is chosen by version.
    Dir(PathBuf),
    /// One file; its format follows from its name.
    File(PathBuf),
}

/// A configuration file's text (`-` is standard input): Flink reads its configuration files as UTF-8. Bounded and
/// regular files only (edges/input_limits.rs).
pub(crate) fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = read_bytes(path, InputKind::Config, true)?;
    String::from_utf8(bytes).map_err(|_| Error::NotText {
        path: path.to_path_buf(),
    })
}

/// Loads the file `source` points at for `version` and applies the dynamic properties over it.
pub fn load(
    source: &ConfigSource,
    version: FlinkVersion,
    dynamic_properties: &[(String, String)],
) -> Result<LoadedConfig, Error> {
    let mut shadow_warning = None;
    let (file, format) = match source {
        ConfigSource::Dir(dir) => {
            let chosen = choose_file(dir, version)?;
            if chosen.1 == FileFormat::Legacy && dir.join(STANDARD_FILE_NAME).is_file() {
                shadow_warning = Some(LoadWarning {
                    kind: LoadWarningKind::ShadowedFile,
                    key: None,
                    origin: Origin::File {
                        path: chosen.0.display().to_string().into(),
                        line: 1,
                        column: 1,
                    },
                    message: format!(
                        "Flink {version} reads this flink-conf.yaml and ignores the config.yaml beside it \
                         (flink-conf.yaml shadows config.yaml on 1.19 and 1.20)"
                    ),
                });
            }
            chosen
        }
        ConfigSource::File(file) => {
            let format = format_from_name(file);
            if format == FileFormat::Legacy && version.is_2x() {
                return Err(Error::LegacyFileOnFlink2 {
                    path: file.clone(),
                    version: version.to_string(),
                });
            }
            (file.clone(), format)
        }
    };
    // `-` is stdin, read within the same cap.
    let text = read_text(&file)?;
    let label = file.display().to_string();
    let LoadedFile {
        mut configuration,
        mut warnings,
    } = match format {
        FileFormat::Legacy => parse_legacy_file(&label, &text),
        FileFormat::StandardYaml => parse_standard_yaml(&label, &text)?,
    };
    let mut overrides = Configuration::new();
    for (key, value) in dynamic_properties {
        overrides.set(
            key.clone(),
            Value::Text(value.clone()),
            Origin::DynamicProperty,
        );
    }
    configuration.overlay(overrides);
    warnings.splice(0..0, shadow_warning);
    Ok(LoadedConfig {
        configuration,
        file,
        format,
        warnings,
        text,
    })
}

fn format_from_name(file: &Path) -> FileFormat {
    match file.file_name().and_then(|name| name.to_str()) {
        Some(LEGACY_FILE_NAME) => FileFormat::Legacy,
        _ => FileFormat::StandardYaml,
    }
}

/// `GlobalConfiguration.loadConfiguration`'s choice for `version` (docs/flink-config-files.md, "Which file a release
/// reads").
fn choose_file(dir: &Path, version: FlinkVersion) -> Result<(PathBuf, FileFormat), Error> {
    match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => {}
        Ok(metadata) => {
            return Err(Error::NotADirectory {
                path: dir.to_path_buf(),
                kind: file_kind(&metadata.file_type()),
            });
        }
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    }
    let legacy = dir.join(LEGACY_FILE_NAME);
    let standard = dir.join(STANDARD_FILE_NAME);
    // A file that is there but unusable (a FIFO, a directory, a dangling link or a link loop) is named as such, not
    // reported as missing.
    let legacy_present = present(&legacy)?;
    let standard_present = present(&standard)?;
    let missing = |expected| Error::NoConfigFile {
        dir: dir.to_path_buf(),
        version: version.to_string(),
        expected,
    };
    match version.config_file_policy() {
        ConfigFilePolicy::LegacyOnly if legacy_present => Ok((legacy, FileFormat::Legacy)),
        ConfigFilePolicy::LegacyOnly => Err(missing(
            "flink-conf.yaml (versions up to 1.18 read only that file)",
        )),
        ConfigFilePolicy::LegacyFirstThenStandard if legacy_present => {
            Ok((legacy, FileFormat::Legacy))
        }
        ConfigFilePolicy::LegacyFirstThenStandard if standard_present => {
            Ok((standard, FileFormat::StandardYaml))
        }
        ConfigFilePolicy::LegacyFirstThenStandard => Err(missing("flink-conf.yaml or config.yaml")),
        ConfigFilePolicy::StandardOnly if standard_present => {
            Ok((standard, FileFormat::StandardYaml))
        }
        ConfigFilePolicy::StandardOnly => Err(missing("config.yaml (2.x ignores flink-conf.yaml)")),
    }
}

/// Whether `path` holds a regular file (through links); an error when something else is there.
fn present(path: &Path) -> Result<bool, Error> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(true),
        Ok(metadata) => Err(Error::Input(InputError::NotRegular {
            path: path.to_path_buf(),
            kind: file_kind(&metadata.file_type()),
        })),
        Err(_) if std::fs::symlink_metadata(path).is_err() => Ok(false),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}
