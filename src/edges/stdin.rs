//! `-` where a command reads a file: the text comes from stdin (`... | flinktune check -`). The reading itself is
//! input_limits.rs's, within the same cap as a file, so that a stream that never ends is an error rather than
//! unbounded memory.

use std::path::Path;

/// The path that means stdin.
const STDIN_PATH: &str = "-";

/// Whether `path` is `-`, stdin.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path == Path::new(STDIN_PATH)
}
