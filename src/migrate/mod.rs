//! `flinktune migrate`: a legacy flink-conf.yaml as a config.yaml, doing what Flink's `migrate-config-file.sh` does
//! (docs/flink-config-files.md, "The migration script") without its faults: flat keys, so no crash on
//! prefix-colliding pairs; comments kept in place; deprecated keys renamed to what the target release reads (from the
//! key catalogue); values quoted where YAML would read them as something other than the legacy file's raw string;
//! lines Flink skips kept as comments. Pure.

mod verify;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::{legacy_lines, yaml_scalar};
use crate::flink::java_text::java_trim;
use crate::flink::jvm_options::{JAVA_OPTIONS_KEY, java_option_flags, shipped_java_options};

pub(crate) use verify::verify;

/// What the migration did besides copying, for the user (stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Migration {
    pub text: String,
    pub notes: Vec<String>,
}

/// Converts the text of a flink-conf.yaml for `version` (1.19 or later).
pub(crate) fn migrate(
    text: &str,
    version: FlinkVersion,
    catalogue: &Catalogue,
    header: &str,
) -> Migration {
    let lines: Vec<&str> = legacy_lines(text).collect();
    let mut java_options_written = false;
    // The legacy reader's result: for each key, the line that wins (the last one).
    let mut last_line = BTreeMap::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some((key, _)) = key_value(line) {
            last_line.insert(key.to_string(), index);
        }
    }
    // Keys after renaming, to drop a deprecated key whose successor is also set (Flink reads the successor first).
    let mut notes = Vec::new();
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    for (index, line) in lines.iter().enumerate() {
        let trimmed = java_trim(line);
        if trimmed.is_empty() {
            if index + 1 < lines.len() {
                out.push('\n');
            }
            continue;
        }
        if trimmed.starts_with('#') {
            let _ = writeln!(out, "{}", line.trim_end());
            continue;
        }
        let Some((key, value)) = key_value(line) else {
            let _ = writeln!(
                out,
                "# flinktune: Flink skips this line (not `key: value`): {}",
                line.trim_end()
            );
            notes.push(format!(
                "line {}: kept as a comment, Flink skipped it",
                index + 1
            ));
            continue;
        };
        let comment = line.split_once('#').map(|(_, comment)| comment.trim());
        if last_line.get(key) != Some(&index) {
            let _ = writeln!(
                out,
                "# flinktune: overridden by a later line: {}",
                line.trim_end()
            );
            notes.push(format!(
                "line {}: '{key}' is set again later; the later value is kept",
                index + 1
            ));
            continue;
        }
        let new_key = successor(key, version, catalogue);
        if let Some(new_key) = new_key
            && last_line.contains_key(new_key)
        {
            let _ = writeln!(
                out,
                "# flinktune: {key} is deprecated and {new_key} is set too, which wins: {}",
                line.trim_end()
            );
            notes.push(format!(
                "line {}: '{key}' dropped, '{new_key}' is set and wins",
                index + 1
            ));
            continue;
        }
        let written_key = new_key.unwrap_or(key);
        if new_key.is_none()
            && catalogue.option(key, version).is_none()
            && let Some(until) = catalogue.any_version(key).and_then(|history| history.until)
        {
            let _ = writeln!(
                out,
                "# flinktune: removed after Flink {until}; Flink {version} ignores the next line"
            );
            notes.push(format!("line {}: '{key}' was removed after Flink {until}; kept, but Flink {version} ignores it", index + 1));
        }
        if let Some(new_key) = new_key {
            notes.push(format!(
                "line {}: '{key}' renamed to '{new_key}' (deprecated in {version})",
                index + 1
            ));
        }
        let value = if written_key == JAVA_OPTIONS_KEY {
            java_options_written = true;
            let (kept, added) = with_shipped_java_options(value, version);
            if added > 0 {
                notes.push(format!(
                    "line {}: '{written_key}' keeps your options after the {added} module exports and opens Flink \
                     {version} ships (without them its CLI and daemons fail on Java 17)",
                    index + 1
                ));
            }
            kept
        } else {
            value.to_string()
        };
        let _ = write!(out, "{written_key}: {}", yaml_scalar(&value));
        if let Some(comment) = comment.filter(|c| !c.is_empty()) {
            let _ = write!(out, "  # {comment}");
        }
        out.push('\n');
    }
    let shipped = shipped_java_options(version);
    if !java_options_written && !shipped.is_empty() {
        // The config.yaml replaces the distribution's own file, which set these; a flink-conf.yaml of 1.17 or
        // earlier never had them.
        let _ = writeln!(
            out,
            "\n# flinktune: the module exports and opens Flink {version} ships; on Java 17 its CLI and daemons fail \
             without them (InaccessibleObjectException). Append your own options.\n{JAVA_OPTIONS_KEY}: {}",
            yaml_scalar(&shipped.join(" "))
        );
        notes.push(format!(
            "'{JAVA_OPTIONS_KEY}' added with the {} module exports and opens Flink {version} ships",
            shipped.len()
        ));
    }
    Migration { text: out, notes }
}

