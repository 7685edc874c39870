//! The shell command that launches a job, quoted for a POSIX shell.

use crate::flink::FlinkVersion;
use crate::profile::{Deployment, Mode};
use crate::text::shell::shell_quote;

use crate::flink::job_options::cluster::PARALLELISM_DEFAULT;
use crate::flink::job_options::deployment::{
    JOBMANAGER_RPC_ADDRESS, KUBERNETES_CLUSTER_ID, KUBERNETES_IMAGE, REST_ADDRESS, REST_PORT,
    YARN_APPLICATION_ID, is_process_option,
};

use super::{Launch, SubmitError};

pub(crate) fn render(launch: &Launch) -> Result<String, SubmitError> {
    let target = &launch.target;
    let parallelism_key = PARALLELISM_DEFAULT.for_version(launch.version);
    let mut words: Vec<String> = Vec::new();
    let job_settings_only = target.mode == Mode::Session;
    match (target.mode, target.deployment) {
        (Mode::PerJob, _) if launch.version.is_2x() => {
            return Err(SubmitError::PerJobGone(launch.version.to_string()));
        }
        (Mode::PerJob, Deployment::Standalone) => {
            return Err(SubmitError::PerJobOnlyOnYarn("standalone"));
        }
        (Mode::PerJob, Deployment::Kubernetes) => {
            return Err(SubmitError::PerJobOnlyOnYarn("Kubernetes"));
        }
        (Mode::Application, Deployment::Standalone) => return standalone_application(launch),
        (Mode::Session, Deployment::Standalone) => {
            let (host, port) = target
                .jobmanager
                .rsplit_once(':')
                .unwrap_or((&target.jobmanager, "8081"));
            words.extend(["flink", "run", "-t", "remote"].map(String::from));
            words.push(format!(
                "-D{}={host}",
                REST_ADDRESS.for_version(launch.version)
            ));
            words.push(format!(
                "-D{}={port}",
                REST_PORT.for_version(launch.version)
            ));
        }
        (Mode::Session, Deployment::Yarn) => {
            let id = target.cluster_id.as_ref().ok_or_else(|| {
                SubmitError::NeedsClusterId("a YARN session", "YARN application id".to_string())
            })?;
            words.extend(["flink", "run", "-t", "yarn-session"].map(String::from));
            words.push(format!(
                "-D{}={id}",
                YARN_APPLICATION_ID.for_version(launch.version)
            ));
        }
        (Mode::Session, Deployment::Kubernetes) => {
            let id = target.cluster_id.as_ref().ok_or_else(|| {
                SubmitError::NeedsClusterId(
                    "a Kubernetes session",
                    format!(
                        "session's {}",
                        KUBERNETES_CLUSTER_ID.for_version(launch.version)
                    ),
                )
            })?;
            words.extend(["flink", "run", "-t", "kubernetes-session"].map(String::from));
            words.push(format!(
                "-D{}={id}",
                KUBERNETES_CLUSTER_ID.for_version(launch.version)
            ));
        }
        (Mode::PerJob, Deployment::Yarn) => {
            words.extend(["flink", "run", "-t", "yarn-per-job"].map(String::from));
        }
        (Mode::Application, Deployment::Yarn) => {
            words.extend(application_action(launch.version, "yarn-application"));
        }
        (Mode::Application, Deployment::Kubernetes) => {
            words.extend(application_action(launch.version, "kubernetes-application"));
            words.push(format!(
                "-D{}={}",
                KUBERNETES_CLUSTER_ID.for_version(launch.version),
                target.cluster_id.as_deref().unwrap_or(&target.name)
            ));
            if let Some(image) = &target.image {
                words.push(format!(
                    "-D{}={image}",
                    KUBERNETES_IMAGE.for_version(launch.version)
                ));
            }
        }
    }
    // A streaming job never finishes, so an attached `flink run` would block the shell for its lifetime; application
    // mode is detached anyway.
    if launch.streaming && matches!(target.mode, Mode::Session | Mode::PerJob) {
        words.push("-d".to_string());
    }
    if let Some(parallelism) = launch.parallelism {
        words.push("-p".to_string());
        words.push(parallelism.to_string());
    }
    for (setting, value) in &launch.settings {
        // `-p` already says it, and wins over `-D` (docs/flink-config-files.md, "Precedence").
        let parallelism_again = launch.parallelism.is_some() && setting == parallelism_key;
        if parallelism_again || (job_settings_only && is_process_option(setting)) {
            continue;
        }
        words.push(format!("-D{setting}={value}"));
    }
    if let Some(class) = &launch.job.class {
        words.push("-c".to_string());
        words.push(class.clone());
    }
    words.push(
        if target.deployment == Deployment::Kubernetes && target.mode == Mode::Application {
            kubernetes_jar(&launch.job.jar)
        } else {
            launch.job.jar.clone()
        },
    );
    words.extend(launch.job.args.iter().cloned());
    Ok(join(&words))
}

