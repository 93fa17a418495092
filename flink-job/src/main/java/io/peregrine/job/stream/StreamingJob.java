package io.peregrine.job.stream;

import io.peregrine.engine.DetectionSettings;
import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The production job:
 *
 * <pre>
 *   Kafka "events" (EventBatch) ──watermarks──► keyBy(host/container) ─┐
 *   Kafka "rules" (RulesetRecord) ──broadcast──────────────────────────┴─► detect ──► Kafka "alerts" (Falco JSON, exactly once)
 *                                                                            ├─► dead letters ──► Kafka "events-dead-letter"
 *                                                                            ├─► ruleset status ──► Kafka "rules-status"
 *                                                                            └─► EventTypeSet ──► Kafka "event-types" (probes)
 * </pre>
 *
 * Every operator has a stable uid, so savepoints survive code changes. The middle (keyBy, detect and
 * its side outputs) is {@link DetectionGraph}, which the replay runs too: only sources and sinks are
 * this class's own.
 */
public final class StreamingJob {

    public static final String JOB_NAME = "peregrine";

    private StreamingJob() {
    }

    /** Entry point on a cluster: {@code --key value} options (see {@link StreamJobOptions}). */
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment probe = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamJobOptions options = StreamJobOptions.parse(args, probe.getConfiguration().toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(operationalDefaults(options));
        build(env, options);
        env.execute(JOB_NAME);
    }

