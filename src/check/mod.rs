//! `flinktune check`: an audit of an existing configuration, as pure rules over what the loader read. Flink itself
//! is lenient where it hurts: it loads unknown keys without a word, reads nested YAML in a flink-conf.yaml as other
//! keys, and reports memory conflicts only when a process fails to start. Each rule file finds one kind of problem.

pub(crate) mod file_rules;
pub(crate) mod finding;
pub(crate) mod invariant_rules;
pub(crate) mod jvm_rules;
pub(crate) mod key_rules;
pub(crate) mod memory_rules;
pub(crate) mod report;
pub(crate) mod risk_rules;

use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::prefix_pairs;
use crate::flink::config::{FileFormat, LoadedConfig};
use crate::profile::JobProfile;

pub(crate) use finding::{Finding, Severity};

/// What a check looks at.
#[derive(Debug, Clone)]
pub(crate) struct CheckInput<'a> {
    pub loaded: &'a LoadedConfig,
    pub version: FlinkVersion,
    pub profile: Option<&'a JobProfile>,
}

/// Every finding, in report order.
pub(crate) fn check(input: &CheckInput) -> Vec<Finding> {
    let configuration = &input.loaded.configuration;
    let (nesting, headers) = if input.loaded.format == FileFormat::Legacy {
        file_rules::legacy_nesting(&input.loaded.file.display().to_string(), &input.loaded.text)
    } else {
        (Vec::new(), Vec::new())
    };
    // A nested line's key is not a typo but a misread; the nesting finding says which key was meant. Sorted for a
    // binary search per key: a scan per key was quadratic in a legacy file that nests many of its keys (issue 12).
    let mut nested_lines: Vec<_> = nesting.iter().filter_map(Finding::position).collect();
    nested_lines.sort_unstable();
    let mut others = file_rules::from_load_warnings(&input.loaded.warnings, &headers);
    others.extend(nesting);
    others.extend(memory_rules::findings(configuration, input.version));
    others.extend(prefix_findings(input));
    others.extend(risk_rules::findings(configuration));
    others.extend(jvm_rules::findings(configuration, input.version));
    others.extend(invariant_rules::findings(
        configuration,
        input.version,
        input.profile,
    ));
    if let Some(profile) = input.profile {
        others.extend(risk_rules::profile_findings(configuration, profile));
    }
    // The key findings, one per key of a file that may hold 300,000, are the list the others join (copying them into
    // another list held both at once), grown by exactly what joins: doubling a list of 300,000 findings wrote 36 MB
    // into fresh pages (issue 12). The report order comes from the sort at the end.
    let mut findings = key_rules::findings(configuration, input.version, Catalogue::get());
    findings.retain(|finding| {
        finding
            .position()
            .is_none_or(|at| nested_lines.binary_search(&at).is_err())
    });
    findings.reserve_exact(others.len());
    findings.append(&mut others);
    finding::sort_in_report_order(&mut findings);
    findings
}

/// Keys where one is a prefix of another: Flink loads them, but its own YAML tools (migration, config-parser-utils)
/// crash on them, and they cannot be written as nested YAML at all (docs/flink-config-files.md, "Keys that are
/// prefixes of other keys").
fn prefix_findings(input: &CheckInput) -> Vec<Finding> {
    let configuration = &input.loaded.configuration;
    prefix_pairs(configuration.iter().map(|(key, _)| key))
        .into_iter()
        .map(|(shorter, longer)| {
            Finding::new(
                Severity::Warn,
                format!(
                    "'{shorter}' is a prefix of '{longer}': Flink loads both, but its YAML migration crashes on the pair"
                ),
                format!("use the key's newer spelling (e.g. {shorter}.type or .enabled), which is not a prefix"),
            )
            .at(shorter, configuration.get(shorter).map(|entry| entry.origin.clone()))
        })
        .collect()
}

/// Whether any finding is an error (exit status 1).
pub(crate) fn has_errors(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|finding| finding.severity == Severity::Error)
}
