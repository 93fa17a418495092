package io.peregrine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves the test infrastructure end to end: a Flink job on the RocksDB MiniCluster reads Kafka,
 * keeps keyed state, and writes Kafka with DeliveryGuarantee.EXACTLY_ONCE; a read_committed
 * consumer sees every output exactly once, also when the job fails once midway.
 */
class KafkaToKafkaExactlyOnceITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(1, 2);

    private static final int RECORDS = 400;
    private static final int KEYS = 7;

    /** Set by the job when it has thrown its one injected failure (same JVM as the MiniCluster). */
    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    /** Set by the job when it found RocksDB's working files, which only the RocksDB backend makes. */
    static final AtomicBoolean ROCKSDB_IN_USE = new AtomicBoolean();

    @Test
    void copiesEveryRecordExactlyOnceWithKeyedStateInRocksDb() throws Exception {
        ROCKSDB_IN_USE.set(false);
        assertExactlyOnce("in-plain", "out-plain", false);
        assertThat(ROCKSDB_IN_USE).as("RocksDB files under " + FLINK.rocksDbDir()).isTrue();
    }

    @Test
    void recoversFromAnInjectedFailureWithoutDuplicatesOrLoss() throws Exception {
        FAILED_ONCE.set(false);
        assertExactlyOnce("in-failing", "out-failing", true);
        assertThat(FAILED_ONCE).isTrue();
    }

    private void assertExactlyOnce(String in, String out, boolean failOnce) throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.createTopic(in, 2);
        broker.createTopic(out, 2);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            input.add(new ProducerRecord<>(in, Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        broker.produce(input);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(in)
                .setGroupId("it-" + in)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        KafkaSink<String> sink = KafkaSink.<String>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic(out)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("peregrine-it-" + UUID.randomUUID())
                // Below the broker's transaction.max.timeout.ms, above checkpoint plus restart time.
                .setProperty("transaction.timeout.ms", "600000")
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .keyBy(s -> Integer.parseInt(s) % KEYS)
                .process(new NumberPerKey(failOnce, FLINK.rocksDbDir().toString())).uid("number-per-key")
                .sinkTo(sink).uid("copies");
        env.execute("kafka-to-kafka-" + in);

        List<String> copies = broker.consumeCommitted(out, RECORDS, Duration.ofSeconds(60)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> i + "@" + (i % KEYS)).toList();
        assertThat(copies).hasSize(RECORDS).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(broker.consumeAllCommitted(out, Duration.ofSeconds(10))).hasSize(RECORDS);
    }

    /** Tags each number with its key, keeping a per-key count in keyed (RocksDB) state. */
    private static final class NumberPerKey extends KeyedProcessFunction<Integer, String, String> {
        private final boolean failOnce;
        private final String rocksDbDir;
        private transient ValueState<Integer> seen;

        NumberPerKey(boolean failOnce, String rocksDbDir) {
            this.failOnce = failOnce;
            this.rocksDbDir = rocksDbDir;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Integer.class));
            try (Stream<Path> files = Files.walk(Path.of(rocksDbDir))) {
                if (files.anyMatch(f -> f.getFileName().toString().startsWith("job_"))) {
                    ROCKSDB_IN_USE.set(true);
                }
            }
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            int count = seen.value() == null ? 1 : seen.value() + 1;
            seen.update(count);
            if (failOnce && count == RECORDS / KEYS / 2 && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            out.collect(value + "@" + ctx.getCurrentKey());
        }
    }
}
