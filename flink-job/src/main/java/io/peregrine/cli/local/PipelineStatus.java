package io.peregrine.cli.local;

import io.peregrine.avro.RulesetStatus;

/**
 * The console's status line: events per second over the last reporting window, capture drops
 * (total since start, from the shipper's CaptureStats), alerts printed, and the ruleset in force
 * as the job last reported it on rules-status.
 */
public final class PipelineStatus {

    private long windowEvents;
    private long windowStartNs;
    private double eventsPerSecond;
    private long totalEvents;
    private long drops;
    private long alerts;
    private String ruleset = "none yet";

    public PipelineStatus(long nowNs) {
        windowStartNs = nowNs;
    }

    /** Counts a batch's events and the drops its capture counters report. */
    public void onBatch(BatchCounts.Counts batch) {
        windowEvents += batch.events();
        totalEvents += batch.events();
        drops += batch.drops();
    }

    /** Records what the job said about a ruleset: the version now in force, and whether this one was refused. */
    public void onRulesStatus(RulesetStatus status) {
        String active = status.getActiveVersion() == null ? "none" : status.getActiveVersion().toString();
        ruleset = status.getOk() ? active
                : active + " (" + status.getVersion() + " rejected: " + status.getErrors().size() + " errors)";
    }

    public void onAlert() {
        alerts++;
    }

    /** Closes the rate window when at least a second has passed. */
    public void tick(long nowNs) {
        long elapsed = nowNs - windowStartNs;
        if (elapsed >= 1_000_000_000L) {
            eventsPerSecond = windowEvents * 1e9 / elapsed;
            windowEvents = 0;
            windowStartNs = nowNs;
        }
    }

    public long totalEvents() {
        return totalEvents;
    }

    public String ruleset() {
        return ruleset;
    }

    /** One line, e.g. {@code 1234 events/s | 0 drops | 3 alerts | ruleset 5f2c...}. */
    public String line() {
        return String.format("%.0f events/s | %d events | %d drops | %d alerts | ruleset %s",
                eventsPerSecond, totalEvents, drops, alerts, ruleset);
    }
}
