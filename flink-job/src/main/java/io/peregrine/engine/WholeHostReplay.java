package io.peregrine.engine;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.output.Alert;
import io.peregrine.state.CaptureLoader;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.StateEngine;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Falco's own model: one state engine sees the whole capture, and the detection step runs on it
 * directly, without batching or keys. The reference the keyed paths are compared with.
 */
public final class WholeHostReplay {

    private WholeHostReplay() {
    }

    /** Replays {@code capture}; alerts go to {@code out} in capture order. Returns events read. */
    public static long run(Path capture, DetectionRules rules, DetectionSettings settings, Consumer<Alert> out)
            throws CaptureFormatException {
        try (ScapReader reader = ScapReader.open(capture)) {
            StateEngine state = new StateEngine(new InMemoryThreadStore());
            DetectionStep step = DetectionStep.of(state, rules, settings);
            boolean loaded = false;
            long count = 0;
            for (Event e; (e = reader.next()) != null; ) {
                if (!loaded) {
                    CaptureLoader.load(reader, state);
                    loaded = true;
                }
                step.process(e, out);
                count++;
            }
            return count;
        }
    }
}
