//! `-` where a command reads a file: the text comes from stdin (`... | flinktune check -`), read as the file
//! readers read a file (UTF-8, as Flink reads its configuration files), with a bound so that a stream that never ends
//! is an error rather than unbounded memory.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The path that means stdin.
const STDIN_PATH: &str = "-";

/// Far more than any Flink configuration (the shipped config.yaml is about 15 KiB).
const STDIN_LIMIT_BYTES: u64 = 16 * 1024 * 1024;

/// Whether `path` is `-`, stdin.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path == Path::new(STDIN_PATH)
}

/// All of stdin as text.
pub(crate) fn read_stdin() -> Result<String, Error> {
    let path = || PathBuf::from(STDIN_PATH);
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(STDIN_LIMIT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: path(),
            source,
        })?;
    if bytes.len() as u64 > STDIN_LIMIT_BYTES {
        return Err(Error::Read {
            path: path(),
            source: std::io::Error::other(format!(
                "more than {} MiB on stdin",
                STDIN_LIMIT_BYTES / 1024 / 1024
            )),
        });
    }
    String::from_utf8(bytes).map_err(|_| Error::NotText { path: path() })
}
