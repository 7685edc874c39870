//! `flinktune check` over a corpus of real-world-shaped configurations (tests/corpus/, one directory per case, named
//! `NAME@LINE` for the release line it targets, with an optional `profile` file naming a shipped profile): Flink's own
//! shipped defaults of every release line from 1.15 to 2.3 and hand-written cases aimed at each rule. Their findings
//! are snapshots (tests/it/snapshots/check_corpus/), offline. The `#[ignore]`d tests ask real Flink, release by release,
//! whether it starts the TaskManager and JobManager of every case, and which option reads each key and whether its value
//! parses (tests/oracle/FlinkConfigOracle.java), and hold flinktune's memory, key and value findings to that.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use crate::support::flink::{FlinkAnswer, OracleCase, flink_libraries_home, oracle};
use crate::support::flink_config::{ConfigVerdict, KeyVerdict, config_oracle};
use crate::support::{Flinktune, Run, repo_root, temp_dir};

/// The patch release of each line that real-Flink runs use (the newest on the package index, as the catalogue's).
const RELEASES: [(&str, &str); 10] = [
    ("1.15", "1.15.4"),
    ("1.16", "1.16.3"),
    ("1.17", "1.17.2"),
    ("1.18", "1.18.1"),
    ("1.19", "1.19.3"),
    ("1.20", "1.20.5"),
    ("2.0", "2.0.2"),
    ("2.1", "2.1.3"),
    ("2.2", "2.2.1"),
    ("2.3", "2.3.0"),
];

/// Fewest cases the corpus must keep (the issue asks for at least 40 files).
const MIN_CASES: usize = 40;

struct Case {
    name: String,
    dir: PathBuf,
    /// The release line, e.g. `1.20`.
    version: String,
    profile: Option<String>,
}

impl Case {
    /// A file name for the snapshot: `typo-interval@2.3` becomes `typo-interval_2_3`.
    fn snapshot_name(&self) -> String {
        self.name.replace(['@', '.'], "_")
    }
}

fn cases() -> Vec<Case> {
    let root = repo_root().join("tests/corpus");
    let mut cases: Vec<Case> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let (_, version) = name
                .rsplit_once('@')
                .unwrap_or_else(|| panic!("corpus case {name} is not named NAME@VERSION"));
            assert!(
                RELEASES.iter().any(|(line, _)| *line == version),
                "corpus case {name}: unknown release line {version}"
            );
            let profile = std::fs::read_to_string(dir.join("profile"))
                .ok()
                .map(|text| text.trim().to_string());
            Case {
                version: version.to_string(),
                name,
                dir,
                profile,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The arguments of `flinktune check` for a case, with the case directory spelled `dir`.
fn check_args(case: &Case, dir: &str) -> Vec<String> {
    let mut args: Vec<String> = ["check", "--conf-dir", dir, "--flink-version", &case.version]
        .iter()
        .map(ToString::to_string)
        .collect();
    if let Some(profile) = &case.profile {
        args.extend(["--profile".to_string(), profile.clone()]);
    }
    args.extend(["--format".to_string(), "json".to_string()]);
    args
}

/// `flinktune check` on a case, with its directory written `<case>`.
fn check(case: &Case) -> Run {
    let dir = case.dir.display().to_string();
    let run = Flinktune::new().args(check_args(case, &dir)).run();
    Run {
        stdout: run.stdout.replace(&dir, "<case>"),
        stderr: run.stderr.replace(&dir, "<case>"),
        ..run
    }
}

#[test]
fn corpus_findings_match_the_snapshots() {
    let cases = cases();
    assert!(
        cases.len() >= MIN_CASES,
        "only {} corpus cases",
        cases.len()
    );
    for line in RELEASES.iter().map(|(line, _)| line) {
        assert!(
            cases
                .iter()
                .any(|case| case.name == format!("shipped@{line}")),
            "no shipped default config for {line}"
        );
    }
    for case in &cases {
        let Run {
            status,
            stdout,
            stderr,
        } = check(case);
        assert!(
            matches!(status, 0..=2),
            "{}: exit status {status}: {stderr}",
            case.name
        );
        if status == 2 {
            assert!(stdout.is_empty(), "{}: {stdout}", case.name);
        } else {
            let findings: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|error| panic!("{}: not JSON ({error}): {stdout}", case.name));
            assert!(findings.is_array(), "{}", case.name);
        }
        let report = format!(
            "flinktune {}\nexit status: {status}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            check_args(case, "<case>").join(" ")
        );
        insta::with_settings!({
            snapshot_path => "snapshots/check_corpus",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(case.snapshot_name(), report);
        });
    }
}

/// flinktune's memory error for `process` (`TaskManager`, `JobManager`) in a case's findings, if any.
fn memory_error(findings: &serde_json::Value, process: &str) -> Option<String> {
    let prefix = format!("Flink would not start the {process}: ");
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["severity"] == "error")
        .filter_map(|finding| finding["message"].as_str())
        .find(|message| message.starts_with(&prefix))
        .map(str::to_string)
}

