// An IO-bound job: one sequence source (one subtask, unthrottled), rebalanced over a map that waits WAIT_MICROS per
// record as a synchronous call to an external system would (the thread parks, the CPU idles), then a discarding
// sink. Each subtask handles at most 1e6 / WAIT_MICROS records per second whatever the cores, so parallelism (and
// the slots to hold it) beyond the core count pays off. The map is named "SlowLookup" (benches/outcome.rs measures
// it). Arguments: WAIT_MICROS (default 2000). Compiled against the distribution's lib/*.

import java.util.concurrent.locks.LockSupport;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

public final class SlowLookupJob {
    /** Waits a fixed time per record, like a lookup in an external system. */
    public static final class Lookup implements MapFunction<Long, Long> {
        private final long waitNanos;

        Lookup(long waitMicros) {
            this.waitNanos = waitMicros * 1000L;
        }

        @Override
        public Long map(Long value) {
            LockSupport.parkNanos(waitNanos);
            return value;
        }
    }

    public static void main(String[] args) throws Exception {
        long waitMicros = args.length > 0 ? Long.parseLong(args[0]) : 2000L;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(new NumberSequenceSource(0, Long.MAX_VALUE), WatermarkStrategy.noWatermarks(), "Sequence")
                .setParallelism(1)
                .rebalance()
                .map(new Lookup(waitMicros))
                .name("SlowLookup")
                .sinkTo(new DiscardingSink<>())
                .name("Discard");
        env.execute("SlowLookupJob");
    }
}
