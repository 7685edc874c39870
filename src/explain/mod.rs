//! `flinktune explain`: for each key, the effective value and the layer that set it, in Flink's precedence order,
//! with the option's type, default, fallback keys and the releases that have it (from the catalogue). Pure.

pub(crate) mod precedence;

use std::fmt::Write as _;

use crate::flink::FlinkVersion;
use serde::Serialize;

use crate::flink::catalogue::{Catalogue, ValueType};
use crate::flink::config::Configuration;

use precedence::{Layer, effective, layers};

/// What `explain` found out about one key: the data both the text and the JSON are rendered from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Explanation {
    pub key: String,
    pub flink_version: String,
    /// The option explained: `key` itself, or the option that reads `key` as a fallback; `None` when the release
    /// has neither.
    pub option: Option<String>,
    /// `key` is a deprecated fallback of `option`.
    pub deprecated_fallback: bool,
    /// When the release lacks the key: the releases that have it, `since` to `until`.
    pub exists_in: Option<Span>,
    /// A near miss among the release's keys, when it lacks the key.
    pub did_you_mean: Option<String>,
    #[serde(rename = "type")]
    pub value_type: Option<String>,
    pub default: Option<String>,
    /// The releases that have the option, `since` to `until`.
    pub releases: Option<Span>,
    pub also_read_from: Vec<Fallback>,
    pub deprecated: bool,
    pub effective: Effective,
    /// Lowest precedence first.
    pub layers: Vec<Layer>,
}

/// Release lines, first to last, that have a key.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Span {
    pub since: String,
    pub until: String,
}

/// A key the option also reads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fallback {
    pub key: String,
    pub deprecated: bool,
}

/// The value in effect and the layer that set it (`None`: Flink's default).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Effective {
    pub value: Option<String>,
    pub layer: Option<&'static str>,
    pub origin: Option<String>,
}

/// The newest release line flinktune knows, for "in Flink X to <newest>".
const NEWEST_LINE: &str = "2.3";

