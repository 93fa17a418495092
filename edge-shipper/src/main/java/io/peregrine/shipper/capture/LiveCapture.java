package io.peregrine.shipper.capture;

import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapWriter;
import io.peregrine.capture.SysdigCompatibility;
import io.peregrine.event.Event;
import io.peregrine.shipper.probe.ProbeFrame;
import io.peregrine.shipper.probe.ProbeProcess;
import io.peregrine.shipper.proc.HostTables;
import io.peregrine.shipper.proc.ProcScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Records what the probe sees into a libscap capture that sysdig reads: the /proc snapshot (taken
 * once the probe is attached, so nothing falls between the two) as the process and fd lists, the
 * host tables, then the events until a count or a duration is reached or {@link #stop()} is called.
 * In sysdig-compatible mode (the default) events newer than sysdig 0.29.3's table (chown,
 * init_module, prctl...) are written as the generic syscall events its own driver records;
 * {@link #fullEvents(boolean)} keeps them as the probe sent them (newer libscap readers, our replay).
 */
public final class LiveCapture {

    /** What a capture wrote, with the probe's final counters (drops included). */
    public record Summary(long events, int processes, ProbeFrame.Stats probeStats) {

        public long drops() {
            return probeStats == null ? 0 : probeStats.kernelDrops();
        }
    }

    private final Path probeBinary;
    private final int ringMb;
    private volatile boolean stopping;
    private boolean fullEvents;
    private final CountDownLatch ready = new CountDownLatch(1);

    public LiveCapture(Path probeBinary, int ringMb) {
        this.probeBinary = probeBinary;
        this.ringMb = ringMb;
    }

    /** Keeps events sysdig 0.29.3 cannot read as they are instead of their generic syscall form. */
    public LiveCapture fullEvents(boolean keep) {
        this.fullEvents = keep;
        return this;
    }

    /** Waits until the probe is attached and the snapshot written; false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends a running capture (from another thread, e.g. on Ctrl-C). */
    public void stop() {
        stopping = true;
    }

    /**
     * Captures into {@code out}.
     *
     * @param types event type names (empty: all the probe supports)
     * @param maxEvents stop after this many events (0: no limit)
     * @param maxTime stop after this long (null: no limit)
     */
    public Summary run(Path out, List<String> types, long maxEvents, Duration maxTime) throws IOException {
        try (ProbeProcess probe = ProbeProcess.start(probeBinary, types, ringMb);
                ScapWriter writer = ScapWriter.create(out)) {
            long bootOffset = 0;
            for (ProbeFrame f = probe.frames().next(); !(f instanceof ProbeFrame.Types); f = probe.frames().next()) {
                if (f == null) {
                    throw new IOException("the probe exited before it was attached (see its messages above)");
                }
                if (f instanceof ProbeFrame.Hello h) {
                    bootOffset = h.bootOffsetNs();
                }
            }
            List<ScapProcess> snapshot = new ProcScanner().scan();
            writer.machineInfo(HostTables.machine(bootOffset)).interfaces(HostTables.interfaces())
                    .users(HostTables.users(), HostTables.groups()).processes(snapshot);
            ready.countDown();

            long deadline = maxTime == null ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos();
            long events = 0;
            ProbeFrame.Stats last = null;
            boolean limitReached = false;
            for (ProbeFrame f = probe.frames().next(); f != null; f = probe.frames().next()) {
                if (f instanceof ProbeFrame.EventFrame ef && !limitReached) {
                    Event e = fullEvents ? ef.event() : SysdigCompatibility.downgrade(ef.event());
                    if (e != null) {
                        writer.write(e);
                    }
                    events++;
                } else if (f instanceof ProbeFrame.Stats s) {
                    last = s;
                }
                if (!limitReached && (stopping || (maxEvents > 0 && events >= maxEvents)
                        || System.nanoTime() >= deadline)) {
                    limitReached = true;
                    probe.stop(); // the probe drains, sends its final stats and closes the stream
                }
            }
            return new Summary(events, snapshot.size(), last);
        }
    }
}
