package io.peregrine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that the test infrastructure can do what the job's acceptance tests need: lose a
 * TaskManager under a streaming job, stop it with a savepoint, restore it with another
 * parallelism, and still find every output exactly once with the keyed state carried through.
 */
class SavepointAndTaskManagerLossITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(2, 2);

    private static final int KEYS = 5;
    private static final int PER_PHASE = 150;

    @Test
    void keyedStateAndExactlyOnceSurviveTaskManagerLossAndRescaledRestore(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.createTopic("in", 2);
        broker.createTopic("out", 2);
        String transactionalIdPrefix = "peregrine-it-" + UUID.randomUUID();

        StreamExecutionEnvironment first = StreamExecutionEnvironment.getExecutionEnvironment();
        JobClient running = submit(first, 2, broker, transactionalIdPrefix);
        JobID job = running.getJobID();
        FlinkJobControl.awaitAllTasksRunning(cluster, job);

        trickle(broker, 0, PER_PHASE);
        FlinkJobControl.awaitNewCheckpoint(cluster, job);
        FlinkJobControl.loseTaskManager(cluster, 0);
        trickle(broker, PER_PHASE, 2 * PER_PHASE);
        FlinkJobControl.awaitAllTasksRunning(cluster, job);
        FlinkJobControl.awaitNewCheckpoint(cluster, job);
        String savepoint = FlinkJobControl.stopWithSavepoint(cluster, job, FLINK.savepointDir());

        JobClient restored = submit(FlinkJobControl.restoringFrom(savepoint), 1, broker, transactionalIdPrefix);
        FlinkJobControl.awaitAllTasksRunning(cluster, restored.getJobID());
        trickle(broker, 2 * PER_PHASE, 3 * PER_PHASE);

        int total = 3 * PER_PHASE;
        List<String> outputs = broker.consumeCommitted("out", total, Duration.ofSeconds(90)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        restored.cancel().get();

        // Every input exactly once...
        assertThat(outputs).extracting(o -> Integer.parseInt(o.substring(0, o.indexOf('@'))))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, total).boxed().toList());
        // ...and each key's counter ran 1..n across the failure and the restore, never restarting.
        Map<String, List<Integer>> countsByKey = new HashMap<>();
        for (String o : outputs) {
            String[] keyAndCount = o.substring(o.indexOf('@') + 1).split("#");
            countsByKey.computeIfAbsent(keyAndCount[0], k -> new ArrayList<>()).add(Integer.parseInt(keyAndCount[1]));
        }
        Map<String, Long> perKey = IntStream.range(0, total).boxed()
                .collect(Collectors.groupingBy(i -> Integer.toString(i % KEYS), Collectors.counting()));
        assertThat(countsByKey).hasSize(KEYS);
        countsByKey.forEach((key, counts) -> assertThat(counts).as("counts of key " + key)
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, perKey.get(key).intValue()).boxed().toList()));
    }

    private static JobClient submit(StreamExecutionEnvironment env, int parallelism, KafkaBroker broker,
                                    String transactionalIdPrefix) throws Exception {
        env.setParallelism(parallelism);
        env.enableCheckpointing(100);
        KafkaSource<String> source = KafkaSource.<String>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics("in")
                .setGroupId("it-savepoint")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .build();
        KafkaSink<String> sink = KafkaSink.<String>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic("out").setValueSerializationSchema(new SimpleStringSchema()).build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", "600000")
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers").uid("numbers")
                .keyBy(s -> Integer.toString(Integer.parseInt(s) % KEYS))
                .process(new CountPerKey()).uid("count-per-key")
                .sinkTo(sink).uid("counted");
        return env.executeAsync("savepoint-and-tm-loss");
    }

    /** Writes numbers [from, to) a few at a time, so checkpoints and failures fall between them. */
    private static void trickle(KafkaBroker broker, int from, int to) throws InterruptedException {
        for (int start = from; start < to; start += 10) {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(start + 10, to); i++) {
                batch.add(new ProducerRecord<>("in", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            }
            broker.produce(batch);
            Thread.sleep(20);
        }
    }

    /** Emits "number@key#n" where n counts the key's numbers in keyed (RocksDB) state. */
    private static final class CountPerKey extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Integer> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Integer.class));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            int n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            out.collect(value + "@" + ctx.getCurrentKey() + "#" + n);
        }
    }
}