    /**
     * RocksDB with incremental checkpoints, exactly-once checkpoints at the configured interval, and an
     * exponential-delay restart strategy; anything the cluster configuration sets explicitly wins
     * for the state backend and the restart strategy.
     */
    public static Configuration operationalDefaults(StreamJobOptions options) {
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.interval", options.checkpointIntervalMs() + " ms");
        conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "1 min");
        return conf;
    }

    /** Adds the job's graph to {@code env}; returns the detection operator (alerts, with the side outputs). */
    public static SingleOutputStreamOperator<Alert> build(StreamExecutionEnvironment env, StreamJobOptions o) {
        if (env.getCheckpointConfig().getCheckpointInterval() <= 0) {
            env.enableCheckpointing(o.checkpointIntervalMs());
        }
        DataStream<InputBatch> events = env.fromSource(eventsSource(o), eventWatermarks(o), "kafka: " + o.eventsTopic())
                .uid("events-source");
        DataStream<byte[]> rules = env.fromSource(rulesSource(o), rulesWatermarks(), "kafka: " + o.rulesTopic())
                .uid("rules-source")
                .setParallelism(1);
        DetectionSettings base = DetectionSettings.of(List.of())
                .withSelection(o.minimumPriority(), Set.of(), Set.of(), List.of(), o.matching())
                .withAllEvents(o.allEvents());
        SingleOutputStreamOperator<Alert> alerts = DetectionGraph.detect(events, rules,
                new StreamDetectionFunction(base, o.idleKeyMs(), o.maxCachedKeys(), o.threadTimeoutMs()));
        alerts.sinkTo(alertSink(o)).uid("alerts-sink").name("kafka: " + o.alertsTopic() + " (exactly once)");
        alerts.getSideOutput(StreamDetectionFunction.DEAD_LETTERS).sinkTo(deadLetterSink(o))
                .uid("dead-letter-sink").name("kafka: " + o.deadLetterTopic());
        alerts.getSideOutput(StreamDetectionFunction.RULES_STATUS).sinkTo(bytesSink(o, o.statusTopic(), "ruleset"))
                .uid("rules-status-sink").name("kafka: " + o.statusTopic());
        alerts.getSideOutput(StreamDetectionFunction.EVENT_TYPES).sinkTo(bytesSink(o, o.controlTopic(), "event-types"))
                .uid("event-types-sink").name("kafka: " + o.controlTopic());
        return alerts;
    }

    static KafkaSource<InputBatch> eventsSource(StreamJobOptions o) {
        return KafkaSource.<InputBatch>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.eventsTopic())
                .setGroupId(o.groupId())
                .setStartingOffsets(startingOffsets(o))
                .setDeserializer(new InputBatchDeserializer())
                .setProperties(kafkaProperties(o))
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    static KafkaSource<byte[]> rulesSource(StreamJobOptions o) {
        // Always from the start of the compacted topic: its latest record is the ruleset in force.
        return KafkaSource.<byte[]>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.rulesTopic())
                .setGroupId(o.groupId() + "-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(
                        org.apache.kafka.common.serialization.ByteArrayDeserializer.class))
                .setProperties(kafkaProperties(o))
                .build();
    }

    private static OffsetsInitializer startingOffsets(StreamJobOptions o) {
        return switch (o.startingOffsets()) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException("starting-offsets must be earliest, latest or committed, not "
                    + o.startingOffsets());
        };
    }

    /** Event time is the batch's first event; bounded out-of-orderness; idle partitions do not hold it back. */
    static WatermarkStrategy<InputBatch> eventWatermarks(StreamJobOptions o) {
        return WatermarkStrategy.<InputBatch>forBoundedOutOfOrderness(Duration.ofMillis(o.outOfOrdernessMs()))
                .withTimestampAssigner((b, kafkaTs) -> BatchHeader.firstTsMillis(b.value, kafkaTs))
                .withIdleness(Duration.ofMillis(o.idlenessMs()));
    }

    /**
     * The rules stream never holds back event time: it declares itself idle, so the detection
     * operator's watermark is the events' alone. (Reporting the end of time instead would fire every
     * cleanup timer whenever the events go idle.)
     */
    static WatermarkStrategy<byte[]> rulesWatermarks() {
        return context -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(byte[] event, long eventTimestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        };
    }

    static KafkaSink<Alert> alertSink(StreamJobOptions o) {
        AlertLines lines = new AlertLines();
        return KafkaSink.<Alert>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(kafkaProperties(o))
                // The record timestamp is the time of writing, not the event's: Kafka's time-based
                // retention and segment rolling would otherwise delete alerts about old events
                // (a backlog, a replayed capture, a skewed host clock) right after they are written.
                // The event time is in the alert itself.
                .setRecordSerializer((KafkaRecordSerializationSchema<Alert>) (alert, context, timestamp) ->
                        new ProducerRecord<>(o.alertsTopic(), null, null,
                                alert.hostname().getBytes(StandardCharsets.UTF_8), lines.serialize(alert)))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(o.transactionalIdPrefix())
                .setProperty("transaction.timeout.ms", Long.toString(o.transactionTimeoutMs()))
                .build();
    }

    static KafkaSink<DeadLetter> deadLetterSink(StreamJobOptions o) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(kafkaProperties(o))
                .setRecordSerializer((KafkaRecordSerializationSchema<DeadLetter>) (d, context, timestamp) -> {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(o.deadLetterTopic(),
                            d.key == null ? null : d.key.getBytes(StandardCharsets.UTF_8), d.value);
                    r.headers().add(new RecordHeader("peregrine.reason", d.reason.getBytes(StandardCharsets.UTF_8)));
                    r.headers().add(new RecordHeader("peregrine.origin", d.origin.getBytes(StandardCharsets.UTF_8)));
                    return r;
                })
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    static KafkaSink<byte[]> bytesSink(StreamJobOptions o, String topic, String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return KafkaSink.<byte[]>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setKafkaProducerConfig(kafkaProperties(o))
                .setRecordSerializer((KafkaRecordSerializationSchema<byte[]>) (v, context, timestamp) ->
                        new ProducerRecord<>(topic, keyBytes, v))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static Properties kafkaProperties(StreamJobOptions o) {
        Properties p = new Properties();
        p.putAll(o.kafkaProperties());
        return p;
    }

    /** Falco's JSON alert line (ISO 8601 time, output, tags, hostname), as UTF-8. */
    static final class AlertLines implements SerializationSchema<Alert> {
        private static final long serialVersionUID = 1L;
        private transient AlertFormatter formatter;

        @Override
        public byte[] serialize(Alert alert) {
            if (formatter == null) {
                formatter = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true));
            }
            return formatter.line(alert).getBytes(StandardCharsets.UTF_8);
        }
    }
}
