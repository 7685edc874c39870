//! JVM options that leave out what the release ships: from 1.18 Flink's own config file sets module exports and opens
//! in `env.java.opts.all` (src/flink/jvm_options.rs), and on Java 17 its CLI and daemons fail without them
//! ("InaccessibleObjectException: Unable to make field ... accessible", seen when a config.yaml without them replaced
//! the shipped one). A file that drops the key, or sets it to its own options only, loses them. Java 11 only warns, so
//! this is a warning.

use crate::flink::FlinkVersion;
use crate::flink::config::Configuration;
use crate::flink::jvm_options::{
    DEPRECATED_JAVA_OPTIONS_KEY, JAVA_OPTIONS_KEY, PROCESS_JAVA_OPTIONS_KEYS, java_option_flags,
    shipped_java_options,
};

use super::finding::{Finding, Severity};

pub(crate) fn findings(configuration: &Configuration, version: FlinkVersion) -> Vec<Finding> {
    let shipped = shipped_java_options(version);
    if shipped.is_empty() {
        return Vec::new();
    }
    let flags_of = |key: &str| -> Vec<String> {
        configuration
            .get(key)
            .map(|entry| java_option_flags(&entry.value.java_string()))
            .unwrap_or_default()
    };
    let mut common = flags_of(JAVA_OPTIONS_KEY);
    common.extend(flags_of(DEPRECATED_JAVA_OPTIONS_KEY));
    let processes: Vec<Vec<String>> = PROCESS_JAVA_OPTIONS_KEYS
        .iter()
        .map(|key| flags_of(key))
        .collect();
    // A flag is missing when any process (JobManager, TaskManager, CLI) gets it from neither the common key nor its own.
    let missing: Vec<&str> = shipped
        .iter()
        .copied()
        .filter(|flag| {
            !common.iter().any(|given| given == flag)
                && processes
                    .iter()
                    .any(|own| !own.iter().any(|given| given == flag))
        })
        .collect();
    let Some(example) = missing
        .iter()
        .find(|flag| flag.starts_with("--add-opens"))
        .or(missing.first())
    else {
        return Vec::new();
    };
    let consequence =
        "on Java 17 Flink's CLI and daemons fail with InaccessibleObjectException without them";
    let common_key = [JAVA_OPTIONS_KEY, DEPRECATED_JAVA_OPTIONS_KEY]
        .into_iter()
        .find_map(|key| configuration.get(key).map(|entry| (key, entry)));
    let finding = match common_key {
        None => Finding::new(
            Severity::Warn,
            format!(
                "no {JAVA_OPTIONS_KEY}: Flink {version} ships {} module exports and opens there ({example}, ...); \
                 {consequence}",
                shipped.len()
            ),
            format!(
                "copy {JAVA_OPTIONS_KEY} from the distribution's conf file and append your own options (flinktune \
                 recommend writes it)"
            ),
        )
        .at(JAVA_OPTIONS_KEY, None),
        Some((key, entry)) => Finding::new(
            Severity::Warn,
            format!(
                "{key} lacks {} of the {} module exports and opens Flink {version} ships ({example}, ...); \
                 {consequence}",
                missing.len(),
                shipped.len()
            ),
            "keep the shipped options and append yours".to_string(),
        )
        .at(key, Some(entry.origin.clone())),
    };
    vec![finding]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::parse_standard_yaml;

    fn judged(version: &str, text: &str) -> Vec<Finding> {
        let loaded = parse_standard_yaml("config.yaml", text).unwrap();
        findings(&loaded.configuration, version.parse().unwrap())
    }

    fn shipped(version: &str) -> String {
        shipped_java_options(version.parse().unwrap()).join(" ")
    }

    #[test]
    fn the_shipped_options_with_more_appended_are_fine() {
        let text = format!("env.java.opts.all: {} -XX:+UseG1GC\n", shipped("2.3"));
        assert!(judged("2.3", &text).is_empty());
    }

    #[test]
    fn a_file_without_them_is_warned_about() {
        let found = judged("2.3", "taskmanager.numberOfTaskSlots: 2\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warn);
        assert!(
            found[0]
                .message
                .starts_with("no env.java.opts.all: Flink 2.3 ships 19 module"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn own_options_in_place_of_the_shipped_ones_are_named() {
        let found = judged("1.20", "env.java.opts.all: -XX:+UseG1GC\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key.as_deref(), Some("env.java.opts.all"));
        assert!(
            found[0].message.contains("lacks 20 of the 20"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn per_process_keys_count_and_old_releases_ship_none() {
        let text = format!(
            "env.java.opts.jobmanager: {0}\nenv.java.opts.taskmanager: {0}\nenv.java.opts.client: {0}\n",
            shipped("2.3")
        );
        assert!(judged("2.3", &text).is_empty());
        // The CLI gets them from nowhere.
        let daemons_only = format!(
            "env.java.opts.jobmanager: {0}\nenv.java.opts.taskmanager: {0}\n",
            shipped("2.3")
        );
        assert_eq!(judged("2.3", &daemons_only).len(), 1);
        assert!(judged("1.17", "taskmanager.numberOfTaskSlots: 2\n").is_empty());
    }

    #[test]
    fn per_process_keys_with_other_options_only_still_lack_the_shipped_ones() {
        // Every process sets its own options, none of them the shipped ones.
        let text = "env.java.opts.jobmanager: -XX:+UseG1GC\nenv.java.opts.taskmanager: -XX:+UseG1GC\n\
                    env.java.opts.client: -XX:+UseG1GC\n";
        assert_eq!(judged("2.3", text).len(), 1);
    }
}
