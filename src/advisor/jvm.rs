//! The JVM options a replacement config file must keep: the module exports and opens the release ships in its own
//! file (src/flink/jvm_options.rs). flinktune's file is meant to be the whole config file, so it carries them.

use crate::flink::jvm_options::{JAVA_OPTIONS_KEY, shipped_java_options};

use super::{AdviceInput, Group, Setting, SettingValue};

pub(crate) fn settings(input: &AdviceInput) -> Vec<Setting> {
    let flags = shipped_java_options(input.version);
    if flags.is_empty() {
        return Vec::new();
    }
    vec![Setting::new(
        Group::Jvm,
        JAVA_OPTIONS_KEY,
        SettingValue::Text(flags.join(" ")),
        format!(
            "as Flink {} ships it: without these module openings Java 17 refuses Flink's reflection \
             (InaccessibleObjectException) once this file replaces the shipped one; append your own options",
            input.version
        ),
    )]
}

#[cfg(test)]
mod tests {
    use crate::advisor::test_support::{advise, value};

    #[test]
    fn files_for_releases_that_ship_java_options_keep_them() {
        let on_2_3 = advise(4.0, 16, "balanced", "2.3", |_, _| {}).unwrap();
        let options = value(&on_2_3, "env.java.opts.all").unwrap();
        assert!(options.contains("--add-opens=java.base/java.util=ALL-UNNAMED"));
        assert!(!options.contains("sun.net.util"), "dropped in 2.1");
        let on_1_18 = advise(4.0, 16, "balanced", "1.18", |_, _| {}).unwrap();
        assert!(
            value(&on_1_18, "env.java.opts.all")
                .unwrap()
                .contains("sun.net.util")
        );
        let on_1_17 = advise(4.0, 16, "balanced", "1.17", |_, _| {}).unwrap();
        assert_eq!(
            value(&on_1_17, "env.java.opts.all"),
            None,
            "1.17 ships none"
        );
    }
}
