//! `flinktune migrate`: read a flink-conf.yaml, write the config.yaml the target release reads (src/migrate/), never
//! over an existing file without `--force`.

use std::path::PathBuf;

use crate::commands::outcome::Outcome;
use crate::edges::conf_source::read_text;
use crate::edges::config_writer::write_new;
use crate::error::Error;
use crate::flink::FlinkVersion;
use crate::flink::catalogue::Catalogue;
use crate::flink::version::ConfigFilePolicy;
use crate::migrate::{migrate, verify};

#[derive(Debug, Clone)]
pub(crate) struct MigrateRequest {
    pub input: PathBuf,
    /// `None`: config.yaml beside the input.
    pub output: Option<PathBuf>,
    pub version: FlinkVersion,
    pub force: bool,
}

/// Returns the notes for stderr.
pub(crate) fn run(request: &MigrateRequest) -> Result<Outcome, Error> {
    if request.version.config_file_policy() == ConfigFilePolicy::LegacyOnly {
        return Err(Error::MigrateTarget(request.version.to_string()));
    }
    let text = read_text(&request.input)?;
    let output = request.output.clone().unwrap_or_else(|| {
        request
            .input
            .with_file_name(crate::flink::config::STANDARD_FILE_NAME)
    });
    let header = format!(
        "Migrated by flinktune {} from {} for Apache Flink {}: comments kept, deprecated keys renamed,\n\
         values quoted where YAML would read them differently. Review, then delete the flink-conf.yaml\n\
         (on 1.19/1.20 it shadows this file).",
        env!("CARGO_PKG_VERSION"),
        request.input.display(),
        request.version
    );
    let migration = migrate(&text, request.version, Catalogue::get(), &header);
    // Read back as the target release would read it before anything is written.
    verify(&text, &migration.text).map_err(|reason| Error::MigrateUnloadable {
        input: request.input.clone(),
        reason,
    })?;
    let backup = write_new(&output, &migration.text, request.force)?;
    let mut outcome = Outcome::clean(String::new());
    for note in migration.notes {
        outcome.info(note);
    }
    match backup {
        Some(backup) => outcome.info(format!(
            "wrote {} (the file it replaced is kept as {})",
            output.display(),
            backup.display()
        )),
        None => outcome.info(format!("wrote {}", output.display())),
    }
    Ok(outcome)
}
