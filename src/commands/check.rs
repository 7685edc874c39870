//! `flinktune check`: load a configuration as the target release would, read the file's text for rules that need it,
//! and report the findings. The rules are pure (src/check/).

use crate::check::{CheckInput, check, has_errors, report};
use crate::commands::outcome::Outcome;
use crate::edges::advice_request::{ProfileRef, profile_with_flags};
use crate::edges::conf_source::{self, ConfigSource};
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::profile::JobProfile;
use crate::profile::embedded::DEFAULT_PROFILE;
use crate::text::table::Layout;

#[derive(Debug, Clone)]
pub(crate) struct CheckRequest {
    pub source: ConfigSource,
    pub dynamic_properties: Vec<(String, String)>,
    pub version: FlinkVersion,
    pub json: bool,
    pub profile: Option<crate::edges::advice_request::ProfileRef>,
    /// Profile-field flags (field, value, flag) over the profile (`balanced` when none is named).
    pub profile_flags: Vec<(&'static str, String, &'static str)>,
}

pub(crate) fn run(request: &CheckRequest, layout: Layout) -> Result<Outcome, Error> {
    let loaded = conf_source::load(
        &request.source,
        request.version,
        &request.dynamic_properties,
    )?;
    let profile: Option<JobProfile> = match (&request.profile, request.profile_flags.is_empty()) {
        (None, true) => None,
        (named, _) => Some(profile_with_flags(
            named
                .as_ref()
                .unwrap_or(&ProfileRef::Embedded(DEFAULT_PROFILE.to_string())),
            &request.profile_flags,
        )?),
    };
    let findings = check(&CheckInput {
        loaded: &loaded,
        version: request.version,
        profile: profile.as_ref(),
    });
    // The configuration is not needed for the report: freed before it is written (JSON of 300,000 keys peaked at
    // 370 MB with it, 337 MB without; issue 12).
    let file = loaded.file.clone();
    drop(loaded);
    let base = if request.json {
        Outcome::clean(report::json(&findings))
    } else {
        Outcome::escaped_report(report::table(&findings, layout))
    };
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == crate::check::Severity::Error)
        .count();
    let mut outcome = base.findings_if(has_errors(&findings));
    if errors > 0 {
        // A script that keeps only stderr must still see why the exit status is 1.
        outcome.info(format!(
            "error: {} has {} at error level (listed on stdout); fix them, then run check again",
            file.display(),
            crate::text::units::count(errors, "finding")
        ));
    }
    Ok(outcome)
}
