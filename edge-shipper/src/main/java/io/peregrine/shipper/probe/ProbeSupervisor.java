package io.peregrine.shipper.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a probe loader running for the shipper: when the loader's stream ends without a stop being
 * asked for (crash, OOM kill, detach), it is restarted with the current event-type selection after
 * a growing pause, and {@code onRestart} is told (the shipper then rescans /proc, since whatever
 * happened in the gap was not seen; the restart count is reported as a drop cause). Frames of the
 * successive loaders come out of {@link #next()} as one stream.
 */
public final class ProbeSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeSupervisor.class);

    private final Path binary;
    private final int ringMb;
    private final int maxRestarts;
    private final IntConsumer onRestart;
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile List<String> types;
    private volatile ProbeProcess current;
    private volatile boolean stopping;

    public ProbeSupervisor(Path binary, Collection<String> types, int ringMb, int maxRestarts, IntConsumer onRestart)
            throws IOException {
        this.binary = binary;
        this.types = new ArrayList<>(types);
        this.ringMb = ringMb;
        this.maxRestarts = maxRestarts;
        this.onRestart = onRestart;
        this.current = ProbeProcess.start(binary, this.types, ringMb);
    }

    /** The next frame of whichever loader is running; null once stopped (or out of restarts). */
    public ProbeFrame next() throws IOException {
        while (true) {
            ProbeFrame f;
            try {
                f = current.frames().next();
            } catch (ProbeFormatException e) {
                if (stopping) {
                    return null;
                }
                LOG.error("probe stream corrupt ({}); restarting the probe", e.getMessage());
                f = null;
            }
            if (f != null) {
                return f;
            }
            current.close();
            if (stopping) {
                return null;
            }
            int n = restarts.incrementAndGet();
            if (n > maxRestarts) {
                LOG.error("probe ended unexpectedly {} times; giving up", n - 1);
                return null;
            }
            long pauseMs = Math.min(10_000, 200L << Math.min(n - 1, 6));
            LOG.error("probe ended unexpectedly; restart {} of at most {} in {} ms", n, maxRestarts, pauseMs);
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            synchronized (this) {
                if (stopping) {
                    return null;
                }
                current = ProbeProcess.start(binary, types, ringMb);
            }
            onRestart.accept(n);
        }
    }

    /** Changes the event types now and for any restarted loader. */
    public synchronized void setTypes(Collection<String> newTypes) throws IOException {
        types = new ArrayList<>(newTypes);
        current.setTypes(types);
    }

    /** Restarts so far. */
    public int restarts() {
        return restarts.get();
    }

    /** The running loader's pid (tests use it to kill it). */
    public long pid() {
        return current.pid();
    }

    /** Asks the loader to stop; {@link #next()} returns the rest of its frames, then null. */
    public synchronized void stop() {
        stopping = true;
        current.stop();
    }

    @Override
    public void close() throws IOException {
        stop();
        current.close();
    }
}
