//! Where an option's effective value comes from, in Flink's order (`CliFrontend`; docs/flink-config-files.md,
//! "Precedence"):
//! config file < `-D` dynamic properties < `-p` (parallelism.default only) < code (the execution environment) <
//! operator. flinktune sees the first three; the last two only exist in the job's code, so they are named with the
//! API that sets them, for the user to look for.

use crate::flink::config::{Configuration, Origin};
use crate::flink::job_options::{cluster, deployment, is_checkpointing_option, restart, state};

/// One layer of configuration and what it sets for the key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Layer {
    pub name: &'static str,
    /// The value this layer sets, if flinktune can see it.
    pub value: Option<String>,
    /// Where: `file:line:column`, `-D`, `-p`.
    pub origin: Option<String>,
    /// A layer only code can set: what to look for in the job.
    pub code_hint: Option<String>,
}

/// The layers for the option read under `keys` (its main key first, then the fallback keys in the order Flink
/// tries them), lowest precedence first.
pub(crate) fn layers(
    keys: &[&str],
    file: &Configuration,
    dynamic: &[(String, String)],
    parallelism: Option<u32>,
) -> Vec<Layer> {
    let key = keys.first().copied().unwrap_or_default();
    let in_file = keys
        .iter()
        .find_map(|candidate| file.get(candidate).map(|entry| (*candidate, entry)));
    let mut layers = vec![Layer {
        name: "config file",
        value: in_file.map(|(_, entry)| entry.value.java_string()),
        origin: in_file.map(|(spelled, entry)| {
            let place = match &entry.origin {
                Origin::File { path, line, column } => format!("{path}:{line}:{column}"),
                Origin::DynamicProperty => "-D".to_string(),
            };
            if spelled == key {
                place
            } else {
                format!("{place} (as {spelled})")
            }
        }),
        code_hint: None,
    }];
    // Flink applies -D over the file key by key; the option then reads its main key first.
    let in_dynamic = keys.iter().find_map(|candidate| {
        dynamic
            .iter()
            .rev()
            .find(|(name, _)| name == candidate)
            .map(|(name, value)| (name.as_str(), value.clone()))
    });
    layers.push(Layer {
        name: "-D dynamic property",
        value: in_dynamic.as_ref().map(|(_, value)| value.clone()),
        origin: in_dynamic.map(|(spelled, _)| {
            if spelled == key {
                "-D".to_string()
            } else {
                format!("-D (as {spelled})")
            }
        }),
        code_hint: None,
    });
    let is_parallelism = key == cluster::PARALLELISM_DEFAULT.newest();
    if is_parallelism {
        layers.push(Layer {
            name: "-p (flink run)",
            value: parallelism.map(|p| p.to_string()),
            // The layer's name already says it; "from -p (flink run), -p" said it twice.
            origin: None,
            code_hint: None,
        });
    }
    if deployment::is_process_option(key) {
        // Process options are read when the JobManager or TaskManager starts; a job cannot change them.
        return layers;
    }
    let (code, operator) = code_layers(key);
    layers.push(Layer {
        name: "code (execution environment)",
        value: None,
        origin: None,
        code_hint: Some(code),
    });
    if let Some(operator) = operator {
        layers.push(Layer {
            name: "operator",
            value: None,
            origin: None,
            code_hint: Some(operator),
        });
    }
    layers
}

/// What sets `key` in a job's code, at environment and at operator level.
fn code_layers(key: &str) -> (String, Option<String>) {
    let starts = |versioned: crate::flink::job_options::VersionedKey| {
        versioned
            .all_spellings()
            .any(|spelling| key == spelling || key.starts_with(&format!("{spelling}.")))
    };
    if key == cluster::PARALLELISM_DEFAULT.newest() {
        (
            format!("env.setParallelism(n) (or SQL 'SET {key}')"),
            Some("operator.setParallelism(n)".to_string()),
        )
    } else if key == cluster::MAX_PARALLELISM.newest() {
        (
            "env.setMaxParallelism(n)".to_string(),
            Some("operator.setMaxParallelism(n)".to_string()),
        )
    } else if is_checkpointing_option(key) || starts(state::CHECKPOINT_DIR) {
        (
            "env.enableCheckpointing(...) / env.getCheckpointConfig() (or a Configuration passed to the environment)"
                .to_string(),
            None,
        )
    } else if starts(restart::STRATEGY) {
        (
            "env.setRestartStrategy(...) (1.x; or a Configuration passed to the environment)"
                .to_string(),
            None,
        )
    } else if starts(state::BACKEND) {
        (
            "env.setStateBackend(...) (1.x; or a Configuration passed to the environment)"
                .to_string(),
            None,
        )
    } else {
        (
            "a Configuration passed to StreamExecutionEnvironment.getExecutionEnvironment(conf) or env.configure(conf)"
                .to_string(),
            None,
        )
    }
}

/// The effective value among the visible layers: the highest one that sets it.
pub(crate) fn effective(layers: &[Layer]) -> Option<&Layer> {
    layers.iter().rev().find(|layer| layer.value.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flink::config::Value;

    fn file(key: &str, value: &str) -> Configuration {
        let mut configuration = Configuration::new();
        configuration.set(
            key,
            Value::Text(value.into()),
            Origin::File {
                path: "config.yaml".into(),
                line: 3,
                column: 22,
            },
        );
        configuration
    }

    #[test]
    fn file_then_dynamic_then_p_for_parallelism() {
        let configuration = file("parallelism.default", "4");
        let dynamic = vec![("parallelism.default".to_string(), "8".to_string())];
        let all = layers(&["parallelism.default"], &configuration, &dynamic, Some(16));
        assert_eq!(
            effective(&all).map(|l| (l.name, l.value.clone())),
            Some(("-p (flink run)", Some("16".into())))
        );
        let without_p = layers(&["parallelism.default"], &configuration, &dynamic, None);
        assert_eq!(effective(&without_p).unwrap().value.as_deref(), Some("8"));
        assert_eq!(
            all.last().unwrap().code_hint.as_deref(),
            Some("operator.setParallelism(n)")
        );
    }

    #[test]
    fn process_options_have_no_code_layer() {
        let configuration = file("taskmanager.memory.process.size", "4g");
        let all = layers(
            &["taskmanager.memory.process.size"],
            &configuration,
            &[],
            None,
        );
        assert_eq!(all.len(), 2);
        assert_eq!(
            effective(&all).unwrap().origin.as_deref(),
            Some("config.yaml:3:22")
        );
        let checkpoint = layers(
            &["execution.checkpointing.interval"],
            &configuration,
            &[],
            None,
        );
        let old_spelling = file("state.backend", "rocksdb");
        let backend = layers(
            &["state.backend.type", "state.backend"],
            &old_spelling,
            &[],
            None,
        );
        assert_eq!(
            effective(&backend).unwrap().origin.as_deref(),
            Some("config.yaml:3:22 (as state.backend)")
        );
        assert!(
            checkpoint
                .last()
                .unwrap()
                .code_hint
                .as_deref()
                .unwrap()
                .contains("enableCheckpointing")
        );
    }
}
