package io.peregrine.job;

import io.peregrine.engine.DetectionSettings;
import io.peregrine.output.Alert;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Replay of a capture through the real detection graph on a local MiniCluster: the capture is a
 * bounded {@link CaptureSource}, alerts are collected back to the caller in order (parallelism 1
 * keeps the capture's order across keys).
 */
public final class ReplayJob {

    private ReplayJob() {
    }

    /** Runs the graph over {@code capture}; every alert goes to {@code out}, in order. */
    public static void run(Path capture, DetectionSettings settings, int maxEventsPerBatch, Consumer<Alert> out)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        DataStream<org.apache.flink.api.java.tuple.Tuple2<String, byte[]>> batches = env
                .fromSource(new CaptureSource(capture, settings.hostname(), maxEventsPerBatch),
                        WatermarkStrategy.noWatermarks(), "capture " + capture.getFileName())
                .uid("capture-source");
        try (CloseableIterator<Alert> alerts = DetectionJob.detect(batches, settings)
                .executeAndCollect("peregrine replay " + capture.getFileName())) {
            while (alerts.hasNext()) {
                out.accept(alerts.next());
            }
        }
    }
}
