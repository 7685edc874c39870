//! Keys and values against the catalogue of every option of Flink 1.15 to 2.3 (src/flink/catalogue, generated from
//! the real jars): unknown keys (Flink loads them without a word, so a typo is a setting that never happened), keys
//! the target release no longer or not yet reads, deprecated keys and their successors, and values Flink cannot
//! parse as the option's type: sizes without a unit (read as bytes), ISO-8601 durations before 2.3, bad numbers,
//! booleans and enum constants (docs/flink-config-files.md, "Value syntax").

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::flink::FlinkVersion;
use crate::flink::catalogue::{Catalogue, Release, ValueType};
use crate::flink::config::{Configuration, Entry, Value};
use crate::flink::duration::parse_duration;
use crate::flink::java_text::{parse_java_double, parse_java_float, parse_java_int};
use crate::flink::memory_size::MemorySize;
use crate::flink::options::legacy_memory_successor;

use super::finding::{Finding, Severity};

/// The fewest keys worth a thread of their own: a real configuration (tens of keys) is judged on the caller's thread.
const KEYS_PER_THREAD: usize = 10_000;

/// Keys handed to a thread at a time. Small enough that threads finish together though some keys cost far more than
/// others (a typo is measured against its near keys, a known key is one lookup), large enough that handing them out
/// costs nothing.
const KEYS_PER_BATCH: usize = 1_024;

/// One finding per key that needs one, in key order. Each key is judged alone, so a file of many keys is shared among
/// the host's cores: "did you mean" on 300,000 unknown keys was a third of `check`'s time (issue 12).
pub(crate) fn findings(
    configuration: &Configuration,
    version: FlinkVersion,
    catalogue: &Catalogue,
) -> Vec<Finding> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    findings_on(configuration, version, catalogue, cores)
}

/// [`findings`] on at most `threads` threads: each takes the next batch of keys until none is left, and the batches'
/// findings are put back in key order.
fn findings_on(
    configuration: &Configuration,
    version: FlinkVersion,
    catalogue: &Catalogue,
    threads: usize,
) -> Vec<Finding> {
    let keys: Vec<(&str, &Entry)> = configuration.iter().collect();
    let batches: Vec<&[(&str, &Entry)]> = keys.chunks(KEYS_PER_BATCH).collect();
    let next_batch = AtomicUsize::new(0);
    let judge_batches = || {
        // The release resolved once per thread, not per key.
        let mut release = catalogue.release(version);
        let mut judged = Vec::new();
        loop {
            let index = next_batch.fetch_add(1, Ordering::Relaxed);
            let Some(batch) = batches.get(index) else {
                return judged;
            };
            let found: Vec<Finding> = batch
                .iter()
                .filter_map(|(key, entry)| key_finding(key, entry, &mut release))
                .collect();
            judged.push((index, found));
        }
    };
    let threads = threads.min(keys.len().div_ceil(KEYS_PER_THREAD)).max(1);
    let mut judged = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads).map(|_| scope.spawn(judge_batches)).collect();
        let mut judged = judge_batches();
        for other in others {
            judged.extend(
                other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        judged
    });
    judged.sort_unstable_by_key(|(index, _)| *index);
    let mut findings = Vec::with_capacity(judged.iter().map(|(_, found)| found.len()).sum());
    for (_, found) in judged {
        findings.extend(found);
    }
    findings
}

