//! `flinktune profiles`: the shipped job profiles as a table, or one of them as its YAML (to copy and adapt).

use crate::text::table::{Layout, table};

use crate::commands::outcome::Outcome;
use crate::error::Error;
use crate::profile::embedded::{EMBEDDED, embedded_profile};
use crate::text::units::show;

pub(crate) fn run(name: Option<&str>, json: bool, layout: Layout) -> Result<Outcome, Error> {
    if json {
        return to_json(name).map(Outcome::clean);
    }
    text(name, layout).map(Outcome::clean)
}

/// One profile (every field, `extends` resolved) or all shipped ones, as JSON.
fn to_json(name: Option<&str>) -> Result<String, Error> {
    match name {
        Some(name) => Ok(crate::text::json::pretty(&embedded_profile(name)?)),
        None => {
            let profiles = EMBEDDED
                .iter()
                .map(|(name, _)| embedded_profile(name))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(crate::text::json::pretty(&profiles))
        }
    }
}

fn text(name: Option<&str>, layout: Layout) -> Result<String, Error> {
    if let Some(name) = name {
        // Resolving first turns an unknown name into the error that lists the shipped ones.
        embedded_profile(name)?;
        let text = EMBEDDED
            .iter()
            .find(|(candidate, _)| *candidate == name)
            .map_or("", |(_, text)| text);
        return Ok(text.to_string());
    }
    let mut table = table(
        layout,
        [
            "profile",
            "workload",
            "runtime",
            "state",
            "mode",
            "restore",
            "description",
        ],
    );
    for (name, _) in EMBEDDED {
        let profile = embedded_profile(name)?;
        table.add_row([
            profile.name.clone(),
            profile.workload.to_string(),
            profile.runtime.to_string(),
            match profile.state_size {
                None => "unknown".to_string(),
                Some(size) if size.bytes() == 0 => "none".to_string(),
                Some(size) => show(size),
            },
            profile.mode.to_string(),
            profile.restore.to_string(),
            profile.description.clone(),
        ]);
    }
    Ok(format!("{table}\n"))
}
