package io.peregrine.job;

import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.output.Alert;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed detection operator: decodes a key's batch and hands it to that key's
 * {@link KeyedDetection}; it holds no detection logic of its own.
 *
 * <p>The per-key engines live in the operator's memory, keyed by the Flink key: enough for a
 * bounded replay, which takes no checkpoint. Persisting the tables in keyed state (RocksDB) through
 * the state engine's {@code ThreadStore} comes with the streaming job.
 */
public final class DetectionFunction extends KeyedProcessFunction<String, Tuple2<String, byte[]>, Alert> {

    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;
    private transient DetectionRules rules;
    private transient EventBatchCodec codec;
    private transient Map<String, KeyedDetection> engines;

    public DetectionFunction(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        rules = DetectionRules.load(settings);
        if (rules.hasErrors()) {
            throw new IllegalStateException("the ruleset has load errors: " + rules.loaded().errors());
        }
        codec = new EventBatchCodec();
        engines = new HashMap<>();
    }

    @Override
    public void processElement(Tuple2<String, byte[]> batch, Context context, Collector<Alert> out) {
        KeyedDetection engine = engines.computeIfAbsent(context.getCurrentKey(),
                k -> new KeyedDetection(rules, settings));
        engine.apply(codec.decode(batch.f1), out::collect);
    }
}
