package io.peregrine.job.stream;

import io.peregrine.state.StateEngine;

/**
 * When one key's table is purged of inactive threads, on the key's own event time (the batches'
 * timestamps, so a replayed or delayed stream expires exactly as a live one): libsinsp's schedule,
 * a scan every two thirds of the timeout (its defaults: threads idle 1800 s, a scan every 1200 s),
 * the first one a scan interval after the key's first batch on this task. The removals go through
 * the key's {@link CachedThreadStore}, so the batch's flush deletes them from keyed state. Like
 * libsinsp, only a live stream purges: replays of capture files run without expiry (timeout 0).
 */
final class ThreadExpiry {

    /** libsinsp's thread_timeout_s (the default of the job's {@code thread-timeout-ms}). */
    static final long DEFAULT_TIMEOUT_MS = 1_800_000L;

    private final long timeoutNs;
    private final long scanIntervalNs;
    private long nextScanNs = Long.MIN_VALUE;

    /** @param timeoutMs inactivity after which a thread goes; 0 or less never expires threads */
    ThreadExpiry(long timeoutMs) {
        this.timeoutNs = timeoutMs <= 0 ? 0 : Math.multiplyExact(timeoutMs, 1_000_000L);
        this.scanIntervalNs = Math.max(1, timeoutNs / 3 * 2);
    }

    /** Runs a scan when one is due at {@code nowNs}; returns the number of threads removed. */
    int afterBatch(StateEngine state, long nowNs) {
        if (timeoutNs == 0) {
            return 0;
        }
        if (nextScanNs == Long.MIN_VALUE) {
            nextScanNs = nowNs + scanIntervalNs;
            return 0;
        }
        if (nowNs < nextScanNs) {
            return 0;
        }
        nextScanNs = nowNs + scanIntervalNs;
        return state.expireInactive(nowNs, timeoutNs);
    }
}
