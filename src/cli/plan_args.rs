//! `flinktune plan`'s arguments and their request: the advice flags `recommend` takes (profile, release, host,
//! profile overrides) plus the plan's own (host types file, prices, utilization, growth, outage, format, output).

use std::path::PathBuf;
use std::time::Duration;

use clap::ValueEnum;

use super::Notes;
use super::advice_args::AdviceArgs;
use super::values;
use crate::commands::plan::PlanRequest;
use crate::edges::environment::Environment;
use crate::edges::release_detection::Places;
use crate::error::Error;
use crate::flink::MemorySize;
use crate::plan::emit::PlanFormat;
use crate::plan::growth::{parse_growth, parse_horizon};

#[derive(Debug, clap::Args)]
pub(super) struct PlanArgs {
    #[command(flatten)]
    advice: AdviceArgs,

    /// Measure the job's throughput per slot and its input rate on a running cluster (the slowest vertex's true
    /// processing rate per subtask), where the profile and flags give none.
    #[command(flatten)]
    cluster: super::cluster_args::ClusterArgs,

    /// Host types to plan on, a YAML file (name: cores, memory, disk, disk-size, price-per-hour, max-count, kind);
    /// instead of one host from --cores/--memory/--disk (or this machine).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["cores", "memory", "disk"], help_heading = "Plan")]
    hosts_file: Option<PathBuf>,

    /// Your price of one host per hour (for the host from the flags; a hosts file gives each type's).
    #[arg(
        long,
        value_name = "PRICE",
        conflicts_with = "hosts_file",
        help_heading = "Plan"
    )]
    price_per_hour: Option<f64>,

    /// At most this many hosts can be had (for the host from the flags).
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "hosts_file",
        help_heading = "Plan"
    )]
    max_hosts: Option<u32>,

    /// The busy share to plan for; the rest is headroom for catch-up and peaks.
    #[arg(
        long,
        alias = "headroom",
        value_name = "FRACTION",
        default_value_t = 0.7,
        help_heading = "Plan"
    )]
    target_utilization: f64,

    /// Monthly growth of the input rate, e.g. 8%/month or 40%/year.
    #[arg(long, value_name = "RATE", default_value = "0%/month", value_parser = parse_growth, help_heading = "Plan")]
    growth: f64,

    /// Monthly growth of the state. [default: as --growth]
    #[arg(long, value_name = "RATE", value_parser = parse_growth, help_heading = "Plan")]
    state_growth: Option<f64>,

    /// How far ahead to look, e.g. 12mo or 2y.
    #[arg(long, value_name = "MONTHS", default_value = "12mo", value_parser = parse_horizon, help_heading = "Plan")]
    horizon: u32,

    /// The outage to quote catch-up time for, e.g. 10 min.
    #[arg(long, value_name = "DURATION", default_value = "10 min", value_parser = values::positive_duration, help_heading = "Plan")]
    outage: Duration,

    /// Bytes per record, e.g. 1 kb: adds the ingest bandwidth per host.
    #[arg(long, value_name = "SIZE", value_parser = values::size, help_heading = "Plan")]
    record_size: Option<MemorySize>,

    /// Write the report here (atomically) instead of printing it.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,

    /// Replace a file at -o that flinktune plan did not write (kept as FILE.bak).
    #[arg(long, requires = "output")]
    force: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = PlanFormatArg::Table)]
    format: PlanFormatArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PlanFormatArg {
    /// Tables for a terminal.
    Table,
    /// Markdown for a pull request or an issue.
    Markdown,
    /// One JSON object with every figure exact.
    Json,
    /// A self-contained HTML page with inline SVG charts.
    Html,
}

impl PlanArgs {
    pub(super) fn into_request(
        self,
        env: &Environment,
        notes: &mut Notes,
    ) -> Result<PlanRequest, Error> {
        let advice = self.advice.into_request(&Places::default(), env, notes)?;
        if let Some(price) = self.price_per_hour
            && !(price.is_finite() && price >= 0.0)
        {
            return Err(Error::Flag(
                "--price-per-hour",
                format!("'{price}' is not a price; write e.g. 0.384"),
            ));
        }
        if self.max_hosts == Some(0) {
            return Err(Error::Flag("--max-hosts", "must be at least 1".to_string()));
        }
        Ok(PlanRequest {
            advice,
            cluster: self.cluster.into_request(),
            hosts_file: self.hosts_file,
            price_per_hour: self.price_per_hour,
            max_hosts: self.max_hosts,
            target_utilization: crate::plan::inputs::target_utilization(self.target_utilization)?,
            growth: crate::plan::Growth {
                rate_per_month: self.growth,
                state_per_month: self.state_growth.unwrap_or(self.growth),
                horizon_months: self.horizon,
            },
            outage: self.outage,
            record_size: self.record_size,
            output: self.output,
            force: self.force,
            format: match self.format {
                PlanFormatArg::Table => PlanFormat::Table,
                PlanFormatArg::Markdown => PlanFormat::Markdown,
                PlanFormatArg::Json => PlanFormat::Json,
                PlanFormatArg::Html => PlanFormat::Html,
            },
        })
    }
}
