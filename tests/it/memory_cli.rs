//! `flinktune memory` as users run it: which file it reads, the output formats, exit statuses and the one-line
//! errors for bad input. Offline; the agreement with real Flink is tests/it/flink_differential.rs.

use std::path::Path;

use crate::support::{Flinktune, Run, temp_dir};

const SHIPPED: &str = "jobmanager.memory.process.size: 1600m\ntaskmanager.memory.process.size: 1728m\n\
    taskmanager.numberOfTaskSlots: 1\nparallelism.default: 1\n";

fn conf_dir(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = temp_dir(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// `flinktune memory --conf-dir DIR`.
fn memory(dir: &Path) -> Flinktune {
    Flinktune::new().arg("memory").arg("--conf-dir").arg(dir)
}

/// `flinktune memory --conf FILE`.
fn memory_of_file(file: &Path) -> Flinktune {
    Flinktune::new().arg("memory").arg("--conf").arg(file)
}

#[test]
fn prints_flinks_tree_for_the_shipped_defaults() {
    let dir = conf_dir("shipped", &[("config.yaml", SHIPPED)]);
    let stdout = memory(&dir).flink_version("2.3").quiet_success().stdout;
    let stdout = stdout.replace(&dir.display().to_string(), "<conf>");
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_has_the_documented_fields() {
    let dir = conf_dir("json", &[("config.yaml", SHIPPED)]);
    let stdout = memory(&dir).format("json").status(0).run().stdout;
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for field in [
        "framework_heap",
        "task_heap",
        "managed",
        "framework_off_heap",
        "task_off_heap",
        "network",
        "jvm_metaspace",
        "jvm_overhead",
        "total_flink",
        "total_process",
        "jvm_heap",
        "jvm_direct",
    ] {
        assert!(
            json["taskmanager"][field].is_u64(),
            "taskmanager.{field} in {json}"
        );
    }
    for field in [
        "jvm_heap",
        "off_heap",
        "jvm_metaspace",
        "jvm_overhead",
        "total_flink",
        "total_process",
    ] {
        assert!(json["jobmanager"][field].is_u64(), "jobmanager.{field}");
    }
    assert_eq!(json["taskmanager"]["total_process"], 1811939328u64);
    assert_eq!(json["taskmanager"]["network"], 134217730u64);
    assert_eq!(
        json["taskmanager"]["jvm_args"],
        "-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456"
    );
    assert_eq!(
        json["jobmanager"]["jvm_args"],
        "-Xmx1073741824 -Xms1073741824 -XX:MaxMetaspaceSize=268435456"
    );
}

#[test]
fn flink_rejection_prints_flinks_message_and_exits_1() {
    let dir = conf_dir(
        "reject",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 300m\njobmanager.memory.process.size: 1g\n",
        )],
    );
    let stdout = memory(&dir)
        .format("json")
        .flink_version("2.3.0")
        .status(1)
        .run()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["taskmanager"]["error"],
        "TaskManager memory configuration failed: Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and \
         JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (300.000mb (314572800 bytes))."
    );
    assert!(json["jobmanager"]["jvm_heap"].is_u64());
    let text = memory(&dir).flink_version("2.3.0").status(1).run().stdout;
    assert!(text.contains("TaskManager: Flink rejects this configuration:\n  TaskManager memory configuration failed: Sum"));
    assert!(text.contains("  Caused by: Sum of configured JVM Metaspace"));
}

#[test]
fn jobmanager_prefix_only_on_1x() {
    let dir = conf_dir(
        "jm-prefix",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 2g\njobmanager.memory.flink.size: 64m\n",
        )],
    );
    let error = |version: &str| {
        let stdout = memory(&dir)
            .format("json")
            .flink_version(version)
            .run()
            .stdout;
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        json["jobmanager"]["error"].as_str().unwrap().to_string()
    };
    assert!(
        error("1.20").starts_with(
            "JobManager memory configuration failed: The configured Total Flink Memory"
        )
    );
    assert!(error("2.3").starts_with("The configured Total Flink Memory (64.000mb"));
}

#[test]
fn chooses_the_file_by_version_as_flink_does() {
    let both = conf_dir(
        "both-files",
        &[
            (
                "flink-conf.yaml",
                "taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 1g\n",
            ),
            ("config.yaml", SHIPPED),
        ],
    );
    let total = |version: &str| {
        let Run { stdout, stderr, .. } = memory(&both)
            .format("json")
            .flink_version(version)
            .success();
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        (
            json["taskmanager"]["total_process"].as_u64().unwrap(),
            stderr,
        )
    };
    let (legacy, warning) = total("1.20");
    assert_eq!(legacy, 2 << 30, "1.19/1.20 read flink-conf.yaml first");
    assert!(
        warning.contains("ignores the config.yaml beside it"),
        "{warning}"
    );
    assert_eq!(total("1.18").0, 2 << 30);
    assert_eq!(total("2.3").0, 1728 << 20, "2.x reads only config.yaml");

    let only_standard = conf_dir("only-standard", &[("config.yaml", SHIPPED)]);
    let stderr = memory(&only_standard).flink_version("1.18").error();
    assert!(
        stderr.starts_with("error: Flink 1.18 reads no configuration file in "),
        "{stderr}"
    );
    assert!(stderr.contains("flink-conf.yaml (versions up to 1.18 read only that file)"));
}