/// `flink run-application -t TARGET` on 1.x, `flink run -t TARGET` on 2.x, whose CLI has no `run-application`.
fn application_action(version: FlinkVersion, target: &str) -> [String; 4] {
    let action = if version.has_run_application_action() {
        "run-application"
    } else {
        "run"
    };
    ["flink", action, "-t", target].map(String::from)
}

/// Standalone application mode: the jar goes on the JobManager's classpath (`usrlib/`), `standalone-job.sh` starts
/// the JobManager with the job, and each TaskManager joins it (Flink docs, "Standalone: Application Mode"). The
/// TaskManagers get the same `-D` settings as the JobManager: `taskmanager.sh` passes them to Flink's memory
/// calculation and the TaskExecutor, and without them a TaskManager starts from whatever config its host has (the
/// shipped one: 1 slot, 1728m).
fn standalone_application(launch: &Launch) -> Result<String, SubmitError> {
    let class = launch.job.class.as_ref().ok_or(SubmitError::NeedsClass)?;
    let parallelism_key = PARALLELISM_DEFAULT.for_version(launch.version);
    let mut settings = Vec::new();
    if let Some(parallelism) = launch.parallelism {
        settings.push(format!("-D{parallelism_key}={parallelism}"));
    }
    settings.extend(
        launch
            .settings
            .iter()
            .filter(|(key, _)| launch.parallelism.is_none() || key != parallelism_key)
            .map(|(key, value)| format!("-D{key}={value}")),
    );
    let mut start = vec![
        "\"$FLINK_HOME\"/bin/standalone-job.sh".to_string(),
        "start".to_string(),
        "--job-classname".to_string(),
        class.clone(),
    ];
    start.extend(settings.iter().cloned());
    start.extend(launch.job.args.iter().cloned());
    let mut taskmanager = vec![
        "\"$FLINK_HOME\"/bin/taskmanager.sh".to_string(),
        "start".to_string(),
    ];
    taskmanager.extend(settings);
    // A TaskManager on another host finds the JobManager by its own conf's address, which flinktune does not decide.
    Ok(format!(
        "mkdir -p \"$FLINK_HOME\"/usrlib && cp {} \"$FLINK_HOME\"/usrlib/\n{}\n{}  # on every TaskManager host \
         (its conf's {} names the JobManager's host)\n",
        shell_quote(&launch.job.jar),
        join_raw_first(&start),
        join_raw_first(&taskmanager),
        JOBMANAGER_RPC_ADDRESS.for_version(launch.version)
    ))
}

/// Inside the image the jar is a `local://` URI under Flink's usrlib.
fn kubernetes_jar(jar: &str) -> String {
    if jar.contains("://") {
        jar.to_string()
    } else {
        let name = jar.rsplit('/').next().unwrap_or(jar);
        format!("local:///opt/flink/usrlib/{name}")
    }
}

fn join(words: &[String]) -> String {
    let mut line = words
        .iter()
        .map(|word| shell_quote(word))
        .collect::<Vec<_>>()
        .join(" ");
    line.push('\n');
    line
}

