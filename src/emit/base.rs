//! `recommend --base FILE`: a team's own configuration (the JobManager address, ports, HA, metrics reporters,
//! security, connector settings) carried into the emitted file. Every key flinktune does not decide is kept, with the
//! comments above it, in a marked section; a key it decides (a recommended or pinned setting, or any key of the
//! memory model, which the plan sizes as a whole) is replaced, and the setting's reason says what the base had.
//! Keys are written in the target release's spelling where the catalogue knows the rename (as `migrate` does).
//! Pure: the file is read by the command (src/commands/recommend.rs).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::advisor::garbage_collector::THROUGHPUT_COLLECTOR;
use crate::advisor::{Recommendation, SettingValue};
use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::{Configuration, Origin};
use crate::flink::jvm_options::{
    Collector, TASKMANAGER_JAVA_OPTIONS_KEY, is_java_options_key, java_option_flags,
    selected_collectors, taskmanager_flags,
};
use crate::flink::options::is_memory_model_key;
use crate::migrate::successor;
use crate::text::units::count;

/// One key of the base file, with the comment lines directly above it (through any parent mapping lines of a nested
/// config.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseEntry {
    pub key: String,
    pub value: String,
    pub line: usize,
    pub comments: Vec<String>,
}

/// A base key written into the emitted file as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Kept {
    /// As the target release spells it.
    pub key: String,
    pub value: String,
    /// As the base spelled it (differs when renamed).
    pub base_key: String,
    #[serde(skip)]
    pub comments: Vec<String>,
}

/// A base key flinktune decided instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Replaced {
    /// The key written instead (target spelling); `None` when the memory plan leaves it out altogether.
    pub key: Option<String>,
    pub base_key: String,
    pub base_value: String,
    /// `recommended`, `pinned`, or `memory plan` (left out: the plan sizes the process as a whole).
    pub by: &'static str,
}

/// What the base contributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BaseMerge {
    /// The base file as given on the command line.
    pub file: String,
    pub kept: Vec<Kept>,
    pub replaced: Vec<Replaced>,
}

/// The base's keys in file order, each with its comments, from the configuration its reader loaded and its text.
pub(crate) fn entries(configuration: &Configuration, text: &str) -> Vec<BaseEntry> {
    let lines: Vec<&str> = text.lines().collect();
    let mut entries: Vec<BaseEntry> = configuration
        .iter()
        .map(|(key, entry)| {
            let line = match &entry.origin {
                Origin::File { line, .. } => *line,
                Origin::DynamicProperty => 0,
            };
            BaseEntry {
                key: key.to_string(),
                value: entry.value.java_string(),
                line,
                comments: comments_above(&lines, line),
            }
        })
        .collect();
    entries.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.key.cmp(&b.key)));
    entries
}

/// The comment lines directly above 1-based `line`, walking up through parent mapping lines (`rpc:` of a nested
/// config.yaml) and stopping at a blank line or another key.
fn comments_above(lines: &[&str], line: usize) -> Vec<String> {
    let mut comments = Vec::new();
    let mut index = line.saturating_sub(1);
    while index > 0 {
        index -= 1;
        let text = lines.get(index).map_or("", |text| text.trim());
        if let Some(comment) = text.strip_prefix('#') {
            comments.push(comment.trim().to_string());
        } else if text.ends_with(':') && !text.contains(": ") {
            continue;
        } else {
            break;
        }
    }
    comments.reverse();
    comments
}

