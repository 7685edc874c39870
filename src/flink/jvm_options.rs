//! The JVM options Flink's own distribution ships in its config file (`env.java.opts.all`): the module exports and
//! opens that Flink and its libraries need on Java 17, where the module system denies reflection into the JDK
//! ("InaccessibleObjectException: Unable to make field ... accessible: module java.base does not \"opens
//! java.util\""). A config file that replaces the shipped one must carry them, or the CLI and the daemons fail on
//! Java 17. Read from the distributions' `conf/flink-conf.yaml` / `conf/config.yaml` (tests/corpus/shipped@*; the
//! test tests/it/shipped_java_options.rs compares every release line).

use super::FlinkVersion;

/// `env.java.opts.all`: in every release's shipped file since 1.18 (Java 17 support, FLINK-15736).
pub const JAVA_OPTIONS_KEY: &str = "env.java.opts.all";

const OPENS: [&str; 12] = [
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED",
    "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
];

const EXPORTS: [&str; 7] = [
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
];

/// `env.java.opts.all`'s deprecated fallback (the main key until 1.16).
pub(crate) const DEPRECATED_JAVA_OPTIONS_KEY: &str = "env.java.opts";

/// Options added for one process each, after the common ones: the JobManager, the TaskManagers and Flink's CLI.
pub(crate) const PROCESS_JAVA_OPTIONS_KEYS: [&str; 3] = [
    "env.java.opts.jobmanager",
    "env.java.opts.taskmanager",
    "env.java.opts.client",
];

/// `env.java.opts` and its successors (`env.java.opts.all`, `.jobmanager`, `.taskmanager`, `.client`, ...): keys whose
/// value is a list of JVM flags.
pub(crate) fn is_java_options_key(key: &str) -> bool {
    key == DEPRECATED_JAVA_OPTIONS_KEY
        || key
            .strip_prefix(DEPRECATED_JAVA_OPTIONS_KEY)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The flags of an `env.java.opts.*` value as the start scripts pass them to `java`: the value expanded unquoted,
/// so split on whitespace (bin/config.sh).
pub fn java_option_flags(value: &str) -> Vec<String> {
    value.split_whitespace().map(str::to_string).collect()
}

/// Shipped first in 1.18 to 2.0; 2.1 dropped it.
const SUN_NET_UTIL_EXPORT: &str = "--add-exports=java.base/sun.net.util=ALL-UNNAMED";

/// The shipped `env.java.opts.all` of `version`'s distribution, flag by flag in its order; empty before 1.18, whose
/// files set none.
pub fn shipped_java_options(version: FlinkVersion) -> Vec<&'static str> {
    if !version.ships_java_module_options() {
        return Vec::new();
    }
    let mut flags = Vec::with_capacity(1 + EXPORTS.len() + OPENS.len());
    if version.ships_sun_net_util_export() {
        flags.push(SUN_NET_UTIL_EXPORT);
    }
    flags.extend(EXPORTS);
    flags.extend(OPENS);
    flags
}

/// `env.java.opts.taskmanager`: the TaskManagers' own options, which bin/config.sh appends after the common ones.
pub(crate) const TASKMANAGER_JAVA_OPTIONS_KEY: &str = "env.java.opts.taskmanager";

/// A HotSpot garbage collector, as its `-XX:+Use<Name>GC` flag selects it (Java 17 HotSpot Virtual Machine Garbage
/// Collection Tuning Guide, "Available Collectors"). Java picks G1 on a machine of two or more processors and 1792 MiB
/// or more when none is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collector {
    G1,
    Parallel,
    Serial,
    Z,
    Shenandoah,
}

impl Collector {
    const ALL: [Collector; 5] = [
        Collector::G1,
        Collector::Parallel,
        Collector::Serial,
        Collector::Z,
        Collector::Shenandoah,
    ];

