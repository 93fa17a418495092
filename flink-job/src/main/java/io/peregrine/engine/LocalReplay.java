package io.peregrine.engine;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.capture.CaptureFormatException;
import io.peregrine.output.Alert;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replay without Flink: the capture's batches (the same {@link CaptureBatches} the job's source
 * emits) go to one {@link KeyedDetection} per (host, container) key in this thread. Everything but
 * the Flink runtime is shared with the job, so it is the fast path for tests and benchmarks.
 */
public final class LocalReplay {

    private final DetectionRules rules;
    private final DetectionSettings settings;
    private final Map<String, KeyedDetection> engines = new HashMap<>();
    private long events;
    private long batches;

    public LocalReplay(DetectionRules rules, DetectionSettings settings) {
        this.rules = rules;
        this.settings = settings;
    }

    /** Replays {@code capture}; alerts go to {@code out} in capture order. Returns events read. */
    public long run(Path capture, int maxEventsPerBatch, Consumer<Alert> out) throws CaptureFormatException {
        long n = CaptureBatches.read(capture, settings.hostname(), maxEventsPerBatch, batch -> apply(batch, out));
        events += n;
        return n;
    }

    /** Routes one batch to its key's detection. */
    public void apply(EventBatch batch, Consumer<Alert> out) {
        batches++;
        String key = new BatchKey(batch.getHost(), batch.getContainerId()).asString();
        engines.computeIfAbsent(key, k -> new KeyedDetection(rules, settings)).apply(batch, out);
    }

    /** The detection of a key ({@code host/container}), or null. */
    public KeyedDetection engine(String key) {
        return engines.get(key);
    }

    public Map<String, KeyedDetection> engines() {
        return Map.copyOf(engines);
    }

    public long events() {
        return events;
    }

    public long batches() {
        return batches;
    }
}