/// The user's JVM options with the release's shipped module flags they lack in front (theirs last, so that they
/// still win where a later flag overrides an earlier one), and how many were added.
fn with_shipped_java_options(value: &str, version: FlinkVersion) -> (String, usize) {
    let given = java_option_flags(value);
    let missing: Vec<&str> = shipped_java_options(version)
        .into_iter()
        .filter(|flag| !given.iter().any(|own| own == flag))
        .collect();
    if missing.is_empty() {
        return (value.to_string(), 0);
    }
    (format!("{} {value}", missing.join(" ")), missing.len())
}

/// The legacy reader's split of a line: cut at the first `#`, trim, split at the first `": "`
/// (docs/flink-config-files.md, "The legacy flink-conf.yaml reader").
fn key_value(line: &str) -> Option<(&str, &str)> {
    let uncommented = line.split_once('#').map_or(line, |(before, _)| before);
    let (key, value) = java_trim(uncommented).split_once(": ")?;
    let (key, value) = (java_trim(key), java_trim(value));
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

/// The option that reads `key` as a deprecated fallback in `version`, when `key` is no longer a main key there.
pub(crate) fn successor<'c>(
    key: &str,
    version: FlinkVersion,
    catalogue: &'c Catalogue,
) -> Option<&'c str> {
    if catalogue.option(key, version).is_some() {
        return None;
    }
    catalogue
        .owner_of_fallback(key, version)
        .map(|owner| owner.key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Migration {
        migrate(text, "2.3".parse().unwrap(), Catalogue::get(), "migrated")
    }

    #[test]
    fn keeps_comments_renames_deprecated_keys_and_quotes_what_yaml_would_change() {
        let migration = run(
            "# Cluster settings\ntaskmanager.memory.process.size: 4g  # per TaskManager\nstate.backend: rocksdb\n\
             state.backend.incremental: true\nrestart-strategy: fixed-delay\nenv.java.opts.all: -Dx=\"a b\"\n\
             custom.flag: 010\nbroken line\n",
        );
        let shipped = shipped_java_options("2.3".parse().unwrap()).join(" ");
        assert_eq!(
            migration.text,
            format!(
                "# migrated\n# Cluster settings\ntaskmanager.memory.process.size: 4g  # per TaskManager\n\
                 state.backend.type: rocksdb\nexecution.checkpointing.incremental: true\n\
                 restart-strategy.type: fixed-delay\nenv.java.opts.all: {shipped} -Dx=\"a b\"\n\
                 custom.flag: '010'\n# flinktune: Flink skips this line (not `key: value`): broken line\n"
            )
        );
        assert!(
            migration
                .notes
                .iter()
                .any(|n| n.contains("'state.backend' renamed to 'state.backend.type'"))
        );
    }

    #[test]
    fn jvm_options_keep_the_shipped_module_flags_and_lone_carriage_returns_end_lines() {
        let migration = run("env.java.opts: -XX:+UseG1GC\rparallelism.default: 4\r");
        let options = migration
            .text
            .lines()
            .find(|line| line.starts_with("env.java.opts.all: "))
            .unwrap();
        assert!(
            options.contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                && options.ends_with(" -XX:+UseG1GC"),
            "{options}"
        );
        assert!(migration.text.contains("\nparallelism.default: 4\n"));
        let without = run("parallelism.default: 4\n");
        assert!(
            without.text.contains("\nenv.java.opts.all: "),
            "{}",
            without.text
        );
        let on_1_20 = migrate("a.b: c\n", "1.20".parse().unwrap(), Catalogue::get(), "m");
        assert!(
            on_1_20.text.contains("sun.net.util"),
            "1.20 ships the export 2.1 dropped"
        );
    }

    #[test]
    fn the_last_duplicate_wins_and_a_set_successor_beats_its_deprecated_key() {
        let migration = run(
            "parallelism.default: 1\nparallelism.default: 4\nstate.backend: hashmap\nstate.backend.type: rocksdb\n",
        );
        assert!(migration.text.contains("# flinktune: overridden by a later line: parallelism.default: 1\nparallelism.default: 4\n"));
        assert!(migration.text.contains(
            "# flinktune: state.backend is deprecated and state.backend.type is set too"
        ));
        assert!(
            migration
                .text
                .contains("\nstate.backend.type: rocksdb\n\n# flinktune: the module exports")
        );
    }
}