/// Real Flink of each case's release line starts (or refuses) its TaskManager and JobManager exactly when flinktune
/// reports no memory error (or one carrying Flink's message).
#[test]
#[ignore = "needs Java 17 and Flink's libraries for every release line (scripts/flink-dist.sh); see README"]
fn memory_findings_agree_with_real_flink() {
    let started = Instant::now();
    let cases = cases();
    let work = temp_dir("check-corpus-flink");
    let processes = [
        ("GET_TM_RESOURCE_PARAMS", "TaskManager"),
        ("GET_JM_RESOURCE_PARAMS", "JobManager"),
    ];
    let mut disagreements = Vec::new();
    let (mut accepted, mut rejected, mut skipped) = (0, 0, 0);
    for (line, release) in RELEASES {
        let of_line: Vec<&Case> = cases.iter().filter(|case| case.version == line).collect();
        let mut ours = BTreeMap::new();
        let mut questions = Vec::new();
        for case in &of_line {
            let Run {
                status,
                stdout,
                stderr,
            } = check(case);
            if status == 2 {
                // Flink would not load the file at all; there is no memory to compare.
                skipped += 1;
                continue;
            }
            let findings: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|error| panic!("{}: {error}: {stdout}{stderr}", case.name));
            for (command, process) in processes {
                let id = format!("{}/{process}", case.name);
                ours.insert(id.clone(), memory_error(&findings, process));
                questions.push(OracleCase {
                    id,
                    command,
                    conf_dir: case.dir.clone(),
                    dynamic_properties: Vec::new(),
                });
            }
        }
        if questions.is_empty() {
            continue;
        }
        let home = flink_libraries_home(release);
        let answers = oracle(&home, &work.join(release), &questions);
        for (id, ours) in ours {
            let answer = answers
                .get(&id)
                .unwrap_or_else(|| panic!("Flink {release} gave no answer for {id}"));
            match (answer, ours) {
                (FlinkAnswer::Accepted { .. }, None) => accepted += 1,
                (FlinkAnswer::Rejected(chain), Some(message))
                    if chain
                        .first()
                        .is_some_and(|flink| message.contains(flink.as_str())) =>
                {
                    rejected += 1;
                }
                (answer, ours) => disagreements.push(format!(
                    "{id} on Flink {release}:\n  Flink:     {answer:?}\n  flinktune: {ours:?}"
                )),
            }
        }
    }
    eprintln!(
        "{} process configurations: {accepted} accepted and {rejected} rejected by both, {} disagreements; \
         {skipped} cases not loadable; {:.1?}",
        accepted + rejected + disagreements.len(),
        disagreements.len(),
        started.elapsed()
    );
    assert!(
        disagreements.is_empty(),
        "flinktune check and real Flink disagree:\n{}",
        disagreements.join("\n")
    );
}

/// Fewest keys of each kind the key test must judge, so that it cannot pass comparing nothing. Measured on
/// 2026-11-30 over the corpus: 409 keys, 395 read by a Flink option (8 unparsable, 8 deprecated fallbacks), 10
/// unknown to both (typos, removed and not yet added keys), 4 outside the oracle's option classes.
const MIN_READ_KEYS: usize = 350;
const MIN_UNPARSABLE: usize = 8;
const MIN_DEPRECATED: usize = 8;
const MIN_UNKNOWN: usize = 10;

/// What flinktune's findings say about one key of a case.
#[derive(Debug, Default)]
struct KeyFindings {
    /// No option of the release reads it: unknown, removed, or new in a later release ("... ignores it").
    ignored: bool,
    /// Its value does not parse as the option's type ("Flink fails when it reads this option", an ISO-8601 duration
    /// before 2.3).
    unparsable: bool,
    /// A remark on a value Flink reads (a size or duration without a unit, an ISO-8601 duration on 2.3): reported
    /// instead of a deprecation.
    value_remark: bool,
    /// A deprecated fallback key, with the option it still works for.
    deprecated_fallback_of: Option<String>,
}

/// flinktune's key and value findings of a case, by key (memory findings, which name a key too, are left out).
fn key_findings(findings: &serde_json::Value) -> BTreeMap<String, KeyFindings> {
    let mut by_key: BTreeMap<String, KeyFindings> = BTreeMap::new();
    for finding in findings.as_array().unwrap() {
        let (Some(key), Some(message)) = (finding["key"].as_str(), finding["message"].as_str())
        else {
            continue;
        };
        let entry = by_key.entry(key.to_string()).or_default();
        if message.ends_with("ignores it") || message.starts_with("unknown key '") {
            entry.ignored = true;
        }
        if message.ends_with("Flink fails when it reads this option")
            || (message.contains("which Flink ") && message.contains(" cannot parse"))
        {
            entry.unparsable = true;
        }
        if message.contains("' has no unit: ") || message.contains("' is an ISO-8601 duration: ") {
            entry.value_remark = true;
        }
        if let Some((_, owner)) = message.split_once("it still works as a fallback of '") {
            entry.deprecated_fallback_of = owner.strip_suffix('\'').map(str::to_string);
        }
    }
    by_key
}

