package io.peregrine.engine;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.HostBatcher;
import io.peregrine.capture.CaptureFormatException;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.state.CaptureLoader;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.StateEngine;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * A capture as the edge shipper would have shipped it: the whole-host observer (a state engine
 * seeded from the capture header and fed every event) and the shared {@link HostBatcher} cut it
 * into per-(host, container) {@link EventBatch}es, pulled one at a time in stream order. The
 * capture source of replay. A malformed capture surfaces as a {@link CaptureReadException}.
 */
public final class CaptureBatches implements Iterator<EventBatch>, AutoCloseable {

    /** Events per batch at most; small enough to stream, large enough to amortise per-batch work. */
    public static final int DEFAULT_MAX_EVENTS = 1024;

    /** A capture that cannot be read further, with the reader's file and offset in the message. */
    public static final class CaptureReadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CaptureReadException(CaptureFormatException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final ScapReader reader;
    private final StateEngine whole = new StateEngine(new InMemoryThreadStore());
    private final HostBatcher batcher;
    private final ArrayDeque<EventBatch> ready = new ArrayDeque<>();
    private boolean loaded;
    private boolean finished;
    private long events;

    private CaptureBatches(ScapReader reader, String host, String shipperId, HostBatcher.Mode mode, int maxEvents) {
        this.reader = reader;
        this.batcher = new HostBatcher(host, shipperId, 0, mode, maxEvents, Long.MAX_VALUE, new StateHostView(whole),
                ready::add);
    }

    /** The capture cut into runs of one key ({@link HostBatcher.Mode#RUNS}): batches in order replay the stream in order. */
    public static CaptureBatches open(Path capture, String host, int maxEvents) throws CaptureFormatException {
        return open(capture, host, HostBatcher.Mode.RUNS, maxEvents);
    }

    /**
     * The capture cut in {@code mode}; {@link HostBatcher.Mode#PER_KEY} cuts it as the edge shipper
     * cuts a live host's stream (one open batch per key), for tests of what the job receives live.
     */
    public static CaptureBatches open(Path capture, String host, HostBatcher.Mode mode, int maxEvents)
            throws CaptureFormatException {
        // The shipper id names the file, not just its name: the job skips a key's batches whose
        // (shipper id, sequence) it already applied, and two captures called alike are not repeats.
        return new CaptureBatches(ScapReader.open(capture), host, "replay:" + capture.toAbsolutePath().normalize(), mode,
                maxEvents);
    }

    /**
     * Reads {@code capture} and hands each batch to {@code out}, in stream order.
     *
     * @return the number of events read
     */
    public static long read(Path capture, String host, int maxEvents, Consumer<EventBatch> out)
            throws CaptureFormatException {
        return read(capture, host, HostBatcher.Mode.RUNS, maxEvents, out);
    }

    /** {@link #read(Path, String, int, Consumer)} with batches cut in {@code mode}. */
    public static long read(Path capture, String host, HostBatcher.Mode mode, int maxEvents, Consumer<EventBatch> out)
            throws CaptureFormatException {
        try (CaptureBatches batches = open(capture, host, mode, maxEvents)) {
            while (batches.hasNext()) {
                out.accept(batches.next());
            }
            return batches.events();
        } catch (CaptureReadException e) {
            throw (CaptureFormatException) e.getCause();
        }
    }

    @Override
    public boolean hasNext() {
        try {
            while (ready.isEmpty() && !finished) {
                Event e = reader.next();
                if (e == null) {
                    batcher.flush();
                    finished = true;
                    break;
                }
                if (!loaded) {
                    load();
                    loaded = true;
                }
                whole.process(e);
                batcher.add(e);
                events++;
            }
        } catch (CaptureFormatException e) {
            throw new CaptureReadException(e);
        }
        return !ready.isEmpty();
    }

    @Override
    public EventBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Events read so far. */
    public long events() {
        return events;
    }

    private void load() {
        CaptureLoader.load(reader, whole);
        batcher.setHostTables(reader.users(), reader.groups(), reader.interfaces());
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (CaptureFormatException e) {
            throw new CaptureReadException(e);
        }
    }
}
