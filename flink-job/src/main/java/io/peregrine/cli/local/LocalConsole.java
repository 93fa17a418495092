package io.peregrine.cli.local;

import io.peregrine.avro.RulesetStatus;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.sink.StdoutSink;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The terminal end of {@code bin/peregrine local}: prints committed alerts from the "alerts" topic
 * in Falco's text format (coloured by priority on a terminal) with a status line of events/s,
 * capture drops and the ruleset in force, read from the "events" and "rules-status" topics.
 * With {@code --create-topics} it only creates the pipeline's topics and exits.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Print the local pipeline's alerts in Falco's text format, with a status line.")
public final class LocalConsole implements Callable<Integer> {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(names = "--events-topic", defaultValue = "events")
    String eventsTopic;

    @Option(names = "--alerts-topic", defaultValue = "alerts")
    String alertsTopic;

    @Option(names = "--status-topic", defaultValue = "rules-status")
    String statusTopic;

    @Option(names = "--create-topics", description = "Create the pipeline's topics (if missing) and exit.")
    boolean createTopics;

    @Option(names = "--wait-rules", defaultValue = "0", paramLabel = "SECONDS",
            description = "Wait until the job reports a ruleset on rules-status, print it and exit (1 if it was rejected or none came).")
    long waitRulesSeconds;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds (0: until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--status-every", defaultValue = "1",
            description = "Seconds between status lines (every 10 s at least when not on a terminal).")
    long statusEverySeconds;

    @Override
    public Integer call() throws Exception {
        if (createTopics) {
            LocalTopics.create(bootstrap, List.of(
                    LocalTopics.plain(eventsTopic, 2), LocalTopics.compacted("rules"), LocalTopics.plain(statusTopic, 1),
                    LocalTopics.plain(alertsTopic, 1), LocalTopics.plain("events-dead-letter", 1),
                    LocalTopics.compacted("event-types")));
            System.err.println("peregrine: topics ready on " + bootstrap);
            return 0;
        }
        if (waitRulesSeconds > 0) {
            return waitForRules();
        }
        return follow();
    }

    private int waitForRules() {
        SpecificDatumReader<RulesetStatus> reader = new SpecificDatumReader<>(RulesetStatus.class);
        long deadline = System.nanoTime() + waitRulesSeconds * 1_000_000_000L;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> parts = partitions(consumer, statusTopic);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    RulesetStatus s = RulesetRecords.AvroBytes.decode(r.value(), reader, "RulesetStatus");
                    if (s.getOk()) {
                        System.err.println("peregrine: ruleset " + s.getVersion() + " active " + s.getCounts());
                        return 0;
                    }
                    System.err.println("peregrine: ruleset " + s.getVersion() + " rejected by the job:");
                    s.getErrors().forEach(e -> System.err.println("  " + e));
                    return 1;
                }
            }
        }
        System.err.println("peregrine: the job reported no ruleset within " + waitRulesSeconds + " s");
        return 1;
    }

    private int follow() {
        boolean terminal = System.console() != null;
        PrintStream err = System.err;
        StdoutSink alerts = StdoutSink.toConsole(new AlertFormatter(AlertFormat.falcoDefaults()), false);
        BatchCounts counts = new BatchCounts();
        SpecificDatumReader<RulesetStatus> statusReader = new SpecificDatumReader<>(RulesetStatus.class);
        long start = System.nanoTime();
        long deadline = durationSeconds > 0 ? start + durationSeconds * 1_000_000_000L : Long.MAX_VALUE;
        long every = (terminal ? Math.max(1, statusEverySeconds) : Math.max(10, statusEverySeconds)) * 1_000_000_000L;
        long nextStatus = start + every;
        PipelineStatus status = new PipelineStatus(start);
        Thread main = Thread.currentThread();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "console-stop"));
            assign(consumer);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(eventsTopic)) {
                        try {
                            status.onBatch(counts.read(r.value()));
                        } catch (RuntimeException e) {
                            // The job dead-letters such records; the console only counts what it can read.
                        }
                    } else if (r.topic().equals(statusTopic)) {
                        status.onRulesStatus(RulesetRecords.AvroBytes.decode(r.value(), statusReader, "RulesetStatus"));
                    } else {
                        String line = new String(r.value(), StandardCharsets.UTF_8);
                        if (terminal) {
                            err.print("\r\u001b[K");
                            err.flush();
                        }
                        try {
                            alerts.accept(AlertJson.parse(line));
                        } catch (IllegalArgumentException e) {
                            System.out.println(line);
                        }
                        status.onAlert();
                    }
                }
                long now = System.nanoTime();
                status.tick(now);
                if (now >= nextStatus) {
                    nextStatus = now + every;
                    err.print(terminal ? "\r\u001b[K" + status.line() : status.line() + "\n");
                    err.flush();
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // Ctrl-C: fall through to the closing status line.
        }
        err.println((terminal ? "\r\u001b[K" : "") + "peregrine: " + status.line());
        return 0;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "peregrine-console");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        // Small polls keep the status line and the deadline responsive on a busy host.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Alerts and ruleset status from the beginning; events from now on (only their rate matters). */
    private void assign(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> fromStart = new ArrayList<>();
        List<TopicPartition> fromEnd = new ArrayList<>();
        for (String topic : List.of(alertsTopic, statusTopic, eventsTopic)) {
            (topic.equals(eventsTopic) ? fromEnd : fromStart).addAll(partitions(consumer, topic));
        }
        List<TopicPartition> all = new ArrayList<>(fromStart);
        all.addAll(fromEnd);
        consumer.assign(all);
        consumer.seekToBeginning(fromStart);
        consumer.seekToEnd(fromEnd);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            out.add(new TopicPartition(topic, info.partition()));
        }
        return out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalConsole()).execute(args));
    }
}
