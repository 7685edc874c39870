//! Directories the plan derives from the checkpoint directory: the HA metadata and the state changelog go beside
//! it, on the same durable file system the user chose, so that one `--checkpoint-dir` is all a user names.

/// The prefix a sibling takes when the checkpoint directory already has its name.
pub(crate) const CLASH_PREFIX: &str = "flink-";

/// The directory `name` beside `dir`, on the same file system: `s3://b/ckpt` and `ha` give `s3://b/ha`; a directory
/// at the root of its file system gets it inside (`s3://b` gives `s3://b/ha`); `s3://b/ha` gives `s3://b/flink-ha`.
pub(crate) fn sibling(dir: &str, name: &str) -> String {
    let trimmed = dir.trim_end_matches('/');
    // The part that names the file system (`s3://bucket`, `file://`, `hdfs://namenode:8020`) is never cut.
    let path_start = trimmed.find("://").map_or(0, |scheme_end| {
        let after = scheme_end + 3;
        trimmed[after..]
            .find('/')
            .map_or(trimmed.len(), |slash| after + slash)
    });
    let (root, path) = trimmed.split_at(path_start);
    // `path` is empty or starts with '/', and never ends with one: a slash in it always has a name after it.
    match path.rfind('/') {
        Some(last) => {
            let (parent, own) = (&path[..last], &path[last + 1..]);
            if own == name {
                format!("{root}{parent}/{CLASH_PREFIX}{name}")
            } else {
                format!("{root}{parent}/{name}")
            }
        }
        _ => format!("{root}{path}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::sibling;

    #[test]
    fn siblings_sit_beside_the_checkpoints() {
        assert_eq!(sibling("s3://b/ckpt", "ha"), "s3://b/ha");
        assert_eq!(sibling("s3://b/jobs/ckpt/", "ha"), "s3://b/jobs/ha");
        assert_eq!(sibling("s3://b", "ha"), "s3://b/ha");
        assert_eq!(sibling("s3://b/", "ha"), "s3://b/ha");
        assert_eq!(sibling("file:///data/ckpt", "ha"), "file:///data/ha");
        assert_eq!(
            sibling("hdfs://nn:8020/flink/ckpt", "changelog"),
            "hdfs://nn:8020/flink/changelog"
        );
        assert_eq!(sibling("s3://b/ha", "ha"), "s3://b/flink-ha");
        assert_eq!(sibling("/data/ckpt", "ha"), "/data/ha");
        // The file system's part ends at the first slash after "://", however long the scheme.
        assert_eq!(sibling("hdfs://nn/ckpt", "ha"), "hdfs://nn/ha");
        assert_eq!(sibling("file:///ckpt", "ha"), "file:///ha");
    }
}
