//! `flinktune explain`: loads the file layer (when there is a config), then explains each key over the file, the
//! `-D` properties and `-p` (src/explain/).

use serde::Serialize;

use crate::commands::outcome::Outcome;
use crate::edges::conf_source::{self, ConfigSource};
use crate::error::Error;
use crate::explain::{Explanation, explanation, render};
use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::config::Configuration;

#[derive(Debug, Clone)]
pub(crate) struct ExplainRequest {
    pub keys: Vec<String>,
    /// `None` when no configuration is given or found: only `-D`, `-p` and defaults count.
    pub source: Option<ConfigSource>,
    pub dynamic_properties: Vec<(String, String)>,
    pub parallelism: Option<u32>,
    pub version: FlinkVersion,
    /// `--format json`.
    pub json: bool,
}

/// `explain --format json`.
#[derive(Debug, Serialize)]
struct ExplainJson {
    flink_version: String,
    /// The file read, if any.
    file: Option<String>,
    keys: Vec<Explanation>,
}

pub(crate) fn run(request: &ExplainRequest) -> Result<Outcome, Error> {
    text(request).map(Outcome::clean)
}

fn text(request: &ExplainRequest) -> Result<String, Error> {
    // A key no release has (nor reads as a map entry, pattern or plugin setting) is a typo: say so, and fail, before
    // reading anything. A key of other releases is still explained, with the releases that have it.
    let catalogue = Catalogue::get();
    for key in &request.keys {
        if catalogue.any_version(key).is_none() && !catalogue.reads(key, request.version) {
            return Err(Error::UnknownKey {
                key: key.clone(),
                version: request.version.to_string(),
                suggestion: catalogue
                    .closest_key(key, request.version)
                    .map(|near| format!("; did you mean '{near}'?"))
                    .unwrap_or_default(),
            });
        }
    }
    let (file, path) = match &request.source {
        Some(source) => {
            let loaded = conf_source::load(source, request.version, &[])?;
            (
                loaded.configuration,
                Some(loaded.file.display().to_string()),
            )
        }
        None => (Configuration::new(), None),
    };
    let explanations: Vec<Explanation> = request
        .keys
        .iter()
        .map(|key| {
            explanation(
                key,
                &file,
                &request.dynamic_properties,
                request.parallelism,
                request.version,
                catalogue,
            )
        })
        .collect();
    if request.json {
        return Ok(crate::text::json::pretty(&ExplainJson {
            flink_version: request.version.to_string(),
            file: path,
            keys: explanations,
        }));
    }
    let mut out = format!(
        "Flink {}: {}\n",
        request.version,
        path.as_deref().unwrap_or("no configuration file")
    );
    for explained in &explanations {
        out.push('\n');
        out.push_str(&render(explained));
    }
    Ok(out)
}
