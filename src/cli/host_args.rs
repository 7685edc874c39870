//! The host flags `host` and `recommend` share, and their conversion to [`HostOverrides`].

use std::path::PathBuf;

use clap::ValueEnum;

use super::values;
use crate::commands::host::HostRequest;
use crate::edges::host_probe::HostOverrides;
use crate::error::Error;
use crate::flink::MemorySize;
use crate::host::DiskKind;

#[derive(Debug, clap::Args)]
pub(super) struct HostArgs {
    /// Plan for a host with this many CPUs instead of probing (fractions allowed, e.g. 1.5).
    #[arg(long, value_name = "N")]
    cores: Option<f64>,

    /// Plan for a host with this much memory instead of probing (Flink size syntax: 64g, 768 gb, 16384m).
    #[arg(long, value_name = "SIZE", value_parser = values::size)]
    memory: Option<MemorySize>,

    /// The kind of disk that holds local state, instead of probing.
    #[arg(long, value_enum)]
    disk: Option<DiskArg>,

    /// Free disk space for local state on each host, instead of probing the state directory's filesystem (Flink
    /// size syntax: 500g).
    #[arg(long, value_name = "SIZE", value_parser = values::size)]
    disk_space: Option<MemorySize>,

    /// Number of identical hosts in the cluster.
    #[arg(long, value_name = "N", default_value_t = 1)]
    hosts: u32,

    /// A JobManager runs on each planned host too (its memory is set aside).
    #[arg(long)]
    jobmanager_on_host: bool,

    /// The directory RocksDB will keep local state in (its disk kind is probed; it becomes
    /// state.backend.rocksdb.localdir). [default: the current directory, not written to the config]
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiskArg {
    Ssd,
    Hdd,
    Unknown,
}

#[derive(Debug, clap::Args)]
pub(super) struct HostCommandArgs {
    #[command(flatten)]
    host: HostArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Table)]
    format: ReportFormatArg,
}

impl HostCommandArgs {
    pub(super) fn into_request(self) -> Result<HostRequest, Error> {
        Ok(HostRequest {
            overrides: self.host.into_overrides()?.0,
            json: self.format == ReportFormatArg::Json,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ReportFormatArg {
    Table,
    Json,
}

impl HostArgs {
    /// The overrides, and whether the state directory was named.
    pub(super) fn into_overrides(self) -> Result<(HostOverrides, bool), Error> {
        let state_dir_given = self.state_dir.is_some();
        let overrides = HostOverrides {
            cores: self.cores,
            memory: self.memory,
            disk: self.disk.map(|disk| match disk {
                DiskArg::Ssd => DiskKind::Ssd,
                DiskArg::Hdd => DiskKind::Hdd,
                DiskArg::Unknown => DiskKind::Unknown,
            }),
            disk_space: self.disk_space,
            hosts: self.hosts,
            jobmanager_on_host: self.jobmanager_on_host,
            state_dir: self.state_dir.unwrap_or_else(|| PathBuf::from(".")),
        };
        overrides.validate()?;
        Ok((overrides, state_dir_given))
    }
}
