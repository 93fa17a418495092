package io.peregrine.job;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.RulesetStatus;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.DeadLetter;
import io.peregrine.job.stream.DetectionGraph;
import io.peregrine.job.stream.InputBatch;
import io.peregrine.job.stream.StreamDetectionFunction;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.output.Alert;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Replay of a capture through the production detection graph ({@link DetectionGraph}: keyBy
 * host/container, {@link StreamDetectionFunction} with its keyed tables and broadcast ruleset) on a
 * local MiniCluster. Only sources and sinks differ from the streaming job:
 *
 * <pre>
 *   CaptureSource (bounded) ─────────────────────────────┐
 *   the -r files' RulesetRecord (bounded, one record) ───┴─► DetectionGraph ─► alerts ───────┬─► collected, in capture order
 *                                                                              └─► dead letters ─┘   (parallelism 1)
 * </pre>
 *
 * <ul>
 *   <li>The ruleset is the {@code RulesetRecord} of the {@code -r} files in load order, what
 *       {@code rules push} publishes on the "rules" topic, broadcast from a one-record source;
 *       Falco's selection options ({@code -t}, {@code -T}, {@code -D}, priority, rule_matching),
 *       {@code -A} and the hostname are the operator's base settings, as the streaming job's
 *       options are.</li>
 *   <li>The two sources race: batches may reach the operator before the ruleset. They wait in keyed
 *       state and run, their outputs in capture order, when the ruleset arrives; the ruleset source
 *       cannot end before its record is processed, and the job cannot end before both sources have,
 *       so no batch is left behind. A batch still waiting at the end of input (the ruleset was
 *       rejected) becomes a dead letter.</li>
 *   <li>Dead letters are handed to the caller as one line each (where, key, events, reason), never
 *       dropped silently.</li>
 *   <li>State backend: {@code hashmap} by default. The operator runs the production code path either
 *       way (the key's tables flushed to keyed MapState after every batch, reloaded after eviction);
 *       what RocksDB adds, durable incremental checkpoints and tables larger than memory, a bounded
 *       replay that takes no checkpoint does not use, while it costs a JNI call and a copy per state
 *       access and a native library and temporary directory per run. {@code rocksdb} is accepted
 *       for checking that both give the same alerts.</li>
 *   <li>Event time: the capture source emits no watermarks, so the idle-key timers of the
 *       production operator fire only at the end of input: a replay is deterministic and never
 *       forgets a key in the middle of a capture (production's periodic watermarks depend on wall
 *       time).</li>
 * </ul>
 */
public final class ReplayJob {

    /** The state backend production uses ({@code rocksdb}) or the in-memory one ({@code hashmap}). */
    public static final List<String> STATE_BACKENDS = List.of("hashmap", "rocksdb");

    private static final TypeInformation<Either<Alert, String>> OUTPUT = Types.EITHER(DetectionGraph.ALERT, Types.STRING);

    private ReplayJob() {
    }

    /** Runs the graph over {@code capture} with the hashmap backend; alerts go to {@code alerts} in capture order. */
    public static void run(Path capture, DetectionSettings settings, int maxEventsPerBatch, Consumer<Alert> alerts,
            Consumer<String> dropped) throws Exception {
        run(capture, settings, maxEventsPerBatch, "hashmap", alerts, dropped);
    }

    /**
     * Runs the graph over {@code capture}; every alert goes to {@code alerts} in capture order, and
     * every batch the operator could not use to {@code dropped}, as a line saying why.
     */
    public static void run(Path capture, DetectionSettings settings, int maxEventsPerBatch, String stateBackend,
            Consumer<Alert> alerts, Consumer<String> dropped) throws Exception {
        StreamExecutionEnvironment env = environment(stateBackend);
        DataStream<InputBatch> batches = env
                .fromSource(new CaptureSource(capture, settings.hostname(), maxEventsPerBatch),
                        WatermarkStrategy.noWatermarks(), "capture " + capture.getFileName())
                .uid("events-source");
        byte[] ruleset = RulesetRecords.encode(RulesetRecords.fromSources(settings.sources(), null,
                "replay of " + capture.getFileName()));
        execute(env, batches, List.of(ruleset), settings, "peregrine replay " + capture.getFileName(), alerts, dropped);
    }

    /** A local environment at parallelism 1 (capture order across keys) with the given state backend. */
    static StreamExecutionEnvironment environment(String stateBackend) {
        String backend = stateBackend.toLowerCase(Locale.ROOT);
        if (!STATE_BACKENDS.contains(backend)) {
            throw new IllegalArgumentException("state backend must be one of " + STATE_BACKENDS + ", not " + stateBackend);
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        return StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    }

    /**
     * Adds the detection graph over {@code batches} with {@code rulesets} (encoded records, broadcast
     * in order) and runs it to the end of its bounded inputs, handing its outputs back.
     */
    static void execute(StreamExecutionEnvironment env, DataStream<InputBatch> batches, List<byte[]> rulesets,
            DetectionSettings settings, String jobName, Consumer<Alert> alerts, Consumer<String> dropped)
            throws Exception {
        DataStream<byte[]> rules = env.fromData(rulesets, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("rules-source");
        // The production operator's defaults for what the replay has no option for.
        StreamJobOptions defaults = StreamJobOptions.parse(new String[0], Map.of());
        SingleOutputStreamOperator<Alert> detected = DetectionGraph.detect(batches, rules,
                new StreamDetectionFunction(settings.withRulesetVersion(""), defaults.idleKeyMs(), defaults.maxCachedKeys()));
        DataStream<Either<Alert, String>> outputs = detected
                .map(Either::<Alert, String>Left).returns(OUTPUT).name("alerts")
                .union(detected.getSideOutput(StreamDetectionFunction.DEAD_LETTERS)
                                .map(d -> Either.<Alert, String>Right(describe(d))).returns(OUTPUT).name("dead letters"),
                        detected.getSideOutput(StreamDetectionFunction.RULES_STATUS)
                                .flatMap(ReplayJob::rejections).returns(OUTPUT).name("rejected rulesets"));
        try (CloseableIterator<Either<Alert, String>> out = outputs.executeAndCollect(jobName)) {
            while (out.hasNext()) {
                Either<Alert, String> next = out.next();
                if (next.isLeft()) {
                    alerts.accept(next.left());
                } else {
                    dropped.accept(next.right());
                }
            }
        }
    }

    /** A dead letter as one line: where the batch came from, its key, its events when readable, why. */
    static String describe(DeadLetter d) {
        String events = "";
        try {
            EventBatch batch = new EventBatchCodec().decode(d.value == null ? new byte[0] : d.value);
            events = ", " + batch.getEvents().size() + " events";
        } catch (RuntimeException e) {
            // Unreadable: the reason says so.
        }
        return "Dropped batch " + d.origin + " (key " + d.key + events + "): " + d.reason;
    }

    /** A ruleset the operator refused, as a line (the replay checks the rules before, so this is rare). */
    private static void rejections(byte[] status, Collector<Either<Alert, String>> out) {
        RulesetStatus s = RulesetRecords.AvroBytes.decode(status, new SpecificDatumReader<>(RulesetStatus.class),
                "RulesetStatus");
        if (!s.getOk()) {
            out.collect(Either.Right("Ruleset " + s.getVersion() + " rejected: " + String.join("; ",
                    s.getErrors().stream().map(CharSequence::toString).toList())));
        }
    }
}
