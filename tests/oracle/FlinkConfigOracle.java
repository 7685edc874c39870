// The judge of an emitted configuration: loads conf directories exactly as Flink does
// (GlobalConfiguration.loadConfiguration) and, for every loaded key, finds the ConfigOption that owns it among Flink's
// option classes on the classpath, then forces Flink's own typed parsing of the value (Configuration.get(option)).
// Many directories in one JVM.
//
// Input (a file, one directory per line, tab-separated): ID  CONF_DIR
// Output (a file): per directory first  ID  <empty>  LOADED  <empty>  <number of keys>
//                               or only  ID  <empty>  LOAD_FAILED  <empty>  message<US>cause message<US>...   (US = \u001f)
//                  then one line per key ID  KEY  STATUS  OPTION  VALUE_OR_ERROR
// STATUS: PRIMARY (the key of an option), FALLBACK (a non-deprecated fallback key), DEPRECATED (only a deprecated
// fallback key), UNKNOWN (no option owns it; the value is the raw text Flink stored), INVALID (the typed parse threw;
// the message chain). OPTION is the main key of the option that reads the key (empty for UNKNOWN): the key the
// release itself reads a renamed key as.
// A key below a Map-typed option (`option.key` + ".something") counts as that option's key.
//
// Every option class of OPTION_CLASSES must load on the releases it names, and must be absent from the others: a class
// that fails to load (moved, renamed, a missing dependency) would otherwise turn its keys into UNKNOWN without a word.
// The oracle exits with an error naming the class instead. The release is Flink's own (EnvironmentInformation).
// Compiled by the tests against the distribution's lib/* (tests/it/support/flink_config.rs).

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;

public final class FlinkConfigOracle {
    /**
     * The option classes searched, in order, each with the first release line that has it and the first that no longer
     * does (null: none), as listed from the jars of every release line from 1.15 to 2.3 (flink-dist and its friends in
     * lib/). The oracle refuses to run where a class disagrees with its lines.
     */
    private static final String[][] OPTION_CLASSES = {
        {"org.apache.flink.configuration.CoreOptions", null, null},
        {"org.apache.flink.configuration.TaskManagerOptions", null, null},
        {"org.apache.flink.configuration.JobManagerOptions", null, null},
        {"org.apache.flink.configuration.CheckpointingOptions", null, null},
        {"org.apache.flink.configuration.StateBackendOptions", null, null},
        {"org.apache.flink.configuration.RestartStrategyOptions", null, null},
        {"org.apache.flink.configuration.PipelineOptions", null, null},
        {"org.apache.flink.configuration.ExecutionOptions", null, null},
        {"org.apache.flink.configuration.NettyShuffleEnvironmentOptions", null, null},
        {"org.apache.flink.configuration.ClusterOptions", null, null},
        {"org.apache.flink.configuration.RestOptions", null, null},
        {"org.apache.flink.configuration.HighAvailabilityOptions", null, null},
        {"org.apache.flink.configuration.SecurityOptions", null, null},
        {"org.apache.flink.configuration.DeploymentOptions", null, null},
        {"org.apache.flink.configuration.StateRecoveryOptions", "1.20", null},
        {"org.apache.flink.configuration.StateChangelogOptions", null, null},
        {"org.apache.flink.configuration.MetricOptions", null, null},
        {"org.apache.flink.configuration.WebOptions", null, null},
        {"org.apache.flink.configuration.AkkaOptions", null, "2.0"},
        {"org.apache.flink.configuration.RpcOptions", "1.19", null},
        {"org.apache.flink.configuration.ResourceManagerOptions", null, null},
        {"org.apache.flink.configuration.BlobServerOptions", null, null},
        {"org.apache.flink.configuration.HeartbeatManagerOptions", null, null},
        {"org.apache.flink.configuration.JMXServerOptions", null, null},
        {"org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions", null, "2.0"},
        // RocksDB: 1.x in contrib.streaming.state; 2.x in state.rocksdb (2.x keeps empty deprecated shells in contrib).
        {"org.apache.flink.state.rocksdb.RocksDBOptions", "2.0", null},
        {"org.apache.flink.state.rocksdb.RocksDBConfigurableOptions", "2.0", null},
        {"org.apache.flink.contrib.streaming.state.RocksDBOptions", null, null},
        {"org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions", null, null},
        // The file-system changelog's own options (dstl.dfs.* / state.changelog.dstl.dfs.*), bundled in flink-dist.
        {"org.apache.flink.changelog.fs.FsStateChangelogOptions", null, null},
        // The rest of flink-dist's org.apache.flink.configuration.*Options, so that fewer real keys read as UNKNOWN.
        {"org.apache.flink.configuration.AlgorithmOptions", null, null},
        {"org.apache.flink.configuration.BatchExecutionOptions", "1.17", null},
        {"org.apache.flink.configuration.CleanupOptions", null, null},
        {"org.apache.flink.configuration.EventOptions", "2.1", null},
        {"org.apache.flink.configuration.ExternalResourceOptions", null, null},
        {"org.apache.flink.configuration.HistoryServerOptions", null, null},
        {"org.apache.flink.configuration.JobEventStoreOptions", "1.20", null},
        {"org.apache.flink.configuration.OptimizerOptions", null, null},
        {"org.apache.flink.configuration.QueryableStateOptions", null, null},
        {"org.apache.flink.configuration.SinkOptions", "1.19", null},
        {"org.apache.flink.configuration.SlowTaskDetectorOptions", "1.16", null},
        {"org.apache.flink.configuration.StateLatencyTrackOptions", "1.20", null},
        {"org.apache.flink.configuration.StateSizeTrackOptions", "2.1", null},
        {"org.apache.flink.configuration.TraceOptions", "1.19", null},
    };

