//! `flinktune host`: probe this machine (flags override what is found) and show what Flink could use of it.

use crate::commands::outcome::Outcome;
use crate::edges::host_probe::{HostOverrides, probe};
use crate::error::Error;
use crate::host::report;
use crate::text::table::Layout;

/// A validated `host` invocation.
#[derive(Debug, Clone)]
pub(crate) struct HostRequest {
    pub(crate) overrides: HostOverrides,
    pub(crate) json: bool,
}

pub(crate) fn run(request: &HostRequest, layout: Layout) -> Result<Outcome, Error> {
    let host = probe(&request.overrides)?;
    Ok(Outcome::clean(if request.json {
        report::to_json(&host)
    } else {
        report::render_table(&host, layout)
    }))
}