/// Real Flink of each case's release line loads every case and says, key by key, which option reads it and whether its
/// value parses; flinktune's findings must agree: no key Flink reads called unknown or ignored, every value Flink
/// cannot parse reported and none that it can, every deprecated fallback key named with the option Flink reads it as.
#[test]
#[ignore = "needs Java 17 and Flink's libraries for every release line (scripts/flink-dist.sh); see README"]
fn key_and_value_findings_agree_with_real_flink() {
    let started = Instant::now();
    let cases = cases();
    let work = temp_dir("check-corpus-keys");
    let mut disagreements = Vec::new();
    let (
        mut keys,
        mut read,
        mut invalid,
        mut deprecated,
        mut unknown_to_both,
        mut unknown_to_oracle,
    ) = (0, 0, 0, 0, 0, 0);
    for (line, release) in RELEASES {
        let mut ours = BTreeMap::new();
        let mut dirs = Vec::new();
        for case in cases.iter().filter(|case| case.version == line) {
            let Run {
                status,
                stdout,
                stderr,
            } = check(case);
            if status == 2 {
                continue;
            }
            let findings: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|error| panic!("{}: {error}: {stdout}{stderr}", case.name));
            ours.insert(case.name.clone(), key_findings(&findings));
            dirs.push((case.name.clone(), case.dir.clone()));
        }
        if dirs.is_empty() {
            continue;
        }
        let home = flink_libraries_home(release);
        let verdicts = config_oracle(&home, &work.join(release), &dirs);
        for (name, findings) in &ours {
            let loaded = match &verdicts[name] {
                ConfigVerdict::Loaded(loaded) => loaded,
                // flinktune loaded it (exit status 0 or 1); Flink must too.
                ConfigVerdict::LoadFailed(chain) => {
                    disagreements.push(format!(
                        "{name} on Flink {release}: Flink cannot load it: {chain:?}"
                    ));
                    continue;
                }
            };
            for (key, verdict) in loaded {
                keys += 1;
                let ours = findings.get(key);
                let ignored = ours.is_some_and(|ours| ours.ignored);
                let unparsable = ours.is_some_and(|ours| ours.unparsable);
                let value_remark = ours.is_some_and(|ours| ours.value_remark);
                let fallback_of = ours.and_then(|ours| ours.deprecated_fallback_of.as_deref());
                let mut disagree = |what: String| {
                    disagreements.push(format!("{name} on Flink {release}: {key}: {what}"));
                };
                if let Some(option) = verdict.read_as(key) {
                    read += 1;
                    if ignored {
                        disagree(format!(
                            "Flink reads it as {option}, flinktune says Flink ignores it"
                        ));
                    }
                } else if ignored {
                    unknown_to_both += 1;
                } else {
                    // The oracle searches Flink's core option classes only; flinktune's catalogue also knows the
                    // connectors', plugins' and deployments' keys.
                    unknown_to_oracle += 1;
                }
                match verdict {
                    KeyVerdict::Invalid { error, .. } => {
                        invalid += 1;
                        if !unparsable {
                            disagree(format!(
                                "Flink cannot parse it ({error}), flinktune does not say so"
                            ));
                        }
                    }
                    _ if unparsable => disagree(format!(
                        "flinktune says Flink cannot parse it, Flink reads {verdict:?}"
                    )),
                    _ => {}
                }
                match (verdict, fallback_of) {
                    (KeyVerdict::Deprecated { option, .. }, Some(ours)) if ours == option => {
                        deprecated += 1
                    }
                    // A value problem or remark is reported first and alone.
                    (KeyVerdict::Invalid { .. }, _) => {}
                    (KeyVerdict::Deprecated { .. }, None) if value_remark => {}
                    (KeyVerdict::Deprecated { option, .. }, ours) => disagree(format!(
                        "Flink reads it as the deprecated fallback of {option}, flinktune names {ours:?}"
                    )),
                    (_, Some(ours)) => disagree(format!(
                        "flinktune calls it a deprecated fallback of {ours}, Flink: {verdict:?}"
                    )),
                    _ => {}
                }
            }
        }
    }
    eprintln!(
        "{keys} keys: {read} read by a Flink option ({invalid} unparsable, {deprecated} deprecated fallbacks named \
         alike), {unknown_to_both} unknown to both, {unknown_to_oracle} outside the oracle's option classes; {} \
         disagreements; {:.1?}",
        disagreements.len(),
        started.elapsed()
    );
    assert!(
        read >= MIN_READ_KEYS
            && invalid >= MIN_UNPARSABLE
            && deprecated >= MIN_DEPRECATED
            && unknown_to_both >= MIN_UNKNOWN,
        "too little compared: {read} read (at least {MIN_READ_KEYS}), {invalid} unparsable (at least \
         {MIN_UNPARSABLE}), {deprecated} deprecated (at least {MIN_DEPRECATED}), {unknown_to_both} unknown (at \
         least {MIN_UNKNOWN})"
    );
    assert!(
        disagreements.is_empty(),
        "flinktune check and real Flink disagree:\n{}",
        disagreements.join("\n")
    );
}
