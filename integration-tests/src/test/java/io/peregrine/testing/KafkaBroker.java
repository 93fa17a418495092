package io.peregrine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside the test JVM,
 * listening on 127.0.0.1 on random ports, with its data in a short directory under /tmp that
 * {@link #close()} deletes. Built from Maven Central's kafka_2.13: the storage is formatted with
 * {@code StorageTool} and the node runs as a {@code KafkaRaftServer}, exactly as
 * {@code kafka-server-start.sh} would run it, so transactions and compaction behave as in
 * production.
 *
 * <p>Broker settings suit one node ({@code *.replication.factor=1}, few internal partitions, no
 * rebalance delay) and allow transactions of up to an hour ({@code transaction.max.timeout.ms}),
 * so Flink's exactly-once sink may use its default timeouts. Starting takes about 3 s the first
 * time in a JVM.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The largest transaction timeout this broker accepts, in ms. */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 3_600_000L;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final KafkaRaftServer server;
    private Admin admin;

    private KafkaBroker(Path dataDir, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.port = port;
        this.server = server;
    }

    /** Starts a broker with the default single-node settings. */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code overrides} replace or add broker properties (for example
     * {@code auto.create.topics.enable=false}).
     */
    public static KafkaBroker start(Map<String, String> overrides) {
        Path dataDir = TempDirs.create("kafka-");
        try {
            int port = FreePorts.next();
            int controllerPort = FreePorts.next();
            Properties props = brokerProperties(dataDir, port, controllerPort);
            props.putAll(overrides);
            format(dataDir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            KafkaBroker broker = new KafkaBroker(dataDir, port, server);
            broker.awaitReady();
            return broker;
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dataDir);
            throw e;
        }
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS));
        // Compaction and cleanup early enough to be seen in a test.
        p.put("log.cleaner.backoff.ms", "1000");
        return p;
    }

    private static void format(Path dataDir, Properties props) {
        Path config = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "single-node test broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed (exit " + exit + "): "
                    + log.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        close();
        throw new IllegalStateException("kafka broker on 127.0.0.1:" + port + " not ready after " + START_TIMEOUT, last);
    }

    /** {@code bootstrap.servers} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** A shared admin client, closed with the broker. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            admin = Admin.create(p);
        }
        return admin;
    }

    /** Creates a topic with {@code partitions} partitions and default settings. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a compacted topic ({@code cleanup.policy=compact}), as for rulesets keyed by name. */
    public void createCompactedTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of("cleanup.policy", "compact"));
    }

    /** Creates a topic with topic-level {@code configs}; waits until it exists. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        }
    }

    /** Producer settings for this broker (byte arrays, acks=all, idempotent); add to them freely. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    /** A new producer of byte arrays; the caller closes it. */
    public KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(producerProperties());
    }

    /** Writes the records and waits until the broker has them all. */
    public void produce(Collection<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("produce failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
    }

    /** Writes one record with UTF-8 key (may be null) and value. */
    public void produce(String topic, String key, String value) {
        produce(List.of(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
    }

    /** Consumer settings: byte arrays, {@code isolation.level=read_committed}, no group, no auto commit. */
    public Properties readCommittedConsumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until {@code count} records have
     * arrived or {@code timeout} has passed, and returns what arrived (possibly more or fewer).
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeCommitted(String topic, int count, Duration timeout) {
        return consume(topic, timeout, (records, consumer) -> records.size() >= count);
    }

    /**
     * Reads every record of {@code topic} committed so far: with read_committed, up to the last
     * stable offset of each partition. Open transactions are not waited for.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAllCommitted(String topic, Duration timeout) {
        Map<TopicPartition, Long> end = new HashMap<>();
        return consume(topic, timeout, (records, consumer) -> {
            if (end.isEmpty()) {
                end.putAll(consumer.endOffsets(consumer.assignment()));
            }
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
    }

    private interface Done {
        boolean test(List<ConsumerRecord<byte[], byte[]>> records, KafkaConsumer<byte[], byte[]> consumer);
    }

    private List<ConsumerRecord<byte[], byte[]>> consume(String topic, Duration timeout, Done done) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readCommittedConsumerProperties())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records, consumer) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            TempDirs.deleteRecursively(dataDir);
        }
    }
}
