//! A config.yaml written by `flinktune migrate` gives Flink 2.3.0 the same effective configuration that Flink
//! 1.20.3 gets from the original flink-conf.yaml: both files go through Flink's own loader and typed parsing
//! (tests/oracle/FlinkConfigOracle.java), and every option's typed value must match under the key 2.3.0 reads.
//! Which key that is, and which keys 2.0 removed, comes from Flink too, not from flinktune's catalogue: a probe
//! config.yaml holding the original keys goes through 2.3.0's own option classes, which name the option reading each
//! key (renamed keys read as their new option's main key) or none (removed). Keys removed in 2.0 cannot keep their
//! effect and must be reported, and only they; keys no option of either release reads are carried verbatim.
//! One difference is on purpose: `env.java.opts.all` gains the module exports and opens 2.3 ships, in front of the
//! original options (without them 2.3's CLI and daemons fail on Java 17).
//! Needs Java 17 and the distributions; run by the README's full test command.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use flinktune::FlinkVersion;
use flinktune::{JAVA_OPTIONS_KEY, shipped_java_options};

use crate::support::flink::flink_home;
use crate::support::flink_config::{ConfigVerdict, KeyVerdict, config_oracle};
use crate::support::{Flinktune, Run, repo_root, temp_dir};

const CASES: [&str; 3] = ["production", "quirks", "session"];
/// Fewest checks of each kind across the three files, so that a test comparing nothing cannot pass. The fixtures hold
/// 43 keys Flink 1.20.3 loads: 40 options whose typed values are compared, one key 2.0 removed
/// (`cluster.evenly-spread-out-slots`) and two no option reads (`custom.setting`, `yarn.application.name`), as Flink
/// 1.20.3 and 2.3.0 answered on 2026-11-30.
const MIN_COMPARED: usize = 40;
const MIN_REMOVED: usize = 1;
const MIN_CARRIED: usize = 2;

/// A YAML single-quoted scalar: Flink's YAML reader takes its text as written.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A conf directory whose config.yaml holds `keys` (each with its 1.20.3 value, or an empty one): what 2.3.0's
/// option classes make of the original keys, whatever the values.
fn probe_dir(dir: &Path, keys: &BTreeMap<String, KeyVerdict>) {
    std::fs::create_dir_all(dir).unwrap();
    let text: String = keys
        .iter()
        .map(|(key, verdict)| {
            let value = match verdict {
                KeyVerdict::Unknown { raw } => raw.as_str(),
                other => other.typed().unwrap_or(""),
            };
            format!("{}: {}\n", quoted(key), quoted(value))
        })
        .collect();
    std::fs::write(dir.join("config.yaml"), text).unwrap();
}

/// The keys `migrate` reported as removed (`'KEY' was removed after Flink ...`).
fn reported_removed(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once('\'')?;
            let (key, rest) = rest.split_once('\'')?;
            rest.starts_with(" was removed").then(|| key.to_string())
        })
        .collect()
}

#[test]
#[ignore = "needs Java 17 and real Flink 1.20.3 and 2.3.0 distributions (scripts/test.sh)"]
fn migrated_config_yaml_means_on_2_3_what_flink_conf_yaml_means_on_1_20() {
    let work = temp_dir("flink-migrate");
    let target: FlinkVersion = "2.3".parse().unwrap();
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
    // The original keys as 2.3.0 reads them, asked of 2.3.0 in the same JVM as the migrated files.
    let mut asked = migrated.clone();
    for (case, _) in &originals {
        let dir = work.join(format!("{case}-probe"));
        probe_dir(&dir, before[case].keys());
        asked.push((format!("{case}-probe"), dir));
    }
    let after = config_oracle(&flink_home("2.3.0"), &work.join("oracle-2.3.0"), &asked);
    let (mut compared, mut removed, mut carried, mut shadowed) = (0, 0, 0, 0);
    for (index, (case, _)) in originals.iter().enumerate() {
        let old = before[case].keys();
        let probe = after[&format!("{case}-probe")].keys();
        let new = match &after[case] {
            ConfigVerdict::Loaded(keys) => keys,
            ConfigVerdict::LoadFailed(chain) => {
                panic!("{case}: 2.3.0 could not load the migrated file: {chain:?}")
            }
        };
        assert_eq!(
            probe.len(),
            old.len(),
            "{case}: the probe holds every original key"
        );
        let mut expected_removed = BTreeSet::new();
        for (key, verdict) in old {
            let on_2_3 = &probe[key];
            let Some(read_as) = on_2_3.read_as(key) else {
                match verdict {
                    // No option of either release reads it (a plugin's key, a typo): carried as Flink stored it.
                    KeyVerdict::Unknown { raw } => {
                        assert_eq!(
                            new.get(key),
                            Some(&KeyVerdict::Unknown { raw: raw.clone() }),
                            "{case}: {key} is carried verbatim"
                        );
                        carried += 1;
                    }
                    // 1.20.3 reads it, 2.3.0 reads it under no key: removed.
                    _ => {
                        expected_removed.insert(key.clone());
                        removed += 1;
                    }
                }
                continue;
            };
            if read_as != key && old.contains_key(read_as) {
                // The original sets the new key too, which wins on both releases; compared under its own name.
                shadowed += 1;
                continue;
            }
            let migrated_verdict = new.get(read_as).unwrap_or_else(|| {
                panic!("{case}: {key} (read as {read_as} by 2.3.0) missing after migration")
            });
            assert!(
                matches!(migrated_verdict, KeyVerdict::Primary(_)),
                "{case}: {key} is written as {read_as}, which is {migrated_verdict:?} on 2.3.0 (not its main key)"
            );
            match (verdict, migrated_verdict.typed()) {
                (KeyVerdict::Unknown { raw }, after) => panic!(
                    "{case}: {key} = {raw:?} is read by no option of 1.20.3 but by {read_as} on 2.3.0 ({after:?}): \
                     migrating gives it an effect it did not have"
                ),
                (KeyVerdict::Invalid { error, .. }, after) => {
                    assert!(
                        after.is_none(),
                        "{case}: {key} failed to parse on 1.20.3 ({error}), 2.3.0 reads {read_as} = {after:?}"
                    );
                    continue;
                }
                (_, after) => {
                    let before = verdict.typed().unwrap();
                    let after = after.unwrap();
                    if read_as == JAVA_OPTIONS_KEY {
                        let shipped = shipped_java_options(target).join(" ");
                        assert_eq!(
                            after,
                            format!("{shipped} {before}"),
                            "{case}: {key} -> {read_as}: the shipped flags, then the original ones"
                        );
                    } else {
                        assert_eq!(before, after, "{case}: {key} -> {read_as}");
                    }
                }
            }
            compared += 1;
        }
        assert_eq!(
            reported_removed(&stderrs[index]),
            expected_removed,
            "{case}: the keys migrate reports as removed are those 1.20.3 reads and 2.3.0 does not\n{}",
            stderrs[index]
        );
    }
    println!(
        "{compared} options compared, {removed} removed keys reported, {carried} unknown keys carried verbatim, \
         {shadowed} shadowed by their new key, across {} migrated files",
        CASES.len()
    );
    assert!(
        compared >= MIN_COMPARED && removed >= MIN_REMOVED && carried >= MIN_CARRIED,
        "too little checked: {compared} compared (at least {MIN_COMPARED}), {removed} removed (at least \
         {MIN_REMOVED}), {carried} carried (at least {MIN_CARRIED})"
    );
}