    /// The flag that selects it.
    pub(crate) const fn flag(self) -> &'static str {
        match self {
            Collector::G1 => "-XX:+UseG1GC",
            Collector::Parallel => "-XX:+UseParallelGC",
            Collector::Serial => "-XX:+UseSerialGC",
            Collector::Z => "-XX:+UseZGC",
            Collector::Shenandoah => "-XX:+UseShenandoahGC",
        }
    }

    /// Collects the old generation with the application stopped, for as long as marking and compacting the live heap
    /// takes (the serial and the parallel collector); G1, ZGC and Shenandoah mark it concurrently.
    pub(crate) const fn stops_the_world_for_old_collections(self) -> bool {
        matches!(self, Collector::Parallel | Collector::Serial)
    }
}

/// The collectors `flags` select, each once, in the order first selected. More than one and the JVM refuses to start
/// ("Error occurred during initialization of VM: Multiple garbage collectors selected", Java 17).
pub(crate) fn selected_collectors<S: AsRef<str>>(flags: &[S]) -> Vec<Collector> {
    let mut selected = Vec::new();
    for flag in flags {
        if let Some(collector) = Collector::ALL
            .into_iter()
            .find(|collector| collector.flag() == flag.as_ref())
            && !selected.contains(&collector)
        {
            selected.push(collector);
        }
    }
    selected
}

/// The flags a TaskManager's `java` command line gets from a configuration whose values `value_of` looks up: the
/// common key (`env.java.opts.all`, or its deprecated fallback when that is unset), then the TaskManagers' own
/// (bin/config.sh builds `FLINK_TM_JAVA_OPTS` in that order).
pub(crate) fn taskmanager_flags(value_of: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let common = value_of(JAVA_OPTIONS_KEY).or_else(|| value_of(DEPRECATED_JAVA_OPTIONS_KEY));
    common
        .into_iter()
        .chain(value_of(TASKMANAGER_JAVA_OPTIONS_KEY))
        .flat_map(|value| java_option_flags(&value))
        .collect()
}

#[cfg(test)]
mod collector_tests {
    use super::*;

    #[test]
    fn each_collector_is_counted_once_in_the_order_first_selected() {
        let flags = [
            "-Xss1m",
            "-XX:+UseParallelGC",
            "-XX:+UseG1GC",
            "-XX:+UseParallelGC",
            "-XX:-UseZGC",
        ];
        assert_eq!(
            selected_collectors(&flags),
            vec![Collector::Parallel, Collector::G1]
        );
        assert!(selected_collectors(&["-XX:MaxGCPauseMillis=100"]).is_empty());
    }

    #[test]
    fn a_taskmanager_gets_the_common_options_then_its_own_and_the_deprecated_key_only_in_place_of_the_common_one()
     {
        let values = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == key)
                    .map(|(_, value)| value.to_string())
            }
        };
        assert_eq!(
            taskmanager_flags(values(&[
                (TASKMANAGER_JAVA_OPTIONS_KEY, "-XX:+UseParallelGC"),
                (DEPRECATED_JAVA_OPTIONS_KEY, "-Dold=1"),
                (JAVA_OPTIONS_KEY, "-Da=1  -Db=2"),
                ("env.java.opts.jobmanager", "-XX:+UseSerialGC"),
            ])),
            ["-Da=1", "-Db=2", "-XX:+UseParallelGC"]
        );
        assert_eq!(
            taskmanager_flags(values(&[(DEPRECATED_JAVA_OPTIONS_KEY, "-Dold=1")])),
            ["-Dold=1"]
        );
    }

    #[test]
    fn only_the_serial_and_parallel_collectors_stop_the_world_for_the_old_generation() {
        let stopping: Vec<Collector> = Collector::ALL
            .into_iter()
            .filter(|collector| collector.stops_the_world_for_old_collections())
            .collect();
        assert_eq!(stopping, vec![Collector::Parallel, Collector::Serial]);
    }
}
