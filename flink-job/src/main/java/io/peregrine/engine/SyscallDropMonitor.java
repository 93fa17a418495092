package io.peregrine.engine;

import java.util.Locale;
import java.util.Set;

/**
 * Falco's {@code syscall_event_drops}: once per second of event time, compare the capture counters
 * with the previous check; when events were dropped (or {@code simulate_drops} pretends one was)
 * and the drop ratio exceeds the threshold, count an occurrence and, if the token bucket
 * ({@code rate}, {@code max_burst}) allows, take the configured actions. Pure bookkeeping: the
 * caller performs the actions ({@link Drop#message()}).
 */
public final class SyscallDropMonitor {

    private static final long ONE_SECOND_NS = 1_000_000_000L;

    /** Falco's actions; {@code ignore} takes none. */
    public enum Action { IGNORE, LOG, ALERT, EXIT }

    /** Drops seen at one check, whose actions are to be taken now. */
    public record Drop(long timeNs, long drops) {
        /** Falco's message: "Falco internal: syscall event drop. N system calls dropped in last second." */
        public String message() {
            return RULE + ". " + drops + " system calls dropped in last second.";
        }
    }

    /** The rule name of drop alerts. */
    public static final String RULE = "Falco internal: syscall event drop";

    private final Set<Action> actions;
    private final double threshold;
    private final boolean simulate;
    private final TokenBucket bucket;
    private long nextCheckNs;
    private long lastEvents;
    private long lastDrops;
    private long occurrences;
    private long actionsTaken;

    public SyscallDropMonitor(Set<Action> actions, double threshold, double rate, double maxBurst, boolean simulate) {
        this.actions = Set.copyOf(actions);
        this.threshold = simulate ? 0 : threshold;
        this.simulate = simulate;
        this.bucket = new TokenBucket(rate, maxBurst);
    }

    /**
     * Called for every event with the capture counters so far; returns the drop whose actions
     * must be taken now, or null.
     */
    public Drop onEvent(long timeNs, long totalEvents, long totalDrops) {
        if (nextCheckNs == 0) {
            nextCheckNs = timeNs + ONE_SECOND_NS;
        }
        if (nextCheckNs >= timeNs) {
            return null;
        }
        nextCheckNs = timeNs + ONE_SECOND_NS;
        long events = totalEvents - lastEvents;
        long drops = totalDrops - lastDrops;
        lastEvents = totalEvents;
        lastDrops = totalDrops;
        if (simulate) {
            drops++;
        }
        if (drops <= 0 || (double) drops / events <= threshold) {
            return null;
        }
        occurrences++;
        if (!bucket.claim(timeNs)) {
            return null;
        }
        actionsTaken++;
        return new Drop(timeNs, drops);
    }

    public boolean takes(Action action) {
        return actions.contains(action);
    }

    /** Falco's closing lines (stderr). */
    public String stats() {
        return String.format(Locale.ROOT, "Syscall event drop monitoring:%n   - event drop detected: %d occurrences%n"
                + "   - num times actions taken: %d%n", occurrences, actionsTaken);
    }

    public long occurrences() {
        return occurrences;
    }

    public long actionsTaken() {
        return actionsTaken;
    }

    /** A bucket of {@code maxTokens} refilled at {@code rate} tokens per second of event time; starts full. */
    static final class TokenBucket {
        private final double rate;
        private final double maxTokens;
        private double tokens;
        private long lastNs = -1;

        TokenBucket(double rate, double maxTokens) {
            this.rate = rate;
            this.maxTokens = maxTokens;
            this.tokens = maxTokens;
        }

        boolean claim(long nowNs) {
            if (lastNs >= 0) {
                tokens = Math.min(maxTokens, tokens + (nowNs - lastNs) / 1e9 * rate);
            }
            lastNs = nowNs;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
