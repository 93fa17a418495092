package io.peregrine.replay;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.fields.EvalContext;
import io.peregrine.state.CaptureLoader;
import io.peregrine.state.EventContext;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.StateEngine;
import java.nio.file.Path;

/**
 * Replays a capture through the state engine, handing each event's context to a consumer: the
 * loop behind {@code peregrine replay}, the differential test and the benchmark.
 */
public final class CaptureReplay {

    /** Receives every event (internal ones only when asked for) with its state. */
    @FunctionalInterface
    public interface Consumer {
        void accept(EventContext context);
    }

    private CaptureReplay() {
    }

    /**
     * Reads {@code capture}, seeds the state from its header and feeds every event to the engine.
     *
     * @param includeInternal whether internal events (procinfo...) reach the consumer, like sysdig -D
     * @return the number of events read
     */
    public static long run(Path capture, boolean includeInternal, Consumer consumer) throws CaptureFormatException {
        return run(capture, includeInternal, true, consumer);
    }

    /**
     * As {@link #run(Path, boolean, Consumer)}. With {@code sysdigCompatible} the replay reproduces
     * sysdig 0.29.3: events whose type is newer than its event table are skipped entirely (it cannot
     * read them, so they are neither numbered nor parsed) and descriptors survive execve even with
     * O_CLOEXEC (its libsinsp never closed them). Without it, every event counts and exec closes
     * close-on-exec descriptors, as the kernel does.
     */
    public static long run(Path capture, boolean includeInternal, boolean sysdigCompatible, Consumer consumer)
            throws CaptureFormatException {
        try (ScapReader reader = ScapReader.open(capture)) {
            StateEngine engine = new StateEngine(new InMemoryThreadStore()).closeOnExec(!sysdigCompatible);
            boolean loaded = false;
            long count = 0;
            boolean leading = true;
            for (Event e; (e = reader.next()) != null; ) {
                if (!loaded) {
                    CaptureLoader.load(reader, engine);
                    loaded = true;
                }
                if (sysdigCompatible && e.type() > EventTable.lastOracleId()) {
                    continue;
                }
                count++;
                EventContext context = engine.process(e);
                // sysdig consumes the container events that open a capture while opening it:
                // they count in evt.num and set up containers, but are never printed.
                boolean container = e.info() != null && e.info().name().equals("container");
                leading = leading && container;
                if (!leading && (includeInternal || !isInternal(e))) {
                    consumer.accept(context);
                }
            }
            return count;
        }
    }

    /** Events sysdig hides without -D. */
    public static boolean isInternal(Event e) {
        EventInfo info = e.info();
        return info == null || info.category().equals("internal");
    }

    /** A consumer that ignores events (state update only). */
    public static void discard(EvalContext context) {
    }
}
