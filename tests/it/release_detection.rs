//! Which release a command targets without `--flink-version` (issue 13): the distribution (`lib/flink-dist-*.jar`
//! beside the conf dir, or in `$FLINK_HOME`), then the header of a file flinktune wrote, then 1.20 with a note. Fake
//! distributions are enough: an empty jar named `flink-dist-VERSION.jar`.

use std::path::{Path, PathBuf};

use crate::support::{Flinktune, Host, Run, repo_root, temp_dir};

/// A distribution of `release` under `root`: the shipped conf of its line and an empty `lib/flink-dist-RELEASE.jar`.
fn fake_distribution(root: &Path, release: &str, shipped: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root.join("conf")).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join(format!("lib/flink-dist-{release}.jar")), "").unwrap();
    let corpus = repo_root().join(format!("tests/corpus/{shipped}"));
    for entry in std::fs::read_dir(corpus).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), root.join("conf").join(entry.file_name())).unwrap();
    }
    root.to_path_buf()
}

const ASSUMED: &str = "note: assuming Flink 1.20";

#[test]
fn check_reads_the_shipped_2_3_config_as_2_3_from_flink_home_or_the_conf_dirs_sibling_lib() {
    let home = fake_distribution(&temp_dir("release-home-2.3"), "2.3.0", "shipped@2.3");
    // $FLINK_HOME points at it: the pristine shipped file is clean for 2.3 (it was judged by 1.20's module flags).
    let Run { stdout, stderr, .. } = Flinktune::new()
        .arg("check")
        .env("FLINK_HOME", &home)
        .success();
    assert!(!stdout.contains("module exports"), "{stdout}");
    assert!(!stderr.contains(ASSUMED), "{stderr}");
    // A conf dir named on the command line: its sibling lib/ says 2.3.0, whatever $FLINK_HOME says.
    let old = fake_distribution(&temp_dir("release-home-1.18"), "1.18.1", "shipped@1.18");
    let Run { stdout, stderr, .. } = Flinktune::new()
        .args(["check", "--conf-dir"])
        .arg(home.join("conf"))
        .env("FLINK_HOME", &old)
        .success();
    assert!(!stdout.contains("module exports"), "{stdout}");
    assert!(!stderr.contains(ASSUMED), "{stderr}");
    // The same file with nothing to say which release reads it: 1.20, with a note.
    let loose = temp_dir("release-loose");
    std::fs::copy(home.join("conf/config.yaml"), loose.join("config.yaml")).unwrap();
    let Run { stdout, stderr, .. } = Flinktune::new()
        .arg("check")
        .arg(loose.join("config.yaml"))
        .run();
    assert!(stdout.contains("module exports"), "{stdout}");
    assert!(stderr.contains(ASSUMED), "{stderr}");
}

#[test]
fn a_file_flinktune_wrote_says_its_release_to_check_submit_and_recommend() {
    let dir = temp_dir("release-header");
    Flinktune::recommend()
        .current_dir(&dir)
        .host(Host::SMALL)
        .flink_version("2.3")
        .checkpoint_dir("s3://bucket/checkpoints")
        .output("config.yaml")
        .success();
    let Run { stdout, stderr, .. } = Flinktune::new()
        .current_dir(&dir)
        .args(["check", "config.yaml"])
        .success();
    assert!(!stdout.contains("module exports"), "{stdout}");
    assert!(!stderr.contains(ASSUMED), "{stderr}");

    let Run { stdout, stderr, .. } = Flinktune::new()
        .current_dir(&dir)
        .args(["submit", "--from", "config.yaml", "--jar", "job.jar"])
        .args(["--class", "Main", "--deployment", "yarn"])
        .success();
    assert!(stdout.contains("for Apache Flink 2.3,"), "{stdout}");
    assert!(stdout.contains("flink run -t yarn-application"), "{stdout}");
    assert!(!stderr.contains(ASSUMED), "{stderr}");

    // Regenerating over it keeps its release.
    let Run { stderr, .. } = Flinktune::recommend()
        .current_dir(&dir)
        .host(Host::SMALL)
        .checkpoint_dir("s3://bucket/checkpoints")
        .output("config.yaml")
        .success();
    assert!(!stderr.contains(ASSUMED), "{stderr}");
    let text = std::fs::read_to_string(dir.join("config.yaml")).unwrap();
    assert!(text.contains("for Apache Flink 2.3 "), "{text}");
}

#[test]
fn recommend_and_migrate_follow_flink_home_and_say_when_they_assume() {
    let home = fake_distribution(&temp_dir("release-home-2.1"), "2.1.1", "shipped@2.1");
    let Run { stdout, stderr, .. } = Flinktune::recommend()
        .host(Host::SMALL)
        .env("FLINK_HOME", &home)
        .format("json")
        .success();
    assert!(stdout.contains("\"flink_version\": \"2.1.1\""), "{stdout}");
    assert!(!stderr.contains(ASSUMED), "{stderr}");

    let Run { stderr, .. } = Flinktune::recommend().host(Host::SMALL).success();
    assert!(stderr.contains(ASSUMED), "{stderr}");

    // migrate defaulted to 2.3 where everything else said 1.20; now the same rule for all.
    let dir = temp_dir("release-migrate");
    std::fs::write(dir.join("flink-conf.yaml"), "parallelism.default: 2\n").unwrap();
    let Run { stderr, .. } = Flinktune::new()
        .current_dir(&dir)
        .args(["migrate", "flink-conf.yaml"])
        .success();
    assert!(stderr.contains(ASSUMED), "{stderr}");
    std::fs::remove_file(dir.join("config.yaml")).unwrap();
    let Run { stderr, .. } = Flinktune::new()
        .current_dir(&dir)
        .env("FLINK_HOME", &home)
        .args(["migrate", "flink-conf.yaml"])
        .success();
    assert!(!stderr.contains(ASSUMED), "{stderr}");
}
