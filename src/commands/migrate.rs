//! `flinktune migrate`: read a flink-conf.yaml, write the config.yaml the target release reads (src/migrate/), never
//! over an existing file without `--force`.

use std::path::PathBuf;

use serde::Serialize;

use crate::commands::outcome::Outcome;
use crate::edges::conf_source::read_text;
use crate::edges::config_writer::write_new;
use crate::edges::output_path::{STDOUT_PATH, create_parent, is_stdout};
use crate::edges::stdin::is_stdin;
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
    /// `--format json`: a report on stdout instead of notes on stderr.
    pub json: bool,
}

/// `migrate --format json`.
#[derive(Debug, Serialize)]
struct MigrationJson<'a> {
    input: String,
    /// The file written, or `-` for stdout.
    output: String,
    flink_version: String,
    notes: &'a [String],
    /// The config.yaml, when it went to stdout (`-o -`).
    text: Option<&'a str>,
}

/// Returns the notes for stderr.
pub(crate) fn run(request: &MigrateRequest) -> Result<Outcome, Error> {
    if request.version.config_file_policy() == ConfigFilePolicy::LegacyOnly {
        return Err(Error::MigrateTarget(request.version.to_string()));
    }
    // `-`: a flink-conf.yaml on stdin.
    let text = read_text(&request.input)?;
    // Beside the input by default; stdin's result goes to stdout.
    let output = request.output.clone().unwrap_or_else(|| {
        if is_stdin(&request.input) {
            PathBuf::from(STDOUT_PATH)
        } else {
            request
                .input
                .with_file_name(crate::flink::config::STANDARD_FILE_NAME)
        }
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
    if request.json {
        let to_stdout = is_stdout(&output);
        if !to_stdout {
            create_parent(&output)?;
            write_new(&output, &migration.text, request.force)?;
        }
        return Ok(Outcome::clean(crate::text::json::pretty(&MigrationJson {
            input: request.input.display().to_string(),
            output: output.display().to_string(),
            flink_version: request.version.to_string(),
            notes: &migration.notes,
            text: to_stdout.then_some(migration.text.as_str()),
        })));
    }
    if is_stdout(&output) {
        let mut outcome = Outcome::clean(migration.text);
        for note in migration.notes {
            outcome.info(note);
        }
        return Ok(outcome);
    }
    create_parent(&output)?;
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
