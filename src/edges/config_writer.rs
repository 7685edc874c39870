//! Writing a generated config to disk (an edge): never half-written (a temporary file in the same directory, synced,
//! then renamed over the target), never replacing a file flinktune did not write unless `--force`, and `--check` to
//! compare instead of write.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::emit::config_file::MARKER;
use crate::emit::diff::line_diff;
use crate::error::Error;

/// What happened to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WriteOutcome {
    Written,
    Unchanged,
    /// `--check` found a difference: the diff from the file on disk to the regenerated one.
    Drifted(String),
    /// `--check` found no file.
    Missing,
}

/// Writes `content` to `path`, or with `check` compares it to what is there.
pub(crate) fn write_config(
    path: &Path,
    content: &str,
    force: bool,
    check: bool,
) -> Result<WriteOutcome, Error> {
    let existing = match fs::read(path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if check {
        return Ok(match existing {
            None => WriteOutcome::Missing,
            Some(text) if text == content => WriteOutcome::Unchanged,
            Some(text) => WriteOutcome::Drifted(line_diff(&text, content)),
        });
    }
    if let Some(text) = &existing {
        if text == content {
            return Ok(WriteOutcome::Unchanged);
        }
        if !force && !text.starts_with(MARKER) {
            return Err(Error::NotOurs(path.to_path_buf()));
        }
    }
    write_atomically(path, content)?;
    Ok(WriteOutcome::Written)
}

/// Writes a new file (a migration's output): an existing file is only replaced with `force`.
pub(crate) fn write_new(path: &Path, content: &str, force: bool) -> Result<(), Error> {
    if !force && path.exists() {
        return Err(Error::Exists(path.to_path_buf()));
    }
    write_atomically(path, content)
}

/// Read and write for everyone, less the umask: what `File::create` gives, so a generated config is as readable as
/// one written by hand (tempfile's own default, 0600, would hide it from a Flink running as another user).
#[cfg(unix)]
const NEW_FILE_MODE: u32 = 0o666;

/// A temporary file in the target's directory (created exclusively under a random name, so a planted symlink is
/// never followed), synced, then renamed over the target; removed again if anything fails.
fn write_atomically(path: &Path, content: &str) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| format!(".{}.", n.to_string_lossy()))
        .unwrap_or_default();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&file_name).suffix(".flinktune.tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(NEW_FILE_MODE));
    }
    let mut file = builder.tempfile_in(directory).map_err(fail)?;
    file.write_all(content.as_bytes()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|error| fail(error.error))?;
    Ok(())
}