/// Like [`join`], but the first word is already shell syntax (`"$FLINK_HOME"/bin/...`).
fn join_raw_first(words: &[String]) -> String {
    let mut parts = words.iter();
    let first = parts.next().cloned().unwrap_or_default();
    std::iter::once(first)
        .chain(parts.map(|word| shell_quote(word)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submit::{JobSpec, Target};

    fn launch(deployment: Deployment, mode: Mode, version: &str) -> Launch {
        Launch {
            version: version.parse().unwrap(),
            target: Target {
                deployment,
                mode,
                jobmanager: "localhost:8081".into(),
                cluster_id: Some("app-1".into()),
                image: Some("flink:2.3".into()),
                name: "orders".into(),
            },
            settings: vec![
                ("taskmanager.memory.process.size".into(), "4g".into()),
                ("execution.checkpointing.interval".into(), "1 min".into()),
            ],
            parallelism: Some(8),
            restore: false,
            streaming: true,
            job: JobSpec {
                jar: "/jobs/orders.jar".into(),
                class: Some("com.example.Orders".into()),
                args: vec!["--topic".into(), "orders in".into()],
            },
        }
    }

    #[test]
    fn session_submissions_carry_only_job_settings() {
        let line = render(&launch(Deployment::Standalone, Mode::Session, "2.3")).unwrap();
        assert_eq!(
            line,
            "flink run -t remote -Drest.address=localhost -Drest.port=8081 -d -p 8 \
             '-Dexecution.checkpointing.interval=1 min' -c com.example.Orders /jobs/orders.jar --topic 'orders in'\n"
        );
    }

    #[test]
    fn application_mode_carries_every_setting() {
        let line = render(&launch(Deployment::Kubernetes, Mode::Application, "2.3")).unwrap();
        assert!(line.starts_with(
            "flink run -t kubernetes-application -Dkubernetes.cluster-id=app-1 \
             -Dkubernetes.container.image.ref=flink:2.3 -p 8 -Dtaskmanager.memory.process.size=4g"
        ));
        assert!(line.contains("local:///opt/flink/usrlib/orders.jar"));
        let yarn = render(&launch(Deployment::Yarn, Mode::Application, "1.20")).unwrap();
        assert!(yarn.starts_with("flink run-application -t yarn-application -p 8"));
        let yarn = render(&launch(Deployment::Yarn, Mode::Application, "2.0")).unwrap();
        assert!(yarn.starts_with("flink run -t yarn-application -p 8"));
    }

    #[test]
    fn per_job_is_yarn_and_1x_only() {
        assert!(
            render(&launch(Deployment::Yarn, Mode::PerJob, "1.20"))
                .unwrap()
                .starts_with("flink run -t yarn-per-job")
        );
        assert_eq!(
            render(&launch(Deployment::Yarn, Mode::PerJob, "2.0")),
            Err(SubmitError::PerJobGone("2.0".into()))
        );
        assert!(render(&launch(Deployment::Standalone, Mode::PerJob, "1.20")).is_err());
    }

    #[test]
    fn standalone_application_uses_the_job_scripts() {
        let text = render(&launch(Deployment::Standalone, Mode::Application, "2.3")).unwrap();
        assert!(text.contains(
            "standalone-job.sh start --job-classname com.example.Orders -Dparallelism.default=8"
        ));
        assert!(text.contains("cp /jobs/orders.jar"));
        let taskmanager = text
            .lines()
            .find(|line| line.contains("taskmanager.sh"))
            .unwrap();
        assert!(
            taskmanager.contains(
                "taskmanager.sh start -Dparallelism.default=8 -Dtaskmanager.memory.process.size=4g \
                 '-Dexecution.checkpointing.interval=1 min'  # on every TaskManager host (its conf's \
                 jobmanager.rpc.address names the JobManager's host)"
            ),
            "{taskmanager}"
        );
    }
}
