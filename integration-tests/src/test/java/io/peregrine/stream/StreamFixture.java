package io.peregrine.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.RulesetStatus;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the streaming job's integration tests share: topics, corpus batches, rulesets, reading the outputs. */
final class StreamFixture {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamFixture() {
    }

    /** Options with every topic prefixed by {@code prefix} (tests in one class share a broker). */
    static StreamJobOptions options(KafkaBroker broker, String prefix, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--events-topic", prefix + "events", "--rules-topic", prefix + "rules",
                "--status-topic", prefix + "rules-status", "--alerts-topic", prefix + "alerts",
                "--dead-letter-topic", prefix + "dead-letter", "--control-topic", prefix + "event-types",
                "--group-id", prefix + "job", "--transactional-id-prefix", prefix + "tx",
                "--transaction-timeout-ms", "600000", "--checkpoint-interval-ms", "300",
                "--starting-offsets", "earliest", "--idleness-ms", "1000"));
        args.addAll(List.of(extra));
        return StreamJobOptions.parse(args.toArray(String[]::new), Map.of());
    }

    static void createTopics(KafkaBroker broker, StreamJobOptions o, int eventPartitions) {
        broker.createTopic(o.eventsTopic(), eventPartitions);
        broker.createCompactedTopic(o.rulesTopic(), 1);
        broker.createTopic(o.statusTopic(), 1);
        broker.createTopic(o.alertsTopic(), 2);
        broker.createTopic(o.deadLetterTopic(), 1);
        broker.createTopic(o.controlTopic(), 1);
    }

    static Path corpus() {
        return Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));
    }

    /** The corpus captures the batcher reads (falco's and libs' trace files). */
    static List<Path> captures() {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("scap/falco", "scap/libs")) {
            try (Stream<Path> files = Files.list(corpus().resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".scap")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** {@code capture} cut into batches as the shipper of {@code host} would send them. */
    static List<EventBatch> batches(Path capture, String host, int maxEvents) {
        List<EventBatch> out = new ArrayList<>();
        try {
            CaptureBatches.read(capture, host, maxEvents, out::add);
        } catch (Exception e) {
            throw new IllegalStateException("cannot batch " + capture + ": " + e, e);
        }
        return out;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, EventBatch batch) {
        String key = new BatchKey(batch.getHost().toString(), batch.getContainerId().toString()).asString();
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), new EventBatchCodec().encode(batch));
    }

    /** Writes the batches a few at a time so that checkpoints and failures fall between them. */
    static void trickle(KafkaBroker broker, String topic, List<EventBatch> batches, int perStep, long pauseMillis)
            throws InterruptedException {
        for (int i = 0; i < batches.size(); i += perStep) {
            List<ProducerRecord<byte[], byte[]>> step = new ArrayList<>();
            for (EventBatch b : batches.subList(i, Math.min(i + perStep, batches.size()))) {
                step.add(record(topic, b));
            }
            broker.produce(step);
            Thread.sleep(pauseMillis);
        }
    }

    /** Publishes a ruleset of one file, as {@code rules push} does. */
    static void pushRules(KafkaBroker broker, StreamJobOptions o, String version, String yaml) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("rules.yaml", yaml);
        broker.produce(List.of(new ProducerRecord<>(o.rulesTopic(), "ruleset".getBytes(StandardCharsets.UTF_8),
                RulesetRecords.encode(RulesetRecords.of(files, version, "test")))));
    }

    /** Waits for the status record of {@code version}. */
    static RulesetStatus awaitStatus(KafkaBroker broker, StreamJobOptions o, String version) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : broker.consumeAllCommitted(o.statusTopic(), Duration.ofSeconds(5))) {
                RulesetStatus s = RulesetRecords.AvroBytes.decode(r.value(),
                        new SpecificDatumReader<>(RulesetStatus.class), "RulesetStatus");
                if (s.getVersion().toString().equals(version)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no rules-status record for ruleset " + version);
    }

    /** Every committed alert so far, as JSON. */
    static List<JsonNode> committedAlerts(KafkaBroker broker, StreamJobOptions o) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeAllCommitted(o.alertsTopic(), Duration.ofSeconds(30))) {
            out.add(json(r.value()));
        }
        return out;
    }

    /** Waits until {@code count} alerts are committed; returns what arrived. */
    static List<JsonNode> awaitAlerts(KafkaBroker broker, StreamJobOptions o, int count, Duration timeout) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeCommitted(o.alertsTopic(), count, timeout)) {
            out.add(json(r.value()));
        }
        return out;
    }

    /** Waits until {@code count} committed alerts satisfy {@code which}; returns all committed alerts at that point. */
    static List<JsonNode> awaitAlerts(KafkaBroker broker, StreamJobOptions o, java.util.function.Predicate<JsonNode> which,
            long count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> all = List.of();
        while (System.nanoTime() < deadline) {
            all = committedAlerts(broker, o);
            if (all.stream().filter(which).count() >= count) {
                return all;
            }
        }
        // The caller's assertions show what is missing.
        return all;
    }

    /** How many alerts the offline replay (the engine without Flink) raises on {@code batches} with {@code yaml}. */
    static long offlineAlerts(String yaml, List<EventBatch> batches) {
        io.peregrine.job.rules.RulesetActivation rules = io.peregrine.job.rules.RulesetActivation.compile(
                RulesetRecords.of(Map.of("rules.yaml", yaml), "offline", null),
                io.peregrine.engine.DetectionSettings.of(List.of()));
        if (!rules.ok()) {
            throw new IllegalArgumentException("bad test ruleset: " + rules.errors());
        }
        io.peregrine.engine.LocalReplay replay = new io.peregrine.engine.LocalReplay(rules.rules(), rules.settings());
        long[] n = {0};
        batches.forEach(b -> replay.apply(b, a -> n[0]++));
        return n[0];
    }

    static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
