package io.peregrine.shipper.ship;

import io.peregrine.avro.CaptureStats;
import io.peregrine.shipper.probe.ProbeFrame;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the probe's cumulative counters and the shipper's own into per-period {@link CaptureStats}:
 * every loss has a cause ({@code buffer}: ring buffer full, {@code scratch}: record too big,
 * {@code shipper_spool}: spool full), so the job can report it.
 */
public final class StatsTracker {

    private ProbeFrame.Stats previous;
    private long previousSpoolDrops;
    private long previousShipped;
    private int previousRestarts;

    /** The counters since the previous call (the first call covers everything since the probe started). */
    public CaptureStats period(ProbeFrame.Stats now, long spoolDroppedEvents, long eventsShipped, long nowEpochNs) {
        return period(now, spoolDroppedEvents, eventsShipped, nowEpochNs, 0);
    }

    /** As above, with the probe restarts so far (each one is a gap of unknown size, cause {@code probe_restart}). */
    public CaptureStats period(ProbeFrame.Stats now, long spoolDroppedEvents, long eventsShipped, long nowEpochNs,
            int probeRestarts) {
        long start = previous == null ? 0 : previous.timestampNs();
        long ringFull = now.get("drops_ring_full") - (previous == null ? 0 : previous.get("drops_ring_full"));
        long tooBig = now.get("drops_too_big") - (previous == null ? 0 : previous.get("drops_too_big"));
        long records = now.get("records") - (previous == null ? 0 : previous.get("records"));
        long spool = spoolDroppedEvents - previousSpoolDrops;
        long shipped = eventsShipped - previousShipped;
        previous = now;
        previousSpoolDrops = spoolDroppedEvents;
        previousShipped = eventsShipped;
        int restarts = probeRestarts - previousRestarts;
        previousRestarts = probeRestarts;
        Map<String, Long> causes = new LinkedHashMap<>();
        causes.put("buffer", ringFull);
        causes.put("scratch", tooBig);
        causes.put("shipper_spool", spool);
        if (restarts > 0) {
            causes.put("probe_restart", (long) restarts); // a count of gaps, not of events
        }
        return CaptureStats.newBuilder().setPeriodStartTs(start == 0 ? now.timestampNs() : start)
                .setPeriodEndTs(now.timestampNs() == 0 ? nowEpochNs : now.timestampNs()).setEvents(records)
                .setEventsShipped(shipped).setDrops(ringFull + tooBig + spool).setDropsByCause(causes)
                .setPreemptions(0).build();
    }
}
