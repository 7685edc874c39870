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
