package io.peregrine.job.stream;

import io.peregrine.output.Alert;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The middle of every detection graph, production and replay alike; only what feeds it and what
 * reads its outputs differ:
 *
 * <pre>
 *   batches  (InputBatch: host/container key, encoded EventBatch) ──keyBy(host/container)──┐
 *   rulesets (encoded RulesetRecords, as the "rules" topic holds them) ──broadcast──────────┴─► detect ──► alerts
 *                                                                                                  ├─► dead letters
 *                                                                                                  ├─► ruleset status
 *                                                                                                  └─► EventTypeSet
 * </pre>
 *
 * The streaming job feeds it Kafka's "events" and "rules" topics and writes every output to Kafka;
 * the replay feeds it a capture and the ruleset of its {@code -r} files as bounded sources and
 * collects the alerts and dead letters back. The operator's uid is stable, so savepoints survive.
 */
public final class DetectionGraph {

    /** The alerts' type between operators. */
    public static final TypeInformation<Alert> ALERT = TypeInformation.of(Alert.class);

    private DetectionGraph() {
    }

    /**
     * Adds keyBy and {@code detection} (built with the caller's options); returns the operator, whose
     * main output is the alerts and whose side outputs are {@link StreamDetectionFunction#DEAD_LETTERS},
     * {@link StreamDetectionFunction#RULES_STATUS} and {@link StreamDetectionFunction#EVENT_TYPES}.
     */
    public static SingleOutputStreamOperator<Alert> detect(DataStream<InputBatch> batches, DataStream<byte[]> rulesets,
            StreamDetectionFunction detection) {
        BroadcastStream<byte[]> rules = rulesets.broadcast(StreamDetectionFunction.RULESET);
        return batches
                .keyBy(b -> b.key, Types.STRING)
                .connect(rules)
                .process(detection, ALERT)
                .uid("detect")
                .name("detect: Falco rules over (host, container) tables");
    }
}
