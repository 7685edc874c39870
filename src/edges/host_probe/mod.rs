//! Looking at the machine flinktune runs on: CPU count and memory (sysinfo), container limits (cgroup files) and the
//! kind of disk under the state directory (mountinfo and sysfs). It is an edge because it reads the live system; the
//! readers take a filesystem root so that they are tested on fake trees, and what they find is the plain
//! [`crate::host::HostSpec`].

pub(crate) mod cgroup;
pub(crate) mod cgroup_files;
pub(crate) mod disk;
mod disk_space;
pub(crate) mod error;
#[cfg(test)]
mod fake_tree;
pub(crate) mod mountinfo;
pub(crate) mod probe;

pub(crate) use cgroup::read_cgroup_limits;
pub(crate) use disk::detect_disk_kind;
pub(crate) use disk_space::free_space;
pub(crate) use error::HostError;
pub(crate) use probe::{HostOverrides, probe};
