//! A Flink Kubernetes Operator `FlinkDeployment` (apiVersion flink.apache.org/v1beta1). The operator sizes the
//! JobManager and TaskManager pods from `resource.memory` and `resource.cpu` and sets the process sizes from them,
//! so those settings move out of `flinkConfiguration` into the resources, with the same values the memory model
//! resolved. Values in `flinkConfiguration` are strings, as the CRD declares them.

use std::fmt::Write as _;

use crate::flink::config::single_quoted;
use crate::flink::job_options::state;
use crate::flink::options::{jobmanager as jm, taskmanager as tm};

use super::{Launch, SubmitError};
use crate::profile::Mode;

/// The operator's `flinkVersion` enum: `v1_20`, `v2_0`, ...
fn operator_version(launch: &Launch) -> String {
    let text = launch.version.to_string();
    let mut parts = text.split('.');
    format!(
        "v{}_{}",
        parts.next().unwrap_or("1"),
        parts.next().unwrap_or("20")
    )
}

/// Keys the operator derives from the resources.
const FROM_RESOURCES: [&str; 3] = [
    tm::TOTAL_PROCESS_MEMORY.key,
    jm::TOTAL_PROCESS_MEMORY.key,
    tm::CPU_CORES.key,
];

pub(crate) fn render(launch: &Launch, header: &str) -> Result<String, SubmitError> {
    let value = |key: &str| {
        launch
            .settings
            .iter()
            .find(|(candidate, _)| candidate == key)
            .map(|(_, value)| value.clone())
    };
    let upgrade_mode = if launch.restore {
        if !state::SAVEPOINT_DIR
            .all_spellings()
            .any(|key| value(key).is_some())
        {
            return Err(SubmitError::NeedsSavepointDir);
        }
        "savepoint"
    } else {
        "stateless"
    };
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "apiVersion: flink.apache.org/v1beta1");
    let _ = writeln!(out, "kind: FlinkDeployment");
    let _ = writeln!(
        out,
        "metadata:\n  name: {}",
        single_quoted(&launch.target.name)
    );
    let _ = writeln!(out, "spec:");
    let image = launch
        .target
        .image
        .clone()
        .unwrap_or_else(|| format!("flink:{}", launch.version));
    let _ = writeln!(out, "  image: {}", single_quoted(&image));
    let _ = writeln!(out, "  flinkVersion: {}", operator_version(launch));
    let _ = writeln!(out, "  serviceAccount: flink");
    let _ = writeln!(out, "  flinkConfiguration:");
    for (key, setting) in &launch.settings {
        if FROM_RESOURCES.contains(&key.as_str()) {
            continue;
        }
        let _ = writeln!(out, "    {key}: {}", single_quoted(setting));
    }
    let resource = |out: &mut String, role: &str, memory: Option<String>, cpu: &str| {
        let _ = writeln!(out, "  {role}:\n    resource:");
        if let Some(memory) = memory {
            let _ = writeln!(out, "      memory: {}", single_quoted(&memory));
        }
        let _ = writeln!(out, "      cpu: {cpu}");
    };
    resource(
        &mut out,
        "jobManager",
        value(jm::TOTAL_PROCESS_MEMORY.key),
        "1",
    );
    let cpu = value(tm::CPU_CORES.key).unwrap_or_else(|| "1".to_string());
    resource(
        &mut out,
        "taskManager",
        value(tm::TOTAL_PROCESS_MEMORY.key),
        &cpu,
    );
    if launch.target.mode == Mode::Application {
        let jar = &launch.job.jar;
        let jar_uri = if jar.contains("://") {
            jar.clone()
        } else {
            format!(
                "local:///opt/flink/usrlib/{}",
                jar.rsplit('/').next().unwrap_or(jar)
            )
        };
        let _ = writeln!(out, "  job:\n    jarURI: {}", single_quoted(&jar_uri));
        if let Some(class) = &launch.job.class {
            let _ = writeln!(out, "    entryClass: {}", single_quoted(class));
        }
        if !launch.job.args.is_empty() {
            let args: Vec<String> = launch
                .job
                .args
                .iter()
                .map(|arg| single_quoted(arg))
                .collect();
            let _ = writeln!(out, "    args: [{}]", args.join(", "));
        }
        if let Some(parallelism) = launch.parallelism {
            let _ = writeln!(out, "    parallelism: {parallelism}");
        }
        let _ = writeln!(out, "    upgradeMode: {upgrade_mode}");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Deployment;
    use crate::submit::{JobSpec, Target};

    fn launch(restore: bool, savepoints: bool) -> Launch {
        let mut settings = vec![
            ("taskmanager.numberOfTaskSlots".to_string(), "4".to_string()),
            ("taskmanager.cpu.cores".to_string(), "4.0".to_string()),
            (
                "taskmanager.memory.process.size".to_string(),
                "14745m".to_string(),
            ),
            (
                "jobmanager.memory.process.size".to_string(),
                "1600m".to_string(),
            ),
        ];
        if savepoints {
            settings.push((
                "execution.checkpointing.savepoint-dir".into(),
                "s3://b/sp".into(),
            ));
        }
        Launch {
            version: "2.3".parse().unwrap(),
            target: Target {
                deployment: Deployment::Kubernetes,
                mode: Mode::Application,
                jobmanager: String::new(),
                cluster_id: None,
                image: None,
                name: "orders".into(),
            },
            settings,
            parallelism: Some(4),
            restore,
            streaming: true,
            job: JobSpec {
                jar: "orders.jar".into(),
                class: Some("com.example.Orders".into()),
                args: vec![],
            },
        }
    }

    #[test]
    fn resources_carry_the_process_sizes_and_configuration_the_rest() {
        let text = render(&launch(false, false), "flinktune").unwrap();
        assert!(text.contains("  flinkVersion: v2_3\n"));
        assert!(text.contains("    taskmanager.numberOfTaskSlots: '4'\n"));
        assert!(!text.contains("taskmanager.memory.process.size"));
        assert!(
            text.contains(
                "  taskManager:\n    resource:\n      memory: '14745m'\n      cpu: 4.0\n"
            )
        );
        assert!(
            text.contains("  jobManager:\n    resource:\n      memory: '1600m'\n      cpu: 1\n")
        );
        assert!(text.contains("    upgradeMode: stateless\n"));
    }

    #[test]
    fn restore_needs_savepoints() {
        assert_eq!(
            render(&launch(true, false), ""),
            Err(SubmitError::NeedsSavepointDir)
        );
        assert!(
            render(&launch(true, true), "")
                .unwrap()
                .contains("upgradeMode: savepoint")
        );
    }
}
