package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.shipper.spool.Spool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against a real broker: batches arrive in order, survive an outage through the bounded spool. */
class OutboxKafkaTest {

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new TestBroker();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void deliversBatchesInOrderKeyedByHostAndContainer(@TempDir Path dir) throws Exception {
        String topic = "events-ordered";
        try (Outbox outbox = new Outbox(new Spool(dir, 64 << 20, 1 << 20, false),
                KafkaProducers.events(broker.bootstrap(), "t1", Duration.ofSeconds(10)), topic, Duration.ofSeconds(10))) {
            for (int i = 1; i <= 50; i++) {
                outbox.offer(batch("abc123def456", i));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> got = consume(broker.bootstrap(), topic, 50);
        assertThat(got).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsOnly("h1/abc123def456");
        assertThat(got).extracting(r -> decode(r.value()).getSequence()).containsExactlyElementsOf(range(1, 50));
    }

    @Test
    void spoolsWithinItsBoundWhileKafkaIsDownAndReplaysInOrderWhenItReturns(@TempDir Path dir) throws Exception {
        String topic = "events-outage";
        long bound = 200 * 1024;
        Outbox outbox = new Outbox(new Spool(dir, bound, 32 * 1024, false),
                KafkaProducers.events(broker.bootstrap(), "t2", Duration.ofSeconds(3)), topic, Duration.ofSeconds(3));
        outbox.offer(batch("", 1));
        waitFor(() -> outbox.batchesSent() == 1);

        broker.stop();
        int offered = 1;
        int refused = 0;
        for (int i = 2; i <= 400; i++) { // ~1 KiB each: more than the bound holds
            offered++;
            if (!outbox.offer(batch("", i))) {
                refused++;
            }
        }
        assertThat(outbox.maxSpoolBytes()).isLessThanOrEqualTo(bound);
        assertThat(refused).isPositive();
        assertThat(outbox.droppedBatches()).isEqualTo(refused);
        assertThat(outbox.droppedEvents()).isEqualTo(refused * 3L);

        broker.start();
        waitFor(() -> outbox.pending() == 0);
        outbox.close();

        int delivered = offered - refused;
        List<ConsumerRecord<byte[], byte[]>> got = consume(broker.bootstrap(), topic, delivered);
        List<Long> seqs = got.stream().map(r -> decode(r.value()).getSequence()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().hasSize(delivered);
        assertThat(seqs).startsWith(1L, 2L, 3L); // the oldest are kept, the newest refused
    }

    @Test
    void aBatchKafkaRefusesForGoodIsDroppedAndCountedWithoutBlockingTheOnesBehindIt(@TempDir Path dir) throws Exception {
        String topic = "events-too-large";
        try (Outbox outbox = new Outbox(new Spool(dir, 64 << 20, 4 << 20, false),
                KafkaProducers.events(broker.bootstrap(), "t3", Duration.ofSeconds(10)), topic, Duration.ofSeconds(10))) {
            outbox.offer(batch("", 1));
            outbox.offer(oversized(2)); // over the producer's request limit: can never be sent
            outbox.offer(batch("", 3));
            waitFor(() -> outbox.pending() == 0);
            assertThat(outbox.droppedBatches()).isEqualTo(1);
            assertThat(outbox.droppedEvents()).isEqualTo(3);
        }
        List<ConsumerRecord<byte[], byte[]>> got = consume(broker.bootstrap(), topic, 2);
        assertThat(got).extracting(r -> decode(r.value()).getSequence()).containsExactly(1L, 3L);
    }

    private static EventBatch oversized(long seq) {
        List<SyscallEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(new SyscallEvent(seq * 10 + i, 42L, 0, 3, 0,
                    List.of(ByteBuffer.wrap(new byte[8]), ByteBuffer.wrap(new byte[(int) KafkaProducers.MAX_BATCH_BYTES]))));
        }
        return EventBatch.newBuilder(batch("", seq)).setEvents(events).build();
    }

    static EventBatch batch(String container, long seq) {
        List<SyscallEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(new SyscallEvent(seq * 10 + i, 42L, 0, 3, 0,
                    List.of(ByteBuffer.wrap(new byte[8]), ByteBuffer.wrap(new byte[300]))));
        }
        return EventBatch.newBuilder().setHost("h1").setContainerId(container).setSequence(seq).setFirstTs(seq)
                .setLastTs(seq).setEvents(events).build();
    }

    static EventBatch decode(byte[] value) {
        return new EventBatchCodec().decode(value);
    }

    static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrap, String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic + "-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(n == Integer.MAX_VALUE ? 5 : 30).toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(300)).forEach(out::add); // nothing extra may follow
        }
        return out;
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