fn key_finding(key: &str, entry: &Entry, release: &mut Release) -> Option<Finding> {
    let version = release.version();
    let at = |finding: Finding| Some(finding.at(key, Some(entry.origin.clone())));
    // Looked up once and asked everything below: `check` runs this for every key of a file that may hold 300,000,
    // and each lookup of the catalogue compares the key with a dozen others (issue 12).
    let history = release.history(key);
    if let Some(info) = history.and_then(|history| history.at(version)) {
        if let Some(problem) = value_problem(&info.value_type, entry, version) {
            return at(problem);
        }
        if info.deprecated {
            return at(Finding::new(
                Severity::Warn,
                format!("'{key}' is deprecated in Flink {version}"),
                match legacy_memory_successor(key) {
                    Some(successor) => format!("use '{successor}', which Flink reads it as"),
                    None => "see the Flink docs of this release for its replacement; deprecated options are removed \
                             in a later major release"
                        .to_string(),
                },
            ));
        }
        return None;
    }
    if let Some(owner) = release.owner_of_fallback(key) {
        let deprecated = owner
            .fallback_keys
            .iter()
            .any(|(fallback, deprecated)| fallback == key && *deprecated);
        let problem = value_problem(&owner.value_type, entry, version);
        return match (problem, deprecated) {
            (Some(problem), _) => at(problem),
            (None, true) => at(Finding::new(
                Severity::Warn,
                format!(
                    "'{key}' is deprecated in Flink {version}: it still works as a fallback of '{}'",
                    owner.key
                ),
                format!("rename it to '{}'", owner.key),
            )),
            (None, false) => None,
        };
    }
    // Neither the key's own option nor a fallback: `Catalogue::reads` without asking those two again.
    if release.reads_as_family(key) {
        return None;
    }
    if let Some(history) = history {
        return at(match history.until {
            Some(until) if until < version => Finding::new(
                Severity::Error,
                format!("'{key}' was removed after Flink {until}: Flink {version} ignores it"),
                match legacy_memory_successor(key) {
                    Some(successor) => format!("set '{successor}' instead (what Flink {until} read it as)"),
                    None => "remove it, or look up its replacement in the release notes of the next release".to_string(),
                },
            ),
            _ => Finding::new(
                Severity::Error,
                format!(
                    "'{key}' is new in Flink {}: Flink {version} ignores it",
                    history.since
                ),
                format!("remove it, or target Flink {} or later", history.since),
            ),
        });
    }
    at(match release.closest_key(key) {
        Some(known) => Finding::new(
            Severity::Error,
            format!(
                "unknown key '{key}': Flink {version} loads it without a word and never reads it"
            ),
            format!("did you mean '{known}'?"),
        ),
        None => Finding::new(
            Severity::Warn,
            format!(
                "unknown key '{key}': no option of Flink {version} reads it (fine if a plugin or your code does)"
            ),
            "check the spelling against the Flink docs of this release",
        ),
    })
}