    private enum Match {
        PRIMARY,
        FALLBACK,
        DEPRECATED
    }

    private static final class Owner {
        final ConfigOption<?> option;
        final Match match;

        Owner(ConfigOption<?> option, Match match) {
            this.option = option;
            this.match = match;
        }
    }

    private static final List<ConfigOption<?>> OPTIONS = new ArrayList<>();
    /** The Map-typed options (not lists of maps): Flink also reads them from `key.<map key>` entries. */
    private static final List<ConfigOption<?>> MAP_OPTIONS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String version = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
        int[] release = releaseLine(version);
        List<String> disagreements = new ArrayList<>();
        for (String[] entry : OPTION_CLASSES) {
            String name = entry[0];
            boolean expected = (entry[1] == null || compare(release, releaseLine(entry[1])) >= 0)
                    && (entry[2] == null || compare(release, releaseLine(entry[2])) < 0);
            Class<?> type;
            try {
                type = Class.forName(name);
            } catch (ClassNotFoundException e) {
                if (expected) {
                    disagreements.add(name + " is not on the classpath of Flink " + version);
                }
                continue;
            } catch (LinkageError e) {
                // Present but unusable: its keys would read as UNKNOWN. Always an error.
                disagreements.add(name + " cannot be loaded on Flink " + version + ": " + chain(e));
                continue;
            }
            if (!expected) {
                disagreements.add(name + " is on the classpath of Flink " + version + ", which its lines ("
                        + entry[1] + " to before " + entry[2] + ") leave out: correct OPTION_CLASSES");
                continue;
            }
            for (Field field : type.getFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    if (option != null) {
                        OPTIONS.add(option);
                    }
                }
            }
        }
        if (!disagreements.isEmpty()) {
            throw new IllegalStateException("option classes disagree with OPTION_CLASSES: " + disagreements);
        }
        Method getClazz = ConfigOption.class.getDeclaredMethod("getClazz");
        getClazz.setAccessible(true);
        Method isList = ConfigOption.class.getDeclaredMethod("isList");
        isList.setAccessible(true);
        for (ConfigOption<?> option : OPTIONS) {
            if (getClazz.invoke(option) == Map.class && !(Boolean) isList.invoke(option)) {
                MAP_OPTIONS.add(option);
            }
        }

        try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8);
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                String id = fields[0];
                Configuration loaded;
                try {
                    loaded = GlobalConfiguration.loadConfiguration(fields[1]);
                } catch (Throwable e) {
                    out.println(id + "\t\tLOAD_FAILED\t\t" + chain(e));
                    continue;
                }
                Map<String, String> entries = new LinkedHashMap<>(loaded.toMap());
                out.println(id + "\t\tLOADED\t\t" + entries.size());
                for (Map.Entry<String, String> entry : entries.entrySet()) {
                    String key = entry.getKey();
                    Owner owner = owner(key);
                    if (owner == null) {
                        out.println(id + "\t" + clean(key) + "\tUNKNOWN\t\t" + clean(String.valueOf(entry.getValue())));
                        continue;
                    }
                    String result;
                    try {
                        Object value = isolated(loaded, key, owner.option).get(owner.option);
                        result = owner.match + "\t" + clean(owner.option.key()) + "\t" + clean(describe(value));
                    } catch (Throwable e) {
                        result = "INVALID\t" + clean(owner.option.key()) + "\t" + chain(e);
                    }
                    out.println(id + "\t" + clean(key) + "\t" + result);
                }
            }
        }
    }

    /** `1.20.3` or `2.3-SNAPSHOT` as {1, 20}; an error for anything else (an unknown release cannot be checked). */
    private static int[] releaseLine(String version) {
        String[] parts = version.split("[.-]");
        if (parts.length < 2) {
            throw new IllegalStateException("not a Flink release: " + version);
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    /** The option owning `key`: its main key first, then a non-deprecated fallback, then a deprecated one. */
    private static Owner owner(String key) {
        Owner best = null;
        for (ConfigOption<?> option : OPTIONS) {
            if (option.key().equals(key)) {
                return new Owner(option, Match.PRIMARY);
            }
            for (FallbackKey fallback : option.fallbackKeys()) {
                if (fallback.getKey().equals(key)) {
                    Match match = fallback.isDeprecated() ? Match.DEPRECATED : Match.FALLBACK;
                    if (best == null || (best.match == Match.DEPRECATED && match == Match.FALLBACK)) {
                        best = new Owner(option, match);
                    }
                }
            }
        }
        if (best != null) {
            return best;
        }
        // A key below a Map-typed option, e.g. taskmanager.memory.managed.consumer-weights.OPERATOR.
        for (ConfigOption<?> option : MAP_OPTIONS) {
            if (key.startsWith(option.key() + ".")) {
                return new Owner(option, Match.PRIMARY);
            }
        }
        return null;
    }

    /**
     * The loaded configuration without the option's other keys, so that `get(option)` parses exactly the value written
     * under `key` (and not, say, the main key's value when a deprecated key is judged). The other keys are removed from
     * a copy's map directly: `Configuration.removeKey` would also drop `other.*` (removing `state.backend` would take
     * `state.backend.type` with it).
     */
    @SuppressWarnings("unchecked")
    private static Configuration isolated(Configuration loaded, String key, ConfigOption<?> option) throws Exception {
        List<String> others = new ArrayList<>();
        Map<String, String> present = loaded.toMap();
        if (!option.key().equals(key) && present.containsKey(option.key())) {
            others.add(option.key());
        }
        for (FallbackKey fallback : option.fallbackKeys()) {
            if (!fallback.getKey().equals(key) && present.containsKey(fallback.getKey())) {
                others.add(fallback.getKey());
            }
        }
        if (others.isEmpty()) {
            return loaded;
        }
        Configuration copy = new Configuration(loaded);
        Field confData = Configuration.class.getDeclaredField("confData");
        confData.setAccessible(true);
        Map<String, Object> data = (Map<String, Object>) confData.get(copy);
        for (String other : others) {
            data.remove(other);
        }
        return copy;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Duration) {
            try {
                Class<?> timeUtils = Class.forName("org.apache.flink.util.TimeUtils");
                return (String) timeUtils.getMethod("formatWithHighestUnit", Duration.class).invoke(null, value);
            } catch (ReflectiveOperationException e) {
                return value.toString();
            }
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        return value.toString();
    }

    private static String chain(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (chain.length() > 0) {
                chain.append('\u001f');
            }
            chain.append(clean(String.valueOf(t.getMessage())));
        }
        return chain.toString();
    }

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').replace('\u001f', ' ');
    }
}
