package io.peregrine.sink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live delivery counters of one sink: alerts accepted, delivered, failed (given up after retries),
 * dropped (no room in the queue), and retries and restarts along the way. Thread-safe.
 */
public final class SinkCounters {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();

    void accepted() {
        accepted.incrementAndGet();
    }

    void sent() {
        sent.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void retried() {
        retries.incrementAndGet();
    }

    void restarted() {
        restarts.incrementAndGet();
    }

    /** A consistent-enough copy of the counters for reporting. */
    public Snapshot snapshot() {
        return new Snapshot(accepted.get(), sent.get(), failed.get(), dropped.get(), retries.get(), restarts.get());
    }

    /** The counters at one moment. */
    public record Snapshot(long accepted, long sent, long failed, long dropped, long retries, long restarts) {
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
