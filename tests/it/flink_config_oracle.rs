//! The configuration oracle itself, against real Flink: the shipped conf directories load with every key owned by a
//! Flink option, and hand-written configs get the verdicts Flink's own loader and typed parsing give them (deprecated
//! keys, typos, unparsable values, load failures); the factory oracle builds the state backend and the restart and
//! failover strategies the string-typed options name, and refuses misspelt ones. Needs Java 17 and the installed
//! distributions (see tests/it/support/flink.rs); run by the README's full test command, `cargo test --test it
//! flink_config_oracle -- --include-ignored` alone.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::flink::flink_home;
use crate::support::flink_config::{ConfigVerdict, KeyVerdict, config_oracle};
use crate::support::flink_factories::{
    factory_oracle, failover_strategy_class, restart_strategy_class, state_backend_class,
};
use crate::support::temp_dir;

const VERSIONS: [&str; 2] = ["2.3.0", "1.20.3"];

const TUNED: &str = "\
execution.checkpointing.interval: 30 s
state.backend.type: rocksdb
restart-strategy.type: exponential-delay
state.backend.rocksdb.predefined-options: FLASH_SSD_OPTIMIZED
taskmanager.memory.managed.fraction: 0.5
state.checkpoints.dir: file:///tmp/x
";

/// Writes `config.yaml` with `text` into a fresh directory under `root`.
fn conf_dir(root: &std::path::Path, id: &str, text: &str) -> (String, PathBuf) {
    let dir = root.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.yaml"), text).unwrap();
    (id.to_string(), dir)
}

fn primary(value: &str) -> KeyVerdict {
    KeyVerdict::Primary(value.to_string())
}

fn assert_invalid(keys: &BTreeMap<String, KeyVerdict>, key: &str, message_part: &str) {
    match &keys[key] {
        KeyVerdict::Invalid { error: message, .. } => assert!(
            message.contains(message_part),
            "{key}: {message:?} lacks {message_part:?}"
        ),
        other => panic!("{key}: expected Invalid, got {other:?}"),
    }
}

#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn shipped_configs_load_and_every_key_is_a_primary_option_key() {
    for version in VERSIONS {
        let home = flink_home(version);
        let work = temp_dir(&format!("config-oracle-shipped-{version}"));
        let verdicts = config_oracle(&home, &work, &[("shipped".to_string(), home.join("conf"))]);
        let keys = verdicts["shipped"].keys();
        println!("Flink {version} shipped conf: {keys:#?}");
        let not_primary: Vec<_> = keys
            .iter()
            .filter(|(_, verdict)| !matches!(verdict, KeyVerdict::Primary(_)))
            .collect();
        assert!(
            not_primary.is_empty(),
            "Flink {version}: keys of the shipped config that are not main option keys: {not_primary:?}"
        );
        assert_eq!(keys["taskmanager.memory.process.size"], primary("1728 mb"));
        assert_eq!(keys["jobmanager.memory.process.size"], primary("1600 mb"));
        assert_eq!(keys["taskmanager.numberOfTaskSlots"], primary("1"));
        match &keys["env.java.opts.all"] {
            KeyVerdict::Primary(opts) => {
                assert!(opts.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"))
            }
            other => panic!("env.java.opts.all: {other:?}"),
        }
    }
}

