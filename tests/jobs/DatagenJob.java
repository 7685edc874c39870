// The real job the end-to-end tests run: Flink SQL with the built-in datagen source, a keyed aggregation (real state,
// real busy time) and the blackhole sink. Arguments: rows per second of the source (default 1000), and optionally the
// microseconds each aggregation result waits (default 0): a fixed per-record cost after the keyed exchange, so the
// aggregation's capacity grows with its parallelism whatever the machine's cores (for the scaling tests). The source
// runs as one subtask (`scan.parallelism`, Flink 1.19+): `-p` scales the aggregation.
// Compiled by tests/it/support/job.rs against the distribution's lib/*.

import java.util.concurrent.locks.LockSupport;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;

public final class DatagenJob {
    /** Waits a fixed time per call, like a lookup in an external system. */
    public static final class Wait extends ScalarFunction {
        public long eval(Long value, Long micros) {
            LockSupport.parkNanos(micros * 1000L);
            return value == null ? 0L : value;
        }
    }

    public static void main(String[] args) {
        long rowsPerSecond = args.length > 0 ? Long.parseLong(args[0]) : 1000L;
        long waitMicros = args.length > 1 ? Long.parseLong(args[1]) : 0L;
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tables.createTemporarySystemFunction("wait_for", Wait.class);
        tables.executeSql(
                "CREATE TABLE source_events (k INT, v BIGINT) WITH ("
                        + "'connector' = 'datagen', 'rows-per-second' = '" + rowsPerSecond + "', "
                        + "'fields.k.min' = '1', 'fields.k.max' = '10000', 'scan.parallelism' = '1')");
        tables.executeSql("CREATE TABLE sink_counts (k INT, c BIGINT, s BIGINT) WITH ('connector' = 'blackhole')");
        if (waitMicros > 0) {
            tables.executeSql(
                    "INSERT INTO sink_counts SELECT k, wait_for(c, " + waitMicros + "), s "
                            + "FROM (SELECT k, COUNT(*) AS c, SUM(v) AS s FROM source_events GROUP BY k)");
        } else {
            tables.executeSql("INSERT INTO sink_counts SELECT k, COUNT(*), SUM(v) FROM source_events GROUP BY k");
        }
    }
}