/// Explains `key` as `version` would read it.
pub(crate) fn explanation(
    key: &str,
    file: &Configuration,
    dynamic: &[(String, String)],
    parallelism: Option<u32>,
    version: FlinkVersion,
    catalogue: &Catalogue,
) -> Explanation {
    let option = catalogue
        .option(key, version)
        .or_else(|| catalogue.owner_of_fallback(key, version));
    let span = |since: &FlinkVersion, until: Option<FlinkVersion>| Span {
        since: since.to_string(),
        until: until.map_or_else(|| NEWEST_LINE.to_string(), |until| until.to_string()),
    };
    let missing = option.is_none();
    let main_key = option.map_or(key, |info| info.key.as_str());
    let mut keys = vec![main_key];
    if let Some(info) = option {
        keys.extend(
            info.fallback_keys
                .iter()
                .map(|(fallback, _)| fallback.as_str()),
        );
    }
    let all = layers(&keys, file, dynamic, parallelism);
    let effective = match effective(&all) {
        Some(layer) => Effective {
            value: layer.value.clone(),
            layer: Some(layer.name),
            origin: layer.origin.clone(),
        },
        None => Effective {
            value: option.and_then(|info| info.default.clone()),
            layer: None,
            origin: None,
        },
    };
    Explanation {
        key: key.to_string(),
        flink_version: version.to_string(),
        option: option.map(|info| info.key.clone()),
        deprecated_fallback: option.is_some_and(|info| {
            info.key != key
                && info
                    .fallback_keys
                    .iter()
                    .any(|(k, deprecated)| k == key && *deprecated)
        }),
        exists_in: missing
            .then(|| catalogue.any_version(key))
            .flatten()
            .map(|history| span(&history.since, history.until)),
        did_you_mean: missing
            .then(|| catalogue.closest_key(key, version))
            .flatten(),
        value_type: option.map(|info| type_name(&info.value_type)),
        default: option.and_then(|info| info.default.clone()),
        releases: option
            .and_then(|info| catalogue.any_version(&info.key))
            .map(|history| span(&history.since, history.until)),
        also_read_from: option
            .map(|info| {
                info.fallback_keys
                    .iter()
                    .map(|(key, deprecated)| Fallback {
                        key: key.clone(),
                        deprecated: *deprecated,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        deprecated: option.is_some_and(|info| info.deprecated),
        effective,
        layers: all,
    }
}

/// The explanation as text, as `explain` prints it.
#[cfg(test)]
pub(crate) fn explain(
    key: &str,
    file: &Configuration,
    dynamic: &[(String, String)],
    parallelism: Option<u32>,
    version: FlinkVersion,
    catalogue: &Catalogue,
) -> String {
    render(&explanation(
        key,
        file,
        dynamic,
        parallelism,
        version,
        catalogue,
    ))
}

/// An explanation as `explain` prints it for people.
pub(crate) fn render(e: &Explanation) -> String {
    let mut out = String::new();
    let version = &e.flink_version;
    let _ = writeln!(out, "{}", e.key);
    match &e.option {
        Some(option) if *option != e.key => {
            let _ = writeln!(
                out,
                "  a fallback key of '{option}' in Flink {version}{}; explained as that option",
                if e.deprecated_fallback {
                    " (deprecated)"
                } else {
                    ""
                }
            );
        }
        Some(_) => {}
        None => {
            let _ = writeln!(
                out,
                "  not an option of Flink {version}{}{}",
                e.exists_in
                    .as_ref()
                    .map(|span| format!(" (it exists in {} to {})", span.since, span.until))
                    .unwrap_or_default(),
                e.did_you_mean
                    .as_ref()
                    .map(|near| format!("; did you mean '{near}'?"))
                    .unwrap_or_default()
            );
        }
    }
    if e.option.is_some() {
        let _ = writeln!(
            out,
            "  type {}, default {}{}",
            e.value_type.as_deref().unwrap_or_default(),
            e.default.as_deref().unwrap_or("none"),
            e.releases
                .as_ref()
                .map(|span| format!(", in Flink {} to {}", span.since, span.until))
                .unwrap_or_default()
        );
        if !e.also_read_from.is_empty() {
            let fallbacks: Vec<String> = e
                .also_read_from
                .iter()
                .map(|fallback| {
                    if fallback.deprecated {
                        format!("{} (deprecated)", fallback.key)
                    } else {
                        fallback.key.clone()
                    }
                })
                .collect();
            let _ = writeln!(out, "  also read from: {}", fallbacks.join(", "));
        }
        if e.deprecated {
            let _ = writeln!(out, "  deprecated in this release");
        }
    }
    match e.effective.layer {
        Some(layer) => {
            let _ = writeln!(
                out,
                "  effective: {} (from {layer}{})",
                e.effective.value.as_deref().unwrap_or_default(),
                e.effective
                    .origin
                    .as_deref()
                    .map(|o| format!(", {o}"))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  effective: {} (Flink's default; no layer flinktune can see sets it)",
                e.effective.value.as_deref().unwrap_or("none")
            );
        }
    }
    let _ = writeln!(out, "  layers, lowest precedence first:");
    for layer in &e.layers {
        match (&layer.value, &layer.code_hint) {
            (Some(value), _) => {
                let _ = writeln!(
                    out,
                    "    {:<30} {value}{}",
                    layer.name,
                    layer
                        .origin
                        .as_deref()
                        .map(|o| format!("  ({o})"))
                        .unwrap_or_default()
                );
            }
            (None, Some(hint)) => {
                let _ = writeln!(
                    out,
                    "    {:<30} only code can set it: look for {hint}",
                    layer.name
                );
            }
            (None, None) => {
                let _ = writeln!(out, "    {:<30} not set", layer.name);
            }
        }
    }
    out
}

fn type_name(value_type: &ValueType) -> String {
    match value_type {
        ValueType::Enum(constants) => format!("enum ({})", constants.join(", ")),
        ValueType::List(inner) => format!("list of {}", type_name(inner)),
        ValueType::Other(name) => name.clone(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::{Origin, Value};

    #[test]
    fn explains_layers_type_and_history() {
        let mut file = Configuration::new();
        file.set(
            "state.backend",
            Value::Text("rocksdb".into()),
            Origin::File {
                path: "flink-conf.yaml".into(),
                line: 7,
                column: 1,
            },
        );
        let text = explain(
            "state.backend.type",
            &file,
            &[],
            None,
            "1.20".parse().unwrap(),
            Catalogue::get(),
        );
        assert!(
            text.contains("type String, default hashmap, in Flink 1.17 to 2.3"),
            "{text}"
        );
        assert!(
            text.contains("also read from: state.backend (deprecated)"),
            "{text}"
        );
        assert!(
            text.contains(
                "effective: rocksdb (from config file, flink-conf.yaml:7:1 (as state.backend))"
            ),
            "{text}"
        );
        assert!(
            text.contains("only code can set it: look for env.setStateBackend"),
            "{text}"
        );
        let parallelism = explain(
            "parallelism.default",
            &file,
            &[("parallelism.default".into(), "4".into())],
            Some(8),
            "2.3".parse().unwrap(),
            Catalogue::get(),
        );
        assert!(
            parallelism.contains("effective: 8 (from -p (flink run))"),
            "{parallelism}"
        );
        assert!(
            parallelism.contains("operator.setParallelism(n)"),
            "{parallelism}"
        );
    }
}