/// Why Flink could not read `entry` as `value_type` (or reads it as something else than written).
fn value_problem(value_type: &ValueType, entry: &Entry, version: FlinkVersion) -> Option<Finding> {
    let text = entry.value.java_string();
    let trimmed = text.trim();
    let unparsable = |expected: &str| {
        Some(Finding::new(
            Severity::Error,
            format!("'{trimmed}' is not {expected}: Flink fails when it reads this option"),
            format!("write {expected}"),
        ))
    };
    match value_type {
        ValueType::MemorySize => {
            if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) && trimmed != "0"
            {
                let bytes = trimmed.parse().map(MemorySize::from_bytes).ok();
                return Some(Finding::new(
                    Severity::Warn,
                    format!("'{trimmed}' has no unit: Flink reads it as {trimmed} bytes"),
                    match bytes {
                        Some(size) => format!(
                            "write the unit: '{}' says what Flink reads now; add the unit you meant otherwise",
                            crate::advisor::SettingValue::Size(size)
                        ),
                        None => "write the unit you meant, e.g. 'mb'".to_string(),
                    },
                ));
            }
            if MemorySize::parse(trimmed).is_err() {
                return unparsable("a size with a unit (b, kb, mb, gb, tb)");
            }
            None
        }
        ValueType::Duration => {
            let iso = trimmed.starts_with(['P', 'p']) && trimmed.len() > 1;
            if iso && !version.reads_iso_durations() {
                return Some(Finding::new(
                    Severity::Error,
                    format!(
                        "'{trimmed}' is an ISO-8601 duration, which Flink {version} cannot parse (2.3 is the first that can)"
                    ),
                    "write it as e.g. '30 s' or '5 min'",
                ));
            }
            if iso {
                return Some(Finding::new(
                    Severity::Info,
                    format!(
                        "'{trimmed}' is an ISO-8601 duration: Flink 2.3 reads it, earlier releases do not"
                    ),
                    "write it as e.g. '30 s' or '5 min' to keep the file portable",
                ));
            }
            if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) && trimmed != "0"
            {
                return Some(Finding::new(
                    Severity::Warn,
                    format!("'{trimmed}' has no unit: Flink reads it as {trimmed} milliseconds"),
                    format!("write the unit, e.g. '{trimmed} ms'"),
                ));
            }
            if parse_duration(trimmed).is_err() {
                return unparsable("a duration such as '30 s' or '5 min'");
            }
            None
        }
        ValueType::Boolean => match &entry.value {
            Value::Bool(_) => None,
            _ if trimmed.eq_ignore_ascii_case("true") || trimmed.eq_ignore_ascii_case("false") => {
                None
            }
            _ => unparsable("true or false"),
        },
        ValueType::Integer if parse_java_int(trimmed).is_none() => unparsable("a whole number"),
        ValueType::Long if trimmed.parse::<i64>().is_err() => unparsable("a whole number"),
        ValueType::Float if parse_java_float(trimmed).is_none() => unparsable("a number"),
        ValueType::Double if parse_java_double(trimmed).is_none() => unparsable("a number"),
        ValueType::Enum(constants) => {
            if constants.is_empty()
                || constants
                    .iter()
                    .any(|constant| constant.eq_ignore_ascii_case(trimmed))
            {
                None
            } else {
                unparsable(&format!("one of {}", constants.join(", ")))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::Origin;

    #[test]
    fn keys_shared_among_threads_are_judged_as_on_one() {
        // Known keys, bad values, typos and unknown keys, enough for three threads' parts.
        let version: FlinkVersion = "2.3".parse().unwrap();
        let known: Vec<&str> = Catalogue::get().keys(version).take(500).collect();
        let mut configuration = Configuration::new();
        for index in 0..3 * KEYS_PER_THREAD {
            let known = known[index % known.len()];
            let key = match index % 4 {
                0 => known.to_string(),
                1 => format!("{known}x"),
                2 => format!("custom.key.{index}"),
                _ => format!("{known}.{index}"),
            };
            let value = if index % 3 == 0 { "oops" } else { "1" };
            configuration.set(key, Value::Text(value.into()), Origin::DynamicProperty);
        }
        let alone = findings_on(&configuration, version, Catalogue::get(), 1);
        let shared = findings_on(&configuration, version, Catalogue::get(), 3);
        assert!(alone.len() > KEYS_PER_THREAD, "{}", alone.len());
        assert_eq!(shared, alone);
    }

    fn check(key: &str, value: &str, version: &str) -> Option<(Severity, String)> {
        let mut configuration = Configuration::new();
        configuration.set(key, Value::Text(value.into()), Origin::DynamicProperty);
        findings(&configuration, version.parse().unwrap(), Catalogue::get())
            .into_iter()
            .next()
            .map(|finding| {
                (
                    finding.severity,
                    format!("{} | {}", finding.message, finding.fix),
                )
            })
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let (severity, text) = check("execution.checkpointing.intervall", "30 s", "2.3").unwrap();
        assert_eq!(severity, Severity::Error);
        assert!(
            text.contains("did you mean 'execution.checkpointing.interval'?"),
            "{text}"
        );
        assert_eq!(check("s3.access-key", "x", "2.3"), None);
        assert_eq!(check("metrics.reporter.prom.port", "9249", "2.3"), None);
    }

    #[test]
    fn removed_new_and_deprecated_keys() {
        let (severity, text) = check("taskmanager.heap.size", "1g", "2.3").unwrap();
        assert_eq!(severity, Severity::Error);
        assert!(text.contains("removed after Flink 1.20"), "{text}");
        let (_, text) = check("execution.checkpointing.dir", "s3://b", "1.19").unwrap();
        assert!(text.contains("new in Flink 1.20"), "{text}");
        let (severity, text) = check("state.backend", "rocksdb", "2.3").unwrap();
        assert_eq!(severity, Severity::Warn);
        assert!(text.contains("rename it to 'state.backend.type'"), "{text}");
        assert_eq!(check("state.backend", "rocksdb", "1.16"), None);
    }

    #[test]
    fn values_are_parsed_as_their_type() {
        assert!(
            check("taskmanager.memory.process.size", "1728", "1.20")
                .unwrap()
                .1
                .contains("1728 bytes")
        );
        assert!(
            check("taskmanager.memory.process.size", "1.5g", "1.20")
                .unwrap()
                .1
                .contains("not a size")
        );
        assert_eq!(
            check("execution.checkpointing.interval", "PT30S", "1.20")
                .unwrap()
                .0,
            Severity::Error
        );
        assert_eq!(
            check("execution.checkpointing.interval", "PT30S", "2.3")
                .unwrap()
                .0,
            Severity::Info
        );
        assert!(
            check("execution.checkpointing.interval", "60000", "2.3")
                .unwrap()
                .1
                .contains("milliseconds")
        );
        assert!(
            check("taskmanager.numberOfTaskSlots", "four", "2.3")
                .unwrap()
                .1
                .contains("whole number")
        );
        assert!(check("execution.checkpointing.mode", "exactly_once", "2.3").is_none());
        assert!(
            check("execution.checkpointing.mode", "EXACTLY", "2.3")
                .unwrap()
                .1
                .contains("one of")
        );
        assert!(
            check("execution.checkpointing.unaligned.enabled", "yes", "2.3")
                .unwrap()
                .1
                .contains("true or false")
        );
        assert_eq!(check("parallelism.default", "4", "2.3"), None);
    }

    #[test]
    fn the_edges_of_the_value_syntax() {
        // Zero needs no unit; a lone "P" is no ISO-8601 duration; a duration with a unit is fine before 2.3.
        assert_eq!(check("taskmanager.memory.process.size", "0", "2.3"), None);
        assert_eq!(check("execution.checkpointing.interval", "0", "2.3"), None);
        assert_eq!(
            check("execution.checkpointing.interval", "30 s", "1.20"),
            None
        );
        assert!(
            check("execution.checkpointing.interval", "P", "2.3")
                .unwrap()
                .1
                .contains("not a duration")
        );
        assert_eq!(
            check("execution.checkpointing.unaligned.enabled", "FALSE", "2.3"),
            None
        );
        // A Long until 1.19, a Duration from 1.20; a Float.
        assert_eq!(check("heartbeat.interval", "10000", "1.19"), None);
        assert!(
            check("heartbeat.interval", "10 s", "1.19")
                .unwrap()
                .1
                .contains("whole number")
        );
        assert_eq!(
            check("taskmanager.memory.managed.fraction", "0.25", "2.3"),
            None
        );
        assert!(
            check("taskmanager.memory.managed.fraction", "a quarter", "2.3")
                .unwrap()
                .1
                .contains("is not a number")
        );
        let (severity, text) = check("zzzz.qqqq.unheard-of", "1", "2.3").unwrap();
        assert_eq!(severity, Severity::Warn);
        assert!(text.contains("no option of Flink 2.3 reads it"), "{text}");
    }

    #[test]
    fn a_fallback_is_deprecated_only_when_flink_marks_that_fallback_so() {
        // From 2.0 `web.address` is no option of its own, only a fallback of `rest.bind-address`, and not a deprecated
        // one; the other fallback, `jobmanager.web.address`, is (issue 15: `&&` turned `||` warned about the first).
        assert_eq!(check("web.address", "0.0.0.0", "2.3"), None);
        let (severity, text) = check("jobmanager.web.address", "0.0.0.0", "2.3").unwrap();
        assert_eq!(severity, Severity::Warn);
        assert!(text.contains("fallback of 'rest.bind-address'"), "{text}");
    }

    #[test]
    fn a_key_that_came_and_went_later_is_new_to_an_earlier_release() {
        // `execution.checkpointing.force` lived from 1.17 to 1.20: 1.16 does not know it yet, it was not removed.
        let (severity, text) = check("execution.checkpointing.force", "true", "1.16").unwrap();
        assert_eq!(severity, Severity::Error);
        assert!(text.contains("new in Flink 1.17"), "{text}");
        let (_, text) = check("execution.checkpointing.force", "true", "2.0").unwrap();
        assert!(text.contains("removed after Flink 1.20"), "{text}");
    }

    #[test]
    fn a_double_is_read_as_java_reads_one() {
        assert_eq!(
            check("kubernetes.jobmanager.memory.limit-factor", "1.5", "2.3"),
            None
        );
        assert!(
            check("kubernetes.jobmanager.memory.limit-factor", "half", "2.3")
                .unwrap()
                .1
                .contains("'half' is not a number")
        );
    }
}
