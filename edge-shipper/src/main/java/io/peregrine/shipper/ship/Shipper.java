package io.peregrine.shipper.ship;

import io.peregrine.batch.HostBatcher;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.shipper.probe.ProbeFrame;
import io.peregrine.shipper.probe.ProbeSupervisor;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's main loop: probe frames in, thread table kept current, events batched per host and
 * container, batches out through the outbox, capture counters attached as they arrive. Ends when
 * the probe's stream ends (after {@link #stop()}); everything still open is then flushed.
 */
public final class Shipper {

    private final ProbeSupervisor probe;
    private final ThreadTable threads;
    private final HostBatcher batcher;
    private final Outbox outbox;
    private final Duration linger;
    private final StatsTracker stats = new StatsTracker();
    private final AtomicLong events = new AtomicLong();
    private volatile ProbeFrame.Stats lastProbeStats;
    private ProbeFrame.Stats restartBase = new ProbeFrame.Stats(0, java.util.Map.of());

    public Shipper(ProbeSupervisor probe, ThreadTable threads, HostBatcher batcher, Outbox outbox, Duration linger) {
        this.probe = probe;
        this.threads = threads;
        this.batcher = batcher;
        this.outbox = outbox;
        this.linger = linger;
    }

    /** Runs until the probe's stream ends; returns the number of events shipped. */
    public long run() throws IOException {
        for (ProbeFrame f = probe.next(); f != null; f = probe.next()) {
            long now = System.nanoTime();
            if (f instanceof ProbeFrame.EventFrame ef) {
                Event e = ef.event();
                threads.apply(e);
                batcher.add(e, now);
                events.incrementAndGet();
                EventInfo info = e.info();
                if (info != null && info.name().equals("procexit")) {
                    threads.remove(e.threadId());
                }
            } else if (f instanceof ProbeFrame.Stats s) {
                // A restarted probe counts from zero again: carry the totals of the ones before it.
                ProbeFrame.Stats total = restartBase.plus(s);
                lastProbeStats = total;
                batcher.attachStats(stats.period(total, outbox.droppedEvents(), events.get(), s.timestampNs(),
                        probe.restarts()));
            }
            batcher.flushOlderThan(linger.toNanos(), now);
        }
        batcher.flush();
        return events.get();
    }

    /** A new loader replaced a dead one: its counters start from the last totals, the threads are rescanned. */
    public void probeRestarted(java.util.List<io.peregrine.capture.ScapProcess> rescan) {
        if (lastProbeStats != null) {
            restartBase = lastProbeStats;
        }
        threads.reseed(rescan);
    }

    /** Asks the probe to stop; {@link #run()} then drains and returns. */
    public void stop() {
        probe.stop();
    }

    public long events() {
        return events.get();
    }

    /** The probe's latest counters (null before the first stats frame). */
    public ProbeFrame.Stats lastProbeStats() {
        return lastProbeStats;
    }
}
