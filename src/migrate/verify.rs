//! The migration's output read back as the target release reads it, before anything is written: a value holding a
//! NUL (snakeyaml-engine refuses non-printable characters) or a lone CR (a line break to YAML, not to the legacy
//! reader) would otherwise give a config.yaml that fails to load, or loads other keys, with exit status 0.

use std::collections::BTreeSet;

use crate::flink::config::{parse_legacy_file, parse_standard_yaml};
use crate::flink::jvm_options::JAVA_OPTIONS_KEY;

/// Why the migrated text cannot stand in for the legacy file, or `Ok` when every key the legacy file sets loads from
/// it with the same value (or under its renamed successor) and nothing else does.
pub(crate) fn verify(legacy_text: &str, migrated: &str) -> Result<(), String> {
    if let Some((line, c)) = first_unprintable(migrated) {
        return Err(format!(
            "line {line} of the output would hold U+{:04X}, which Flink's YAML reader refuses (\"special characters \
             are not allowed\"); remove it from the input",
            u32::from(c)
        ));
    }
    let loaded = parse_standard_yaml("config.yaml", migrated).map_err(|error| {
        format!("the output would not load in Flink ({error}); fix the input line it came from")
    })?;
    let legacy = parse_legacy_file("flink-conf.yaml", legacy_text);
    let mut missing = BTreeSet::new();
    // The JVM options are the one key the migration changes on purpose: it puts the release's module exports and
    // opens before the user's own options, or adds the key when the input has none (migrate/mod.rs).
    let deliberate = |key: &str| key == JAVA_OPTIONS_KEY;
    for (key, entry) in legacy.configuration.iter() {
        if deliberate(key) {
            continue;
        }
        match loaded.configuration.get(key) {
            Some(migrated) if migrated.value.java_string() == entry.value.java_string() => {}
            Some(_) => {
                return Err(format!(
                    "'{key}' would load with another value from the output; check the input's line for a carriage \
                     return or a character YAML reads differently"
                ));
            }
            None => {
                missing.insert(key);
            }
        }
    }
    let extra: Vec<&str> = loaded
        .configuration
        .iter()
        .map(|(key, _)| key)
        .filter(|key| !deliberate(key) && legacy.configuration.get(key).is_none())
        .collect();
    // A renamed key is missing under its old name and extra under its new one; more extra keys than renames means the
    // output sets something the input did not (a carriage return in a comment or value starting a new line).
    if extra.len() > missing.len() {
        return Err(format!(
            "the output would set keys the input does not ({}); check the input for carriage returns",
            crate::text::escape::cut_list(extra, 5, ", ")
        ));
    }
    Ok(())
}

/// The first character outside YAML's printable set (YAML 1.2, 5.1), with its 1-based line.
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    text.split('\n').enumerate().find_map(|(index, line)| {
        line.chars()
            .find(|&c| !printable(c))
            .map(|c| (index + 1, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_lone_cr_are_refused() {
        assert!(
            verify("a: x\0y\n", "a: \"x\0y\"\n")
                .unwrap_err()
                .contains("U+0000")
        );
        assert!(verify("a: x\rb: y\n", "a: 'x\rb: y'\n").is_err());
        // Both readers break the line at the CR: the same key, the same value.
        assert!(verify("# c\rb: y\n", "# c\rb: y\n").is_ok());
        assert!(verify("# c\n", "# c\rb: y\n").is_err());
        assert!(verify("a: 1\n", "a: '1'\n").is_ok());
    }
}
