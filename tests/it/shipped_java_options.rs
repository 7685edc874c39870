//! `recommend` writes the JVM options each release's distribution ships (src/flink/jvm_options.rs): checked against
//! the shipped config files of all ten lines (tests/corpus/shipped@*, verbatim from the apache-flink wheels), read
//! with flinktune's own loader as Flink reads them.

use flinktune::FlinkVersion;
use flinktune::conf_source::{ConfigSource, load};
use flinktune::{JAVA_OPTIONS_KEY, java_option_flags, shipped_java_options};

use crate::support::repo_root;

#[test]
fn the_shipped_java_options_of_every_release_line_are_known() {
    let lines = [
        "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "2.0", "2.1", "2.2", "2.3",
    ];
    for line in lines {
        let version: FlinkVersion = line.parse().unwrap();
        let dir = repo_root().join(format!("tests/corpus/shipped@{line}"));
        let loaded = load(&ConfigSource::Dir(dir), version, &[]).unwrap();
        let shipped: Vec<String> = loaded
            .configuration
            .get(JAVA_OPTIONS_KEY)
            .map(|entry| java_option_flags(&entry.value.java_string()))
            .unwrap_or_default();
        assert_eq!(shipped, shipped_java_options(version), "{line}");
    }
}