/// Merges the base into `recommendation` for `version`: settings the base also had say so in their reason; the rest
/// of the base is returned to be kept.
pub(crate) fn merge(
    file: &str,
    entries: &[BaseEntry],
    recommendation: &mut Recommendation,
    catalogue: &Catalogue,
) -> BaseMerge {
    let version = recommendation.version;
    let mut kept: BTreeMap<String, (usize, Kept)> = BTreeMap::new();
    let mut replaced = Vec::new();
    for entry in entries {
        let key = target_key(&entry.key, version, catalogue);
        if let Some(setting) = recommendation
            .settings
            .iter_mut()
            .find(|setting| setting.key == key)
        {
            let pinned = recommendation.pinned.contains(&setting.key);
            // A site's own flags (heap dumps, GC logs, agents) are as much the site's as any kept key.
            let added = if !pinned && is_java_options_key(&key) {
                add_site_flags(&mut setting.value, &entry.value)
            } else {
                0
            };
            setting.why = if added > 0 {
                format!(
                    "{} (base had {}; its {} kept after these)",
                    setting.why,
                    shortened(&entry.value),
                    count(added, "other flag")
                )
            } else {
                format!("{} (base had {})", setting.why, shortened(&entry.value))
            };
            replaced.push(Replaced {
                key: Some(key),
                base_key: entry.key.clone(),
                base_value: entry.value.clone(),
                by: if pinned { "pinned" } else { "recommended" },
            });
            continue;
        }
        if is_memory_model_key(&entry.key) || is_memory_model_key(&key) {
            replaced.push(Replaced {
                key: None,
                base_key: entry.key.clone(),
                base_value: entry.value.clone(),
                by: "memory plan",
            });
            continue;
        }
        // A deprecated spelling and its successor both set: the successor wins, as Flink reads it first.
        let renamed = entry.key != key;
        if let Some((_, earlier)) = kept.get(&key)
            && renamed
            && earlier.base_key == key
        {
            continue;
        }
        kept.insert(
            key.clone(),
            (
                entry.line,
                Kept {
                    key,
                    value: entry.value.clone(),
                    base_key: entry.key.clone(),
                    comments: entry.comments.clone(),
                },
            ),
        );
    }
    let mut kept: Vec<(usize, Kept)> = kept.into_values().collect();
    kept.sort_by_key(|(line, _)| *line);
    yield_collector_to_the_base(recommendation, &kept);
    BaseMerge {
        file: file.to_string(),
        kept: kept.into_iter().map(|(_, kept)| kept).collect(),
        replaced,
    }
}

