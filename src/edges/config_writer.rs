//! Writing a generated config to disk (an edge): never half-written (a temporary file in the same directory, synced,
//! then renamed over the target), never replacing a file flinktune did not write unless `--force` (and then keeping
//! it as `FILE.bak`), never replacing anything but a regular file, keeping the replaced file's mode and owner, and
//! `--check` to compare instead of write.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::edges::input_limits::{Follow, file_kind, open_regular, read_prefix};
use crate::emit::config_file::MARKER;
use crate::emit::diff::line_diff;
use crate::error::Error;

/// What happened to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WriteOutcome {
    /// Written; with `--force` over a file flinktune did not write, that file was kept at `backup`.
    Written {
        backup: Option<PathBuf>,
    },
    Unchanged,
    /// `--check` found a difference: the diff from the file on disk to the regenerated one.
    Drifted(String),
    /// `--check` found no file.
    Missing,
}

/// The file already at the target, as far as we need it: its first bytes and metadata. A symlink, a directory, a
/// device or a FIFO is never read nor replaced, not even with `--force` (as root, `--force -o /dev/null` would
/// otherwise replace the device node itself).
struct Existing {
    /// At most `content.len() + 1` bytes (and at least the marker's length): enough to tell equal from different
    /// and to see our marker, whatever the file's size.
    head: Vec<u8>,
    /// The file holds more than `head`.
    longer: bool,
    metadata: fs::Metadata,
}

fn existing(path: &Path, content: &str) -> Result<Option<Existing>, Error> {
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if !metadata.file_type().is_file() {
        return Err(Error::NotRegularTarget {
            path: path.to_path_buf(),
            kind: file_kind(&metadata.file_type()),
        });
    }
    let limit = (content.len().max(MARKER.len()) as u64).saturating_add(1);
    let (head, longer) = read_prefix(path, limit, Follow::NoLinks)?;
    Ok(Some(Existing {
        head,
        longer,
        metadata,
    }))
}

/// Writes `content` to `path`, or with `check` compares it to what is there.
pub(crate) fn write_config(
    path: &Path,
    content: &str,
    force: bool,
    check: bool,
) -> Result<WriteOutcome, Error> {
    write_generated(path, content, force, check, |head| {
        head.starts_with(MARKER.as_bytes())
    })
}

/// [`write_config`] for another kind of generated file (a `plan` report), which `ours` recognises by its first
/// bytes: a file it does not recognise is replaced only with `force`, and then kept as `FILE.bak`.
pub(crate) fn write_generated(
    path: &Path,
    content: &str,
    force: bool,
    check: bool,
    ours: impl Fn(&[u8]) -> bool,
) -> Result<WriteOutcome, Error> {
    let existing = existing(path, content)?;
    let same = |e: &Existing| !e.longer && e.head == content.as_bytes();
    if check {
        return Ok(match existing {
            None => WriteOutcome::Missing,
            Some(e) if same(&e) => WriteOutcome::Unchanged,
            Some(e) => {
                let on_disk = String::from_utf8_lossy(&e.head);
                let mut diff = line_diff(&on_disk, content);
                if e.longer {
                    diff.push_str("(the file on disk is longer still; the rest is not shown)\n");
                }
                WriteOutcome::Drifted(diff)
            }
        });
    }
    let mut backup = None;
    if let Some(e) = &existing {
        if same(e) {
            return Ok(WriteOutcome::Unchanged);
        }
        if !ours(&e.head) {
            if !force {
                return Err(Error::NotOurs(path.to_path_buf()));
            }
            backup = Some(keep_backup(path)?);
        }
    }
    write_atomically(path, content, existing.as_ref().map(|e| &e.metadata))?;
    Ok(WriteOutcome::Written { backup })
}

/// Writes a new file (a migration's output): an existing file is only replaced with `force`, and then kept as
/// `FILE.bak`, whose path is returned.
pub(crate) fn write_new(path: &Path, content: &str, force: bool) -> Result<Option<PathBuf>, Error> {
    let existing = existing(path, content)?;
    let mut backup = None;
    if existing.is_some() {
        if !force {
            return Err(Error::Exists(path.to_path_buf()));
        }
        backup = Some(keep_backup(path)?);
    }
    write_atomically(path, content, existing.as_ref().map(|e| &e.metadata))?;
    Ok(backup)
}

/// `FILE.bak` for `FILE`.
fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Copies the file about to be replaced to `FILE.bak`, the same way we write: into an exclusively created temporary
/// file, renamed over `FILE.bak` (a planted `FILE.bak` symlink is replaced, never followed), with the original's
/// mode.
fn keep_backup(path: &Path) -> Result<PathBuf, Error> {
    let backup = backup_path(path);
    let fail = |source| Error::Write {
        path: backup.clone(),
        source,
    };
    if let Ok(metadata) = fs::symlink_metadata(&backup)
        && !(metadata.file_type().is_file() || metadata.file_type().is_symlink())
    {
        return Err(Error::NotRegularTarget {
            path: backup.clone(),
            kind: file_kind(&metadata.file_type()),
        });
    }
    let mut original = open_regular(path, Follow::NoLinks)?;
    let metadata = original.metadata().map_err(fail)?;
    let mut copy = temporary_beside(&backup, &metadata).map_err(fail)?;
    std::io::copy(&mut original, copy.as_file_mut()).map_err(fail)?;
    copy.as_file().sync_all().map_err(fail)?;
    copy.persist(&backup).map_err(|error| fail(error.error))?;
    Ok(backup)
}

/// Read and write for everyone, less the umask: what `File::create` gives, so a generated config is as readable as
/// one written by hand (tempfile's own default, 0600, would hide it from a Flink running as another user).
#[cfg(unix)]
const NEW_FILE_MODE: u32 = 0o666;

/// An exclusively created temporary file with a random name in `path`'s directory (so a planted symlink is never
/// followed), with `like`'s mode and owner when we replace a file (a 0600 secret-bearing config stays 0600), else
/// [`NEW_FILE_MODE`].
fn temporary_beside(path: &Path, like: &fs::Metadata) -> std::io::Result<tempfile::NamedTempFile> {
    temporary(path, Some(like))
}

fn temporary(path: &Path, like: Option<&fs::Metadata>) -> std::io::Result<tempfile::NamedTempFile> {
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
        let mode = like.map_or(NEW_FILE_MODE, |m| m.permissions().mode() & 0o7777);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let file = builder.tempfile_in(directory)?;
    #[cfg(unix)]
    if let Some(like) = like {
        use std::os::unix::fs::MetadataExt;
        // The umask may have narrowed the mode at creation; set it exactly.
        file.as_file().set_permissions(like.permissions())?;
        // Keeping the owner only works as root (or when it is already ours); a failure leaves us the owner, which is
        // what writing the file by hand would give too.
        let _ = std::os::unix::fs::fchown(file.as_file(), Some(like.uid()), Some(like.gid()));
    }
    Ok(file)
}

/// A temporary file beside the target, synced, then renamed over the target (a symlink there is replaced, not
/// followed); removed again if anything fails.
fn write_atomically(path: &Path, content: &str, like: Option<&fs::Metadata>) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = temporary(path, like).map_err(fail)?;
    file.write_all(content.as_bytes()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|error| fail(error.error))?;
    Ok(())
}
