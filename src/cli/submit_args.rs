//! `flinktune submit`'s arguments and their request.

use super::Notes;
use std::path::PathBuf;

use clap::ValueEnum;

use super::advice_args::AdviceArgs;
use crate::commands::submit::{SubmitFormat, SubmitRequest};
use crate::edges::environment::Environment;
use crate::edges::release_detection::Places;
use crate::error::Error;
use crate::submit::JobSpec;

#[derive(Debug, clap::Args)]
pub(super) struct SubmitArgs {
    #[command(flatten)]
    advice: AdviceArgs,

    /// Take the settings from a config file flinktune wrote instead of recommending afresh.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,

    /// The job's jar.
    #[arg(long, value_name = "JAR")]
    jar: String,

    /// The job's main class (`-c`).
    #[arg(long, value_name = "CLASS")]
    class: Option<String>,

    /// REST address of a standalone session cluster.
    #[arg(long, value_name = "HOST:PORT", default_value = "localhost:8081")]
    jobmanager: String,

    /// YARN application id of a session, or the Kubernetes cluster id.
    #[arg(long, value_name = "ID")]
    cluster_id: Option<String>,

    /// Name of the Kubernetes deployment [default: the jar's name].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,

    /// Container image for Kubernetes [default: flink:VERSION].
    #[arg(long, value_name = "IMAGE")]
    image: Option<String>,

    /// shell: the command line; k8s: a Flink Kubernetes Operator FlinkDeployment; json: the launch as data (its
    /// command lines, settings, mode and why).
    #[arg(long, value_enum, default_value_t = SubmitFormatArg::Shell)]
    format: SubmitFormatArg,

    /// Arguments for the job's main method, after `--`.
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SubmitFormatArg {
    Shell,
    K8s,
    Json,
}

impl SubmitArgs {
    pub(super) fn into_request(
        self,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<SubmitRequest, Error> {
        let places = Places {
            written: self.from.iter().cloned().collect(),
            ..Places::default()
        };
        Ok(SubmitRequest {
            advice: self.advice.into_request(&places, env, notes)?,
            from: self.from,
            job: JobSpec {
                jar: self.jar,
                class: self.class,
                args: self.args,
            },
            jobmanager: self.jobmanager,
            cluster_id: self.cluster_id,
            name: self.name,
            image: self.image,
            format: match self.format {
                SubmitFormatArg::Shell => SubmitFormat::Shell,
                SubmitFormatArg::K8s => SubmitFormat::K8s,
                SubmitFormatArg::Json => SubmitFormat::Json,
            },
        })
    }
}