#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn hand_written_configs_get_flinks_verdicts() {
    for version in VERSIONS {
        let home = flink_home(version);
        let work = temp_dir(&format!("config-oracle-hand-{version}"));
        let dirs = vec![
            conf_dir(&work, "tuned", TUNED),
            conf_dir(
                &work,
                "iso-duration",
                "execution.checkpointing.interval: PT30S\n",
            ),
            conf_dir(
                &work,
                "mistakes",
                "execution.checkpointing.intervall: 30 s\ntaskmanager.numberOfTaskSlots: four\n",
            ),
            conf_dir(
                &work,
                "duplicate",
                "taskmanager.numberOfTaskSlots: 2\ntaskmanager.numberOfTaskSlots: 4\n",
            ),
            ("missing".to_string(), work.join("no-such-dir")),
        ];
        let verdicts = config_oracle(&home, &work, &dirs);
        println!("Flink {version}: {verdicts:#?}");

        let tuned = verdicts["tuned"].keys();
        assert_eq!(tuned["execution.checkpointing.interval"], primary("30 s"));
        assert_eq!(tuned["state.backend.type"], primary("rocksdb"));
        assert_eq!(tuned["restart-strategy.type"], primary("exponential-delay"));
        assert_eq!(
            tuned["state.backend.rocksdb.predefined-options"],
            primary("FLASH_SSD_OPTIMIZED")
        );
        assert_eq!(tuned["taskmanager.memory.managed.fraction"], primary("0.5"));
        // Renamed to execution.checkpointing.dir in 1.20; the old key stays a deprecated fallback in 1.20 and 2.x.
        assert_eq!(
            tuned["state.checkpoints.dir"],
            KeyVerdict::Deprecated {
                option: "execution.checkpointing.dir".to_string(),
                value: "file:///tmp/x".to_string()
            }
        );
        assert_eq!(tuned.len(), 6);

        let iso = verdicts["iso-duration"].keys();
        if version == "1.20.3" {
            assert_invalid(
                iso,
                "execution.checkpointing.interval",
                "Could not parse value 'PT30S'",
            );
        } else {
            // 2.3.0's TimeUtils accepts ISO-8601 (docs/flink-config-files.md, "Durations").
            assert_eq!(iso["execution.checkpointing.interval"], primary("30 s"));
        }

        let mistakes = verdicts["mistakes"].keys();
        assert_eq!(
            mistakes["execution.checkpointing.intervall"],
            KeyVerdict::Unknown {
                raw: "30 s".to_string()
            }
        );
        assert_invalid(
            mistakes,
            "taskmanager.numberOfTaskSlots",
            "Could not parse value 'four' for key 'taskmanager.numberOfTaskSlots'",
        );

        match &verdicts["duplicate"] {
            ConfigVerdict::LoadFailed(chain) => {
                assert!(
                    chain.iter().any(|m| m.contains("duplicate key")),
                    "{chain:?}"
                )
            }
            other => panic!("duplicate keys: expected LoadFailed, got {other:?}"),
        }
        assert!(matches!(verdicts["missing"], ConfigVerdict::LoadFailed(_)));
    }
}

/// The factory oracle (tests/oracle/FlinkFactoryOracle.java) builds what the string-typed options name and refuses what
/// Flink refuses: the typed parse above accepts `rocksdbx` and `exponential` as strings, Flink's own loaders do not.
#[test]
#[ignore = "needs Java 17 and a real Flink distribution; run with --include-ignored"]
fn string_options_are_judged_by_flinks_own_factories() {
    for version in VERSIONS {
        let home = flink_home(version);
        let work = temp_dir(&format!("factory-oracle-{version}"));
        let dirs = vec![
            conf_dir(&work, "tuned", TUNED),
            conf_dir(
                &work,
                "changelog",
                "state.backend.type: hashmap\nstate.changelog.enabled: true\nrestart-strategy.type: none\n\
                 jobmanager.execution.failover-strategy: full\n",
            ),
            conf_dir(
                &work,
                "misspelt",
                "state.backend.type: rocksdbx\nrestart-strategy.type: exponential\n\
                 jobmanager.execution.failover-strategy: regions\n",
            ),
            conf_dir(
                &work,
                "bad-suboption",
                "restart-strategy.type: fixed-delay\nrestart-strategy.fixed-delay.attempts: many\n",
            ),
        ];
        let built = factory_oracle(&home, &work, &dirs);
        println!("Flink {version}: {built:#?}");
        let tuned = &built["tuned"];
        assert_eq!(
            tuned.state_backend.as_deref(),
            Ok(state_backend_class("rocksdb").unwrap())
        );
        assert_eq!(
            tuned.restart_strategy.as_deref(),
            Ok(restart_strategy_class("exponential-delay").unwrap())
        );
        assert_eq!(
            tuned.failover_strategy.as_deref(),
            Ok(failover_strategy_class("region").unwrap())
        );
        let changelog = &built["changelog"];
        assert_eq!(
            changelog.state_backend.as_deref(),
            Ok("ChangelogStateBackend(HashMapStateBackend)")
        );
        assert_eq!(
            changelog.restart_strategy.as_deref(),
            Ok(restart_strategy_class("none").unwrap())
        );
        assert_eq!(
            changelog.failover_strategy.as_deref(),
            Ok(failover_strategy_class("full").unwrap())
        );
        let misspelt = &built["misspelt"];
        assert!(
            misspelt
                .state_backend
                .as_ref()
                .is_err_and(|e| e.contains("rocksdbx")),
            "{misspelt:?}"
        );
        assert!(
            misspelt
                .restart_strategy
                .as_ref()
                .is_err_and(|e| e.contains("exponential")),
            "{misspelt:?}"
        );
        assert!(
            misspelt
                .failover_strategy
                .as_ref()
                .is_err_and(|e| e.contains("regions")),
            "{misspelt:?}"
        );
        assert!(
            built["bad-suboption"]
                .restart_strategy
                .as_ref()
                .is_err_and(|e| e.contains("many")),
            "{:?}",
            built["bad-suboption"]
        );
    }
}
