// The real job the end-to-end tests run: Flink SQL with the built-in datagen source, a keyed aggregation (real state,
// real busy time) and the blackhole sink. Argument: rows per second of the source (default 1000).
// Compiled by tests/support/job.rs against the distribution's lib/*.

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

public final class DatagenJob {
    public static void main(String[] args) {
        long rowsPerSecond = args.length > 0 ? Long.parseLong(args[0]) : 1000L;
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tables.executeSql(
                "CREATE TABLE source_events (k INT, v BIGINT) WITH ("
                        + "'connector' = 'datagen', 'rows-per-second' = '" + rowsPerSecond + "', "
                        + "'fields.k.min' = '1', 'fields.k.max' = '10000')");
        tables.executeSql("CREATE TABLE sink_counts (k INT, c BIGINT, s BIGINT) WITH ('connector' = 'blackhole')");
        tables.executeSql("INSERT INTO sink_counts SELECT k, COUNT(*), SUM(v) FROM source_events GROUP BY k");
    }
}
