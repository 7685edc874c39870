//! `flinktune explain`: for each key, the effective value and the layer that set it, in Flink's precedence order,
//! with the option's type, default, fallback keys and the releases that have it (from the catalogue). Pure.

pub(crate) mod precedence;

use std::fmt::Write as _;

use crate::flink::FlinkVersion;
use crate::flink::catalogue::{Catalogue, OptionInfo, ValueType};
use crate::flink::config::Configuration;

use precedence::{effective, layers};

/// Explains `key` as `version` would read it.
pub(crate) fn explain(
    key: &str,
    file: &Configuration,
    dynamic: &[(String, String)],
    parallelism: Option<u32>,
    version: FlinkVersion,
    catalogue: &Catalogue,
) -> String {
    let mut out = String::new();
    let option = catalogue
        .option(key, version)
        .or_else(|| catalogue.owner_of_fallback(key, version));
    let _ = writeln!(out, "{key}");
    match option {
        Some(info) if info.key != key => {
            let _ = writeln!(
                out,
                "  a fallback key of '{}' in Flink {version}{}; explained as that option",
                info.key,
                if info
                    .fallback_keys
                    .iter()
                    .any(|(k, deprecated)| k == key && *deprecated)
                {
                    " (deprecated)"
                } else {
                    ""
                }
            );
        }
        Some(_) => {}
        None => {
            let known = catalogue.any_version(key);
            let suggestion = catalogue
                .closest_key(key, version)
                .map(|near| format!("; did you mean '{near}'?"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  not an option of Flink {version}{}{suggestion}",
                match known {
                    Some(history) => format!(
                        " (it exists in {} to {})",
                        history.since,
                        history
                            .until
                            .map_or_else(|| "2.3".to_string(), |until| until.to_string())
                    ),
                    None => String::new(),
                }
            );
        }
    }
    let main_key = option.map_or(key, |info| info.key.as_str());
    if let Some(info) = option {
        describe(&mut out, info, catalogue);
    }
    let mut keys = vec![main_key];
    if let Some(info) = option {
        keys.extend(
            info.fallback_keys
                .iter()
                .map(|(fallback, _)| fallback.as_str()),
        );
    }
    let all = layers(&keys, file, dynamic, parallelism);
    match effective(&all) {
        Some(layer) => {
            let _ = writeln!(
                out,
                "  effective: {} (from {}{})",
                layer.value.as_deref().unwrap_or_default(),
                layer.name,
                layer
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
                option
                    .and_then(|info| info.default.clone())
                    .unwrap_or_else(|| "none".to_string())
            );
        }
    }
    let _ = writeln!(out, "  layers, lowest precedence first:");
    for layer in &all {
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

fn describe(out: &mut String, info: &OptionInfo, catalogue: &Catalogue) {
    let history = catalogue.any_version(&info.key);
    let _ = writeln!(
        out,
        "  type {}, default {}{}",
        type_name(&info.value_type),
        info.default.as_deref().unwrap_or("none"),
        history.map_or_else(String::new, |h| format!(
            ", in Flink {} to {}",
            h.since,
            h.until
                .map_or_else(|| "2.3".to_string(), |until| until.to_string())
        ))
    );
    if !info.fallback_keys.is_empty() {
        let fallbacks: Vec<String> = info
            .fallback_keys
            .iter()
            .map(|(key, deprecated)| {
                if *deprecated {
                    format!("{key} (deprecated)")
                } else {
                    key.clone()
                }
            })
            .collect();
        let _ = writeln!(out, "  also read from: {}", fallbacks.join(", "));
    }
    if info.deprecated {
        let _ = writeln!(out, "  deprecated in this release");
    }
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
            parallelism.contains("effective: 8 (from -p (flink run), -p)"),
            "{parallelism}"
        );
        assert!(
            parallelism.contains("operator.setParallelism(n)"),
            "{parallelism}"
        );
    }
}
