//! The real test job (tests/jobs/DatagenJob.java), compiled against a distribution and packed as a jar.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo_root;

/// `work/DatagenJob.jar`, built with the JDK's javac and jar.
pub fn datagen_job_jar(home: &Path, work: &Path) -> PathBuf {
    let classes = work.join("job-classes");
    std::fs::create_dir_all(&classes).unwrap();
    let javac = Command::new("javac")
        .arg("-d")
        .arg(&classes)
        .arg("-cp")
        .arg(format!("{}/lib/*", home.display()))
        .arg(repo_root().join("tests/jobs/DatagenJob.java"))
        .output()
        .expect("javac");
    assert!(
        javac.status.success(),
        "javac: {}",
        String::from_utf8_lossy(&javac.stderr)
    );
    let jar = work.join("DatagenJob.jar");
    let packed = Command::new("jar")
        .arg("cf")
        .arg(&jar)
        .arg("-C")
        .arg(&classes)
        .arg(".")
        .output()
        .expect("jar (JDK)");
    assert!(
        packed.status.success(),
        "jar: {}",
        String::from_utf8_lossy(&packed.stderr)
    );
    jar
}
