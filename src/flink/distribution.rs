//! How a Flink distribution says which release it is: its `lib/` holds `flink-dist-VERSION.jar` (with a Scala suffix,
//! `flink-dist_2.12-VERSION.jar`, before 1.15), the jar Flink's own scripts look for (`config.sh`,
//! `findFlinkDistJar`). Pure: the directory listing is read at the edge (src/edges/release_detection.rs).

use super::FlinkVersion;

/// The distribution's jar directory under `$FLINK_HOME`, beside `conf/`.
pub(crate) const HOME_LIB_SUBDIR: &str = "lib";

/// The name every distribution jar starts with (`findFlinkDistJar` matches `flink-dist*.jar`).
const DIST_JAR_PREFIX: &str = "flink-dist";
const JAR_SUFFIX: &str = ".jar";

/// The release a `lib/` file name names, if it is a distribution jar of a release flinktune knows.
pub(crate) fn release_of_dist_jar(file_name: &str) -> Option<FlinkVersion> {
    let rest = file_name
        .strip_prefix(DIST_JAR_PREFIX)?
        .strip_suffix(JAR_SUFFIX)?;
    // `_2.12-1.14.6` before 1.15 dropped the Scala suffix; `-2.3.0` after.
    let version = match rest.strip_prefix('_') {
        Some(scala) => scala.split_once('-')?.1,
        None => rest.strip_prefix('-')?,
    };
    version.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_release_from_the_dist_jar_name() {
        let line = |name: &str| release_of_dist_jar(name).map(|version| version.to_string());
        assert_eq!(line("flink-dist-2.3.0.jar").as_deref(), Some("2.3.0"));
        assert_eq!(line("flink-dist-1.20.3.jar").as_deref(), Some("1.20.3"));
        assert_eq!(
            line("flink-dist_2.12-1.15.4.jar").as_deref(),
            Some("1.15.4")
        );
        assert_eq!(
            line("flink-dist_2.12-1.14.6.jar"),
            None,
            "1.14 is not a release flinktune knows"
        );
        assert_eq!(line("flink-table-runtime-2.3.0.jar"), None);
        assert_eq!(line("flink-dist-2.3.0.jar.bak"), None);
    }
}