/// Appends the base's flags that `value` lacks, in the base's order; the count appended.
fn add_site_flags(value: &mut SettingValue, base_value: &str) -> usize {
    let mut flags = java_option_flags(&value.to_string());
    let before = flags.len();
    for flag in java_option_flags(base_value) {
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    let added = flags.len() - before;
    if added > 0 {
        *value = SettingValue::Text(flags.join(" "));
    }
    added
}

/// A base that selects the TaskManagers' garbage collector itself keeps it: two selected collectors and the JVM does
/// not start (FT-GC-001), and a site that chose one knows its pauses. flinktune's own choice
/// (src/advisor/garbage_collector.rs) is then left out, with a warning saying so.
fn yield_collector_to_the_base(recommendation: &mut Recommendation, kept: &[(usize, Kept)]) {
    let ours = THROUGHPUT_COLLECTOR.flag();
    let value_of = |key: &str| {
        recommendation
            .settings
            .iter()
            .find(|setting| setting.key == key)
            .map(|setting| setting.value.to_string())
            .or_else(|| {
                kept.iter()
                    .find(|(_, kept)| kept.key == key)
                    .map(|(_, kept)| kept.value.clone())
            })
    };
    let collectors = selected_collectors(&taskmanager_flags(value_of));
    if collectors.len() < 2 {
        return;
    }
    let flags = |collectors: &[Collector]| {
        collectors
            .iter()
            .map(|collector| collector.flag())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let Some(index) = recommendation.settings.iter().position(|setting| {
        setting.key == TASKMANAGER_JAVA_OPTIONS_KEY
            && !recommendation.pinned.contains(&setting.key)
            && java_option_flags(&setting.value.to_string())
                .iter()
                .any(|flag| flag == ours)
    }) else {
        // The second collector is the user's own (a pin beside the base): say what will not start.
        recommendation.warnings.push(format!(
            "FT-GC-001: the pins and the base select {} collectors for the TaskManagers ({}): Java refuses to \
             start with \"Multiple garbage collectors selected\"; keep one -XX:+Use...GC flag",
            collectors.len(),
            flags(&collectors)
        ));
        return;
    };
    let setting = &mut recommendation.settings[index];
    let rest: Vec<String> = java_option_flags(&setting.value.to_string())
        .into_iter()
        .filter(|flag| flag != ours)
        .collect();
    let theirs: Vec<Collector> = collectors
        .into_iter()
        .filter(|collector| *collector != THROUGHPUT_COLLECTOR)
        .collect();
    if rest.is_empty() {
        recommendation.settings.remove(index);
    } else {
        setting.value = SettingValue::Text(rest.join(" "));
        setting.why = format!(
            "the base's own TaskManager options; flinktune's {ours} left out, as the base selects {}",
            flags(&theirs)
        );
    }
    recommendation.warnings.push(format!(
        "the base selects the TaskManagers' garbage collector itself ({}): flinktune's {ours} for heap state \
         without a latency target is left out, as two collectors stop the JVM from starting",
        flags(&theirs)
    ));
}

/// Values longer than this (JVM option lists) are cut in a reason; the JSON carries them whole.
const SHOWN_VALUE_CHARS: usize = 60;

fn shortened(value: &str) -> String {
    if value.chars().count() <= SHOWN_VALUE_CHARS {
        return value.to_string();
    }
    let head: String = value.chars().take(SHOWN_VALUE_CHARS).collect();
    format!("{head}...")
}

fn target_key(key: &str, version: FlinkVersion, catalogue: &Catalogue) -> String {
    successor(key, version, catalogue)
        .unwrap_or(key)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::test_support::{advise, value};
    use crate::flink::config::{parse_legacy_file, parse_standard_yaml};

    const NESTED: &str = "\
# Licensed to the ASF

jobmanager:
  # The JobManager's address
  # as TaskManagers reach it.
  rpc:
    address: jm.example.com
    # Its RPC port.
    port: 6200
taskmanager:
  numberOfTaskSlots: 1
  memory:
    process:
      size: 1728m
state.backend: rocksdb
";

    #[test]
    fn comments_follow_their_key_through_parent_mappings() {
        let loaded = parse_standard_yaml("config.yaml", NESTED).unwrap();
        let entries = entries(&loaded.configuration, NESTED);
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "jobmanager.rpc.address",
                "jobmanager.rpc.port",
                "taskmanager.numberOfTaskSlots",
                "taskmanager.memory.process.size",
                "state.backend"
            ]
        );
        assert_eq!(
            entries[0].comments,
            ["The JobManager's address", "as TaskManagers reach it."]
        );
        assert_eq!(entries[1].comments, ["Its RPC port."]);
        assert!(entries[2].comments.is_empty());
    }

    #[test]
    fn decided_keys_are_replaced_the_rest_kept_in_the_target_spelling() {
        let loaded = parse_standard_yaml("config.yaml", NESTED).unwrap();
        let entries = entries(&loaded.configuration, NESTED);
        let mut advice = advise(8.0, 32, "balanced", "1.20", |_, _| {}).unwrap();
        let merged = merge("base.yaml", &entries, &mut advice, Catalogue::get());
        let kept: Vec<(&str, &str)> = merged
            .kept
            .iter()
            .map(|k| (k.key.as_str(), k.base_key.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("jobmanager.rpc.address", "jobmanager.rpc.address"),
                ("jobmanager.rpc.port", "jobmanager.rpc.port"),
            ]
        );
        let by: Vec<(&str, &str)> = merged
            .replaced
            .iter()
            .map(|r| (r.base_key.as_str(), r.by))
            .collect();
        assert_eq!(
            by,
            [
                ("taskmanager.numberOfTaskSlots", "recommended"),
                ("taskmanager.memory.process.size", "recommended"),
                ("state.backend", "recommended"),
            ]
        );
        let slots = advice
            .settings
            .iter()
            .find(|s| s.key == "taskmanager.numberOfTaskSlots")
            .unwrap();
        assert!(slots.why.ends_with("(base had 1)"), "{}", slots.why);
    }

    #[test]
    fn a_legacy_key_renamed_on_the_target_is_kept_once_in_the_new_spelling() {
        let text = "restart-strategy: none\nmetrics.reporter.jmx.factory.class: x\n\
                    taskmanager.memory.task.heap.size: 1g\n";
        let loaded = parse_legacy_file("flink-conf.yaml", text);
        let entries = entries(&loaded.configuration, text);
        let mut advice = advise(8.0, 32, "balanced", "2.3", |_, _| {}).unwrap();
        let merged = merge("flink-conf.yaml", &entries, &mut advice, Catalogue::get());
        // restart-strategy is decided (as restart-strategy.type); the task heap belongs to the memory plan.
        assert_eq!(merged.kept.len(), 1);
        assert_eq!(merged.kept[0].key, "metrics.reporter.jmx.factory.class");
        assert!(
            merged
                .replaced
                .iter()
                .any(|r| r.base_key == "restart-strategy"
                    && r.key.as_deref() == Some("restart-strategy.type"))
        );
        assert!(
            merged
                .replaced
                .iter()
                .any(|r| r.base_key == "taskmanager.memory.task.heap.size" && r.by == "memory plan")
        );
    }

    /// A heap-state job without a latency target: flinktune selects the parallel collector for its TaskManagers.
    fn heap_state_advice() -> Recommendation {
        advise(2.0, 24, "cpu-bound", "2.3", |_, profile| {
            profile.state_size = Some(crate::flink::MemorySize::mebibytes(20));
            profile.checkpoint_dir = Some("s3://bucket/checkpoints".into());
        })
        .unwrap()
    }

    fn merged_with(text: &str, advice: &mut Recommendation) -> BaseMerge {
        let loaded = parse_standard_yaml("config.yaml", text).unwrap();
        merge(
            "config.yaml",
            &entries(&loaded.configuration, text),
            advice,
            Catalogue::get(),
        )
    }

    #[test]
    fn a_sites_own_jvm_flags_are_kept_after_flinktunes() {
        let mut advice = heap_state_advice();
        let ours = value(&advice, "env.java.opts.all").unwrap();
        merged_with(
            "env.java.opts.all: -XX:+HeapDumpOnOutOfMemoryError --add-opens=java.base/java.util=ALL-UNNAMED\n\
             env.java.opts.taskmanager: -Xlog:gc*:file=/var/log/tm-gc.log\n",
            &mut advice,
        );
        assert_eq!(
            value(&advice, "env.java.opts.all").unwrap(),
            format!("{ours} -XX:+HeapDumpOnOutOfMemoryError"),
            "the shipped flag the base repeats is written once"
        );
        assert_eq!(
            value(&advice, "env.java.opts.taskmanager").as_deref(),
            Some("-XX:+UseParallelGC -Xlog:gc*:file=/var/log/tm-gc.log")
        );
        let why = &advice
            .settings
            .iter()
            .find(|setting| setting.key == "env.java.opts.taskmanager")
            .unwrap()
            .why;
        assert!(why.ends_with("its 1 other flag kept after these)"), "{why}");
    }

    #[test]
    fn a_base_that_selects_a_collector_keeps_it_and_flinktunes_is_left_out() {
        for (base, left) in [
            ("env.java.opts.all: -XX:+UseG1GC\n", None),
            (
                "env.java.opts.taskmanager: -XX:+UseG1GC -XX:MaxGCPauseMillis=100\n",
                Some("-XX:+UseG1GC -XX:MaxGCPauseMillis=100"),
            ),
        ] {
            let mut advice = heap_state_advice();
            let merged = merged_with(base, &mut advice);
            let flags = taskmanager_flags(|key| {
                value(&advice, key).or_else(|| {
                    merged
                        .kept
                        .iter()
                        .find(|kept| kept.key == key)
                        .map(|kept| kept.value.clone())
                })
            });
            assert_eq!(
                selected_collectors(&flags),
                [crate::flink::jvm_options::Collector::G1],
                "{base}"
            );
            assert_eq!(value(&advice, "env.java.opts.taskmanager").as_deref(), left);
            assert!(
                advice.warnings.iter().any(|warning| warning.starts_with(
                    "the base selects the TaskManagers' garbage collector itself (-XX:+UseG1GC)"
                )),
                "{:?}",
                advice.warnings
            );
        }
    }

    /// Before 1.18 flinktune writes no `env.java.opts.all`, so the base's is kept as it was, collector included.
    #[test]
    fn a_kept_common_key_that_selects_a_collector_keeps_it() {
        let mut advice = advise(2.0, 24, "cpu-bound", "1.17", |_, profile| {
            profile.state_size = Some(crate::flink::MemorySize::mebibytes(20));
            profile.checkpoint_dir = Some("s3://bucket/checkpoints".into());
        })
        .unwrap();
        assert_eq!(
            value(&advice, "env.java.opts.taskmanager").as_deref(),
            Some("-XX:+UseParallelGC")
        );
        let merged = merged_with(
            "rest.port: 8081\nenv.java.opts.all: -XX:+UseSerialGC\n",
            &mut advice,
        );
        assert_eq!(merged.kept[1].key, "env.java.opts.all");
        assert_eq!(value(&advice, "env.java.opts.taskmanager"), None);
        assert!(
            advice
                .warnings
                .iter()
                .any(|w| w.contains("(-XX:+UseSerialGC)"))
        );
    }

    /// A pinned TaskManager option is the user's: never rewritten, and its clash with the base is named.
    #[test]
    fn a_pinned_collector_that_clashes_with_the_base_is_kept_and_named() {
        let mut advice = heap_state_advice();
        advice.pinned.push("env.java.opts.taskmanager".into());
        merged_with("env.java.opts.all: -XX:+UseG1GC\n", &mut advice);
        assert_eq!(
            value(&advice, "env.java.opts.taskmanager").as_deref(),
            Some("-XX:+UseParallelGC")
        );
        assert!(
            advice.warnings.iter().any(|w| w.starts_with(
                "FT-GC-001: the pins and the base select 2 collectors for the TaskManagers (-XX:+UseG1GC \
                 -XX:+UseParallelGC)"
            )),
            "{:?}",
            advice.warnings
        );
        // The other settings are untouched.
        let slots = advice
            .settings
            .iter()
            .find(|s| s.key == "taskmanager.numberOfTaskSlots")
            .unwrap();
        assert!(!slots.why.contains("left out"), "{}", slots.why);
    }
}
