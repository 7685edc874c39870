//! `recommend -D key=value` (issue 13): a pinned value is taken as given and the rest is planned around it; unknown
//! keys get "did you mean", a pin that breaks an invariant is an error naming the rule, the key and the value; the
//! table, the JSON and the file say which keys were pinned, and the regenerate line and `--check` carry every `-D`.

use serde_json::Value;

use crate::support::{Flinktune, Host, temp_dir};

fn json(run: Flinktune) -> Value {
    serde_json::from_str(&run.format("json").success().stdout).unwrap()
}

fn setting<'a>(document: &'a Value, key: &str) -> Option<&'a Value> {
    document["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|setting| setting["key"] == key)
}

fn value(document: &Value, key: &str) -> String {
    setting(document, key).unwrap_or_else(|| panic!("no {key}"))["value"]
        .as_str()
        .unwrap()
        .to_string()
}

fn medium() -> Flinktune {
    Flinktune::recommend()
        .host(Host::MEDIUM)
        .flink_version("2.3")
}

#[test]
fn pinned_slots_size_the_cluster_and_the_parallelism_for_that_many() {
    let free = json(medium());
    assert_eq!(free["layout"]["slots_per_taskmanager"], 8);
    let pinned = json(medium().args(["-D", "taskmanager.numberOfTaskSlots=4"]));
    assert_eq!(pinned["layout"]["slots_per_taskmanager"], 4);
    assert_eq!(pinned["layout"]["total_slots"], 4);
    // The job's own cluster gets every slot: 4, and key groups a multiple of it.
    assert_eq!(value(&pinned, "parallelism.default"), "4");
    let max: u32 = value(&pinned, "pipeline.max-parallelism").parse().unwrap();
    assert_eq!(max % 4, 0, "{max}");
    let slots = setting(&pinned, "taskmanager.numberOfTaskSlots").unwrap();
    assert_eq!(slots["why"], "pinned with -D");
    assert_eq!(slots["origin"], "pinned");
    assert_eq!(
        pinned["pinned"],
        serde_json::json!(["taskmanager.numberOfTaskSlots"])
    );
    assert_eq!(
        setting(&pinned, "taskmanager.cpu.cores").unwrap()["origin"],
        "recommended"
    );
}

#[test]
fn pinned_parallelism_backend_and_interval_are_planned_around() {
    let pinned = json(medium().args([
        "-D",
        "parallelism.default=3",
        "-D",
        "state.backend.type=rocksdb",
        "-D",
        "execution.checkpointing.interval=2 min",
    ]));
    assert_eq!(pinned["layout"]["parallelism"], 3);
    let max: u32 = value(&pinned, "pipeline.max-parallelism").parse().unwrap();
    assert_eq!(max % 3, 0, "{max}");
    // RocksDB gets managed memory and its options, as if the profile had chosen it.
    let fraction: f64 = value(&pinned, "taskmanager.memory.managed.fraction")
        .parse()
        .unwrap();
    assert!(fraction > 0.0, "{fraction}");
    assert!(setting(&pinned, "state.backend.rocksdb.thread.num").is_some());
    // The minimum pause is half the pinned interval.
    assert_eq!(value(&pinned, "execution.checkpointing.interval"), "2 min");
    assert_eq!(value(&pinned, "execution.checkpointing.min-pause"), "1 min");
}

#[test]
fn keys_no_rule_decides_are_written_as_given_and_old_spellings_renamed() {
    let pinned = json(
        Flinktune::recommend()
            .host(Host::MEDIUM)
            .flink_version("1.20")
            .args(["-D", "rest.port=18081", "-D", "state.backend=rocksdb"]),
    );
    assert_eq!(value(&pinned, "rest.port"), "18081");
    assert_eq!(setting(&pinned, "rest.port").unwrap()["group"], "pinned");
    assert_eq!(value(&pinned, "state.backend.type"), "rocksdb");
    assert!(setting(&pinned, "state.backend").is_none());
}

#[test]
fn an_unknown_key_is_an_error_with_the_nearest_one() {
    let error = medium()
        .args(["-D", "taskmanager.numberOfTaskSlot=4"])
        .error();
    assert!(
        error.contains("did you mean 'taskmanager.numberOfTaskSlots'"),
        "{error}"
    );
}

#[test]
fn a_value_flink_cannot_parse_is_an_error_naming_it() {
    let error = medium().args(["-D", "rest.port=abc"]).error();
    assert!(error.contains("-D rest.port=abc"), "{error}");
    let error = medium()
        .args(["-D", "taskmanager.numberOfTaskSlots=0"])
        .error();
    assert!(
        error.contains("-D taskmanager.numberOfTaskSlots=0"),
        "{error}"
    );
}

#[test]
fn a_pin_that_breaks_an_invariant_names_the_rule_the_key_and_the_value() {
    let error = Flinktune::recommend()
        .host(Host::new("2", "8g", "ssd"))
        .flink_version("2.3")
        .args(["-D", "taskmanager.numberOfTaskSlots=64"])
        .error();
    assert!(
        error.contains("-D taskmanager.numberOfTaskSlots=64 breaks FT-MEM-001"),
        "{error}"
    );
    let error = medium()
        .args(["-D", "taskmanager.memory.process.size=100g"])
        .error();
    assert!(
        error.contains("-D taskmanager.memory.process.size=100g breaks FT-MEM-004"),
        "{error}"
    );
    // Network buffers for pinned slots: the pin is named, not the hosts or the memory alone.
    let error = Flinktune::recommend()
        .host(Host::new("2", "4g", "ssd"))
        .flink_version("2.3")
        .args(["--hosts", "4", "-D", "taskmanager.numberOfTaskSlots=64"])
        .error();
    assert!(
        error.contains("-D taskmanager.numberOfTaskSlots=64 breaks FT-NET-001: 64 slots"),
        "{error}"
    );
    assert!(
        error.trim_end().ends_with("change or drop the pin"),
        "{error}"
    );
}

#[test]
fn the_file_says_what_was_pinned_and_regenerates_with_every_pin() {
    let dir = temp_dir("pins-file");
    let run = || {
        medium().current_dir(&dir).args([
            "-D",
            "taskmanager.numberOfTaskSlots=4",
            "-D",
            "rest.port=18081",
        ])
    };
    run().output("config.yaml").success();
    let file = std::fs::read_to_string(dir.join("config.yaml")).unwrap();
    let regenerate = file.lines().nth(1).unwrap();
    assert!(
        regenerate.contains("-D taskmanager.numberOfTaskSlots=4 -D rest.port=18081"),
        "{regenerate}"
    );
    assert!(
        file.contains("# Pinned with -D: rest.port, taskmanager.numberOfTaskSlots"),
        "{file}"
    );
    assert!(
        file.contains("# pinned with -D\ntaskmanager.numberOfTaskSlots: 4\n"),
        "{file}"
    );
    assert!(
        file.contains("# pinned with -D\nrest.port: 18081\n"),
        "{file}"
    );
    // --check with the same pins is up to date; without one, it drifts.
    run().output("config.yaml").arg("--check").success();
    medium()
        .current_dir(&dir)
        .args(["-D", "taskmanager.numberOfTaskSlots=4"])
        .output("config.yaml")
        .arg("--check")
        .status(1)
        .run();
}
