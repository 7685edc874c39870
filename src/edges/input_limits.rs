//! The one way flinktune reads a file the user names (`--conf`, `check FILE`, `migrate`, `--profile`, `--token-file`,
//! `--ca-cert`, `--client-cert`, an existing `-o` target). flinktune runs as root on production hosts, so a name may
//! point anywhere: `/dev/zero`, a FIFO nobody writes to, a 3 GB log. Every reader here:
//! - opens without blocking (a FIFO with no writer would otherwise hang `open` forever) and without following a
//!   symlink where the caller asks (the `-o` target);
//! - accepts only a regular file (or `-`, standard input, where the caller allows it), checked on the opened handle,
//!   so the answer cannot change between the check and the read;
//! - reads at most a cap, with an error that names the file, the cap and how to raise it.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::flink::MemorySize;

/// Raises the cap on configuration and profile files (Flink size syntax, e.g. `256m`).
pub(crate) const MAX_FILE_SIZE_ENV: &str = "FLINKTUNE_MAX_FILE_SIZE";

/// The default cap on a configuration, profile or generated file: far above any real Flink config (the biggest we
/// have seen are a few hundred kilobytes; Flink's own YAML loader stops at 3 Mi code points), far below what would
/// hurt a production host.
pub(crate) const DEFAULT_MAX_FILE_BYTES: u64 = 64 << 20;

/// A secret file holds one token or password line.
pub(crate) const MAX_SECRET_BYTES: u64 = 64 << 10;

/// A PEM bundle of CA or client certificates: the system's whole CA bundle is about 200 KiB.
pub(crate) const MAX_PEM_BYTES: u64 = 4 << 20;

/// What a file is for, which sets its cap and whether it may be standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputKind {
    /// A Flink configuration, profile or generated file: [`DEFAULT_MAX_FILE_BYTES`], raised by [`MAX_FILE_SIZE_ENV`].
    Config,
    /// A token or password file.
    Secret,
    /// A PEM certificate or key file.
    Pem,
}

/// Why a named file was not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot read {}: it is {kind}, not a regular file; name the file itself", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },

    #[error(
        "cannot read {}: it is larger than {limit}, more than any real {what} holds{fix}",
        path.display()
    )]
    TooLarge {
        path: PathBuf,
        limit: String,
        what: &'static str,
        fix: &'static str,
    },

    #[error("{} is empty: it must hold the {what} on its first line", path.display())]
    Empty { path: PathBuf, what: &'static str },
}

impl InputKind {
    fn limit(self) -> u64 {
        match self {
            InputKind::Config => configured_limit().unwrap_or(DEFAULT_MAX_FILE_BYTES),
            InputKind::Secret => MAX_SECRET_BYTES,
            InputKind::Pem => MAX_PEM_BYTES,
        }
    }

    fn what(self) -> &'static str {
        match self {
            InputKind::Config => "configuration or profile",
            InputKind::Secret => "secret file",
            InputKind::Pem => "PEM file",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            InputKind::Config => {
                "; if it really is this large, raise the cap with FLINKTUNE_MAX_FILE_SIZE (e.g. 256m)"
            }
            InputKind::Secret | InputKind::Pem => "; name the right file",
        }
    }
}

fn configured_limit() -> Option<u64> {
    let text = std::env::var(MAX_FILE_SIZE_ENV).ok()?;
    MemorySize::parse(&text)
        .ok()
        .map(MemorySize::bytes)
        .filter(|&bytes| bytes > 0)
}

/// `64 KiB`, `64 MiB`: a cap as people write it.
fn cap_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// How a file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Follow {
    /// Symlinks are followed (a conf file may well be a link into a config-management tree).
    Links,
    /// A symlink is refused (a file we are about to replace: never act through a link someone planted).
    NoLinks,
}

/// Reads the whole of `path` (or standard input for `-` when `stdin_ok`), within `kind`'s cap.
pub(crate) fn read_bytes(
    path: &Path,
    kind: InputKind,
    stdin_ok: bool,
) -> Result<Vec<u8>, InputError> {
    let limit = kind.limit();
    let too_large = || InputError::TooLarge {
        path: path.to_path_buf(),
        limit: cap_text(limit),
        what: kind.what(),
        fix: kind.fix(),
    };
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    if stdin_ok && crate::edges::stdin::is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        return if bytes.len() as u64 > limit {
            Err(too_large())
        } else {
            Ok(bytes)
        };
    }
    let file = open_regular(path, Follow::Links)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    // The size can grow while we read (a log being written): `take` holds the cap regardless.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads at most `limit` bytes from the start of `path` (an existing file about to be compared or replaced), with
/// whether the file held more.
pub(crate) fn read_prefix(
    path: &Path,
    limit: u64,
    follow: Follow,
) -> Result<(Vec<u8>, bool), InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = open_regular(path, follow)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let longer = bytes.len() as u64 > limit;
    bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok((bytes, longer))
}

/// Opens `path` without blocking and checks, on the open handle, that it is a regular file.
pub(crate) fn open_regular(path: &Path, follow: Follow) -> Result<File, InputError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
        if follow == Follow::NoLinks {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    #[cfg(not(unix))]
    let _ = follow;
    let file = options.open(path).map_err(|source| {
        if follow == Follow::NoLinks && is_symlink(path) {
            InputError::NotRegular {
                path: path.to_path_buf(),
                kind: "a symbolic link",
            }
        } else {
            InputError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let metadata = file.metadata().map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !metadata.is_file() {
        return Err(InputError::NotRegular {
            path: path.to_path_buf(),
            kind: file_kind(&metadata.file_type()),
        });
    }
    Ok(file)
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// "a directory", "a FIFO", ...: what a path is, for a message that says why it was refused.
pub(crate) fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// The first line of a secret file, trimmed; an empty one is an error, never "no credentials".
pub(crate) fn read_secret_line(path: &Path, what: &'static str) -> Result<String, InputError> {
    let bytes = read_bytes(path, InputKind::Secret, false)?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().next().unwrap_or_default().trim().to_string();
    if line.is_empty() {
        return Err(InputError::Empty {
            path: path.to_path_buf(),
            what,
        });
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_fifos_are_refused_without_blocking() {
        let error = read_bytes(Path::new("/dev/zero"), InputKind::Config, false).unwrap_err();
        assert!(error.to_string().contains("a character device"), "{error}");
        let error = read_bytes(Path::new("/"), InputKind::Config, false).unwrap_err();
        assert!(error.to_string().contains("a directory"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_bytes(&fifo, InputKind::Config, false).unwrap_err();
            assert!(error.to_string().contains("a FIFO"), "{error}");
        }
    }

    #[test]
    fn caps_and_empty_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("token");
        std::fs::write(&big, vec![b'x'; (MAX_SECRET_BYTES + 1) as usize]).unwrap();
        let error = read_secret_line(&big, "token").unwrap_err().to_string();
        assert!(error.contains("larger than 64 KiB"), "{error}");
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "\n  \n").unwrap();
        let error = read_secret_line(&empty, "token").unwrap_err().to_string();
        assert!(error.contains("is empty"), "{error}");
    }

    #[test]
    fn no_follow_refuses_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "x").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = read_prefix(&link, 10, Follow::NoLinks).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(read_prefix(&link, 10, Follow::Links).unwrap().0, b"x");
    }
}