#[test]
fn dynamic_properties_override_the_file() {
    let dir = conf_dir("dynamic", &[("config.yaml", SHIPPED)]);
    let stdout = memory(&dir)
        .format("json")
        .args(["-D", "taskmanager.memory.process.size=4g"])
        .arg("-Djobmanager.memory.process.size=2g")
        .status(0)
        .run()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["taskmanager"]["total_process"], 4u64 << 30);
    assert_eq!(
        json["taskmanager"]["network"], 359703515u64,
        "docs/flink-memory-model.md, worked example: process 4096m gives network 343.040mb"
    );
    assert_eq!(json["jobmanager"]["total_process"], 2u64 << 30);
}

#[test]
fn conf_dir_defaults_to_flink_conf_dir_then_flink_home() {
    let home = conf_dir("flink-home", &[]);
    std::fs::create_dir_all(home.join("conf")).unwrap();
    std::fs::write(home.join("conf/config.yaml"), SHIPPED).unwrap();
    let stdout = Flinktune::new()
        .env("FLINK_HOME", &home)
        .args(["memory", "--format", "json"])
        .status(0)
        .run()
        .stdout;
    assert!(stdout.contains("\"total_process\": 1811939328"));

    let other = conf_dir(
        "flink-conf-dir",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 2g\njobmanager.memory.process.size: 1g\n",
        )],
    );
    let stdout = Flinktune::new()
        .env("FLINK_HOME", &home)
        .env("FLINK_CONF_DIR", &other)
        .args(["memory", "--format", "json"])
        .run()
        .stdout;
    assert!(
        stdout.contains("\"total_process\": 2147483648"),
        "FLINK_CONF_DIR wins over FLINK_HOME"
    );

    Flinktune::new()
        .arg("memory")
        .status(2)
        .stderr("error: no Flink configuration given: pass --conf-dir DIR or --conf FILE, or set FLINK_CONF_DIR or FLINK_HOME\n")
        .run();
}

#[test]
fn conf_file_format_follows_its_name() {
    let dir = temp_dir("conf-file");
    let legacy = dir.join("flink-conf.yaml");
    std::fs::write(
        &legacy,
        "taskmanager.memory.process.size: 2g # comment\njobmanager.memory.process.size: 1g\n",
    )
    .unwrap();
    let stdout = memory_of_file(&legacy)
        .format("json")
        .status(0)
        .run()
        .stdout;
    assert!(stdout.contains("\"total_process\": 2147483648"));
    let stderr = memory_of_file(&legacy)
        .flink_version("2.0")
        .status(2)
        .run()
        .stderr;
    assert!(stderr.contains("2.x reads only config.yaml"), "{stderr}");

    let custom = dir.join("prod.yaml");
    std::fs::write(
        &custom,
        "taskmanager:\n  memory:\n    process.size: 3g\njobmanager.memory.process.size: 1g\n",
    )
    .unwrap();
    let stdout = memory_of_file(&custom)
        .format("json")
        .status(0)
        .run()
        .stdout;
    assert!(stdout.contains("\"total_process\": 3221225472"));
}

#[test]
fn bad_input_is_one_line_naming_the_fix_with_exit_2() {
    let dir = conf_dir(
        "bad-yaml",
        &[(
            "config.yaml",
            "taskmanager.memory.process.size: 2g\ntaskmanager.memory.process.size: 3g\n",
        )],
    );
    let stderr = memory(&dir).error();
    assert!(
        stderr.contains("config.yaml:2:1: found duplicate key taskmanager.memory.process.size"),
        "{stderr}"
    );

    let dir = conf_dir("broken-yaml", &[("config.yaml", "a: [1, 2\nb: c\n")]);
    let stderr = memory(&dir).status(2).run().stderr;
    assert!(
        stderr.contains("config.yaml:") && stderr.contains("invalid YAML"),
        "{stderr}"
    );

    let dir = conf_dir("binary", &[]);
    std::fs::write(dir.join("config.yaml"), [0xff, 0xfe, 0x00]).unwrap();
    let stderr = memory(&dir).status(2).run().stderr;
    assert!(stderr.contains("is not valid UTF-8"), "{stderr}");

    let stderr = memory_of_file(Path::new("/nonexistent/config.yaml"))
        .status(2)
        .run()
        .stderr;
    assert!(
        stderr.starts_with("error: cannot read /nonexistent/config.yaml: "),
        "{stderr}"
    );

    let stderr = memory(Path::new("/tmp"))
        .flink_version("1.14")
        .status(2)
        .run()
        .stderr;
    assert!(
        stderr.contains("unsupported Flink version '1.14'"),
        "{stderr}"
    );

    let stderr = memory(Path::new("/tmp"))
        .args(["-D", "novalue"])
        .status(2)
        .run()
        .stderr;
    assert!(stderr.contains("'novalue' is not KEY=VALUE"), "{stderr}");

    Flinktune::new().args(["memory", "--bogus"]).status(2).run();
}

#[test]
fn legacy_file_warnings_name_file_and_line() {
    let dir = conf_dir(
        "legacy-warnings",
        &[(
            "flink-conf.yaml",
            "taskmanager.memory.process.size: 2g\njobmanager.memory.process.size:1g\ntaskmanager.memory.process.size: 3g\n",
        )],
    );
    // The JobManager line is skipped, as Flink skips it, so nothing sizes the JobManager: exit 1.
    let Run { stdout, stderr, .. } = memory(&dir)
        .flink_version("1.18")
        .format("json")
        .status(1)
        .run();
    assert!(
        stderr.contains("flink-conf.yaml:2:1: Line is not a key-value pair"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "flink-conf.yaml:3:1: 'taskmanager.memory.process.size' is also set on line 1"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("\"total_process\": 3221225472"),
        "the last duplicate wins"
    );
}
