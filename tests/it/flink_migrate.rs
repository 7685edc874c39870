//! A config.yaml written by `flinktune migrate` gives Flink 2.3.0 the same effective configuration that Flink
//! 1.20.3 gets from the original flink-conf.yaml: both files go through Flink's own loader and typed parsing
//! (tests/oracle/FlinkConfigOracle.java), and every option's typed value must match under the key 2.3.0 reads (the
//! renamed key for deprecated ones). Keys removed in 2.0 cannot keep their effect and are expected to be reported.
//! One difference is on purpose: `env.java.opts.all` gains the module exports and opens 2.3 ships, in front of the
//! original options (without them 2.3's CLI and daemons fail on Java 17).
//! Needs Java 17 and the distributions; run by the README's full test command.

use flinktune::FlinkVersion;
use flinktune::{Catalogue, JAVA_OPTIONS_KEY, shipped_java_options};

use crate::support::flink::flink_home;
use crate::support::flink_config::{ConfigVerdict, KeyVerdict, config_oracle};
use crate::support::{Flinktune, Run, repo_root, temp_dir};

const CASES: [&str; 3] = ["production", "quirks", "session"];

fn typed(verdict: &KeyVerdict) -> Option<&str> {
    match verdict {
        KeyVerdict::Primary(value)
        | KeyVerdict::Fallback(value)
        | KeyVerdict::Deprecated(value) => Some(value),
        KeyVerdict::Unknown | KeyVerdict::Invalid(_) => None,
    }
}

#[test]
#[ignore = "needs Java 17 and real Flink 1.20.3 and 2.3.0 distributions (scripts/test.sh)"]
fn migrated_config_yaml_means_on_2_3_what_flink_conf_yaml_means_on_1_20() {
    let work = temp_dir("flink-migrate");
    let target: FlinkVersion = "2.3".parse().unwrap();
    let catalogue = Catalogue::get();
    let mut originals = Vec::new();
    let mut migrated = Vec::new();
    let mut stderrs = Vec::new();
    for case in CASES {
        let original_dir = work.join(format!("{case}-original"));
        let migrated_dir = work.join(format!("{case}-migrated"));
        std::fs::create_dir_all(&original_dir).unwrap();
        std::fs::create_dir_all(&migrated_dir).unwrap();
        let legacy = original_dir.join("flink-conf.yaml");
        std::fs::copy(
            repo_root().join(format!("tests/migrate/{case}.flink-conf.yaml")),
            &legacy,
        )
        .unwrap();
        let Run { status, stderr, .. } = Flinktune::new()
            .arg("migrate")
            .arg(&legacy)
            .arg("-o")
            .arg(migrated_dir.join("config.yaml"))
            .args(["--flink-version", "2.3"])
            .run();
        assert_eq!(status, 0, "{case}: {stderr}");
        originals.push((case.to_string(), original_dir));
        migrated.push((case.to_string(), migrated_dir));
        stderrs.push(stderr);
    }
    let before = config_oracle(
        &flink_home("1.20.3"),
        &work.join("oracle-1.20.3"),
        &originals,
    );
    let after = config_oracle(&flink_home("2.3.0"), &work.join("oracle-2.3.0"), &migrated);
    let mut compared = 0;
    for (index, (case, _)) in originals.iter().enumerate() {
        let ConfigVerdict::Loaded(old) = &before[case] else {
            panic!(
                "{case}: 1.20.3 could not load the original: {:?}",
                before[case]
            );
        };
        let ConfigVerdict::Loaded(new) = &after[case] else {
            panic!(
                "{case}: 2.3.0 could not load the migrated file: {:?}",
                after[case]
            );
        };
        for (key, verdict) in old {
            let read_as = catalogue
                .option(key, target)
                .map(|info| info.key.as_str())
                .or_else(|| {
                    catalogue
                        .owner_of_fallback(key, target)
                        .map(|info| info.key.as_str())
                })
                .unwrap_or(key);
            let removed = catalogue.option(key, target).is_none()
                && catalogue.owner_of_fallback(key, target).is_none()
                && catalogue
                    .any_version(key)
                    .is_some_and(|history| history.until.is_some());
            if removed {
                assert!(
                    stderrs[index].contains(&format!("'{key}' was removed")),
                    "{case}: {key} not reported"
                );
                continue;
            }
            let migrated_verdict = new.get(read_as).unwrap_or_else(|| {
                panic!("{case}: {key} (read as {read_as}) missing after migration")
            });
            match (typed(verdict), typed(migrated_verdict)) {
                (Some(before), Some(after)) if read_as == JAVA_OPTIONS_KEY => {
                    let shipped = shipped_java_options(target).join(" ");
                    assert_eq!(
                        after,
                        format!("{shipped} {before}"),
                        "{case}: {key} -> {read_as}: the shipped flags, then the original ones"
                    );
                }
                (Some(before), Some(after)) => {
                    assert_eq!(before, after, "{case}: {key} -> {read_as}")
                }
                (None, None) => assert_eq!(verdict, migrated_verdict, "{case}: {key}"),
                (before, after) => panic!("{case}: {key} -> {read_as}: {before:?} vs {after:?}"),
            }
            assert!(
                matches!(
                    migrated_verdict,
                    KeyVerdict::Primary(_) | KeyVerdict::Unknown
                ),
                "{case}: {read_as} is {migrated_verdict:?} on 2.3.0"
            );
            compared += 1;
        }
    }
    println!(
        "{compared} options compared across {} migrated files: all equal",
        CASES.len()
    );
}
