package io.peregrine.job;

import io.peregrine.engine.DetectionSettings;
import io.peregrine.output.Alert;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The detection graph, independent of where batches come from and where alerts go:
 *
 * <pre>
 *   (host/container, EventBatch bytes) ──keyBy(host/container)──► detect ──► alerts
 * </pre>
 *
 * Replay feeds it a {@link CaptureSource} and collects the alerts; the streaming job feeds it
 * Kafka's "events" topic and writes alerts to its sinks.
 */
public final class DetectionJob {

    private DetectionJob() {
    }

    /** Alerts of {@code batches}, detected per (host, container) key. */
    public static DataStream<Alert> detect(DataStream<Tuple2<String, byte[]>> batches, DetectionSettings settings) {
        return batches
                .keyBy(b -> b.f0, org.apache.flink.api.common.typeinfo.Types.STRING)
                .process(new DetectionFunction(settings), JobTypes.ALERT)
                .uid("detect")
                .name("detect: Falco rules over (host, container) state");
    }
}
