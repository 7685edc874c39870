//! Where a command's file output goes, before the writer (src/edges/config_writer.rs) writes it: `-` means stdout,
//! and the directory a file goes into is created as `mkdir -p` would (the README's first example is `-o conf/` in a
//! fresh checkout).

use std::path::Path;

use crate::error::Error;

/// `-o -`: the file's text on stdout.
pub(crate) const STDOUT_PATH: &str = "-";

/// Whether `path` is `-`, stdout.
pub(crate) fn is_stdout(path: &Path) -> bool {
    path == Path::new(STDOUT_PATH)
}

/// Creates the directory `path` goes into when it is missing; the error names that directory.
pub(crate) fn create_parent(path: &Path) -> Result<(), Error> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() && !parent.is_dir() => {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}
