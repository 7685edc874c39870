//! Where effects live: reading configuration files and the environment, writing files, probing the host and talking
//! to a Flink cluster over REST. Everything else in the crate is pure and takes what these modules read as plain
//! data, so the core is tested without a disk, a network or a cluster. Nothing in the core imports from here.

pub(crate) mod advice_request;
pub(crate) mod cluster_source;
pub(crate) mod conf_source;
pub(crate) mod config_writer;
pub(crate) mod environment;
pub(crate) mod host_probe;
pub(crate) mod input_limits;
pub(crate) mod output_path;
pub(crate) mod release_detection;
pub(crate) mod rest;
pub(crate) mod secrets;
pub(crate) mod stdin;
pub(crate) mod terminal;
