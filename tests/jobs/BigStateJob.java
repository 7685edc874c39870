// A job whose keyed state needs RocksDB: one sequence source (one subtask, unthrottled) whose numbers, taken modulo
// KEYS, key a process function that keeps VALUE_BYTES of incompressible bytes per key and rewrites them on every
// record, then a discarding sink. Its state grows to KEYS x VALUE_BYTES (2 GiB with the defaults: 4,000,000 keys of
// 512 bytes) and, as heap objects, to more: Flink's shipped TaskManager (1728m process, about 380 MiB task heap)
// cannot hold it with the heap backend. The operator is named "StatefulUpdate" (benches/outcome.rs measures it).
// Arguments: KEYS (default 4000000), VALUE_BYTES (default 512), SOURCE_PARALLELISM (default 1; more makes the keyed
// exchange all-to-all, which tests/it/flink_estimates.rs needs for the network buffers). Compiled against the
// distribution's lib/*.

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

public final class BigStateJob {
    /** The sequence number modulo the key count. */
    public static final class ToKey implements MapFunction<Long, Long> {
        private final long keys;

        ToKey(long keys) {
            this.keys = keys;
        }

        @Override
        public Long map(Long n) {
            return n % keys;
        }
    }

    public static final class Identity implements KeySelector<Long, Long> {
        @Override
        public Long getKey(Long key) {
            return key;
        }
    }

    /** Reads the key's value and writes a fresh one: a visit count and pseudo-random (incompressible) bytes. */
    public static final class Remember extends KeyedProcessFunction<Long, Long, Long> {
        private final int valueBytes;
        private transient ValueState<byte[]> last;

        Remember(int valueBytes) {
            this.valueBytes = valueBytes;
        }

        @Override
        public void open(OpenContext context) {
            last = getRuntimeContext()
                    .getState(new ValueStateDescriptor<>("last", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        public void processElement(Long key, Context context, Collector<Long> out) throws Exception {
            byte[] previous = last.value();
            long visits = previous == null ? 1 : (previous[0] & 0xffL) + 1;
            byte[] next = new byte[valueBytes];
            long x = key * 0x9E3779B97F4A7C15L + visits;
            for (int i = 0; i < valueBytes; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                next[i] = (byte) x;
            }
            next[0] = (byte) visits;
            last.update(next);
            out.collect(visits);
        }
    }

    public static void main(String[] args) throws Exception {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
        int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int sourceParallelism = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(new NumberSequenceSource(0, Long.MAX_VALUE), WatermarkStrategy.noWatermarks(), "Sequence")
                .setParallelism(sourceParallelism)
                .map(new ToKey(keys))
                .setParallelism(sourceParallelism)
                .keyBy(new Identity())
                .process(new Remember(valueBytes))
                .name("StatefulUpdate")
                .sinkTo(new DiscardingSink<>())
                .name("Discard");
        env.execute("BigStateJob");
    }
}
