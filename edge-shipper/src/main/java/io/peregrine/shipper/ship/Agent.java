package io.peregrine.shipper.ship;

import io.peregrine.batch.HostBatcher;
import io.peregrine.shipper.probe.ProbeFrame;
import io.peregrine.shipper.probe.ProbeSupervisor;
import io.peregrine.shipper.proc.HostTables;
import io.peregrine.shipper.proc.ProcScanner;
import io.peregrine.shipper.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole host agent wired together: probe, /proc snapshot, thread table, batcher, outbox (spool
 * + Kafka) and control listener. {@link #start} returns once the probe is attached; {@link #stop}
 * flushes everything (open batches to the spool, the spool to Kafka within the timeout).
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int MAX_PROBE_RESTARTS = 20;

    /** How the agent runs. */
    public record Config(Path probeBinary, String bootstrap, String topic, String controlTopic, Path spoolDir,
            long spoolMaxBytes, int batchEvents, Duration linger, int ringMb, List<String> types,
            Duration sendTimeout) {
    }

    private final ProbeSupervisor probe;
    private final Outbox outbox;
    private final ControlListener control;
    private final Shipper shipper;
    private final Thread loop;
    private volatile Throwable failure;

    private Agent(ProbeSupervisor probe, Outbox outbox, ControlListener control, Shipper shipper) {
        this.probe = probe;
        this.outbox = outbox;
        this.control = control;
        this.shipper = shipper;
        this.loop = new Thread(() -> {
            try {
                shipper.run();
            } catch (Throwable t) {
                failure = t;
                LOG.error("shipper loop failed", t);
            }
        }, "shipper");
    }

    public static Agent start(Config c) throws IOException {
        ProcScanner scanner = new ProcScanner();
        Shipper[] shipperRef = new Shipper[1];
        // A restarted probe missed whatever happened while it was down: rescan /proc (shipper thread).
        ProbeSupervisor probe = new ProbeSupervisor(c.probeBinary(), c.types(), c.ringMb(), MAX_PROBE_RESTARTS,
                n -> shipperRef[0].probeRestarted(scanner.scan()));
        long bootOffset = 0;
        for (ProbeFrame f = probe.next(); !(f instanceof ProbeFrame.Types); f = probe.next()) {
            if (f == null || probe.restarts() > 0) {
                probe.close();
                throw new IOException("the probe exited before it was attached (see its messages above)");
            }
            if (f instanceof ProbeFrame.Hello h) {
                bootOffset = h.bootOffsetNs();
            }
        }
        ThreadTable threads = new ThreadTable(scanner, scanner.scan());
        String host = HostTables.hostname();
        Outbox outbox = new Outbox(new Spool(c.spoolDir(), c.spoolMaxBytes(), 8L << 20, false),
                KafkaProducers.events(c.bootstrap(), "peregrine-shipper-" + host, c.sendTimeout()), c.topic(),
                c.sendTimeout());
        HostBatcher batcher = new HostBatcher(host, host + ":" + UUID.randomUUID(), bootOffset,
                HostBatcher.Mode.PER_KEY, c.batchEvents(), KafkaProducers.MAX_BATCH_BYTES, new ThreadTableView(threads),
                outbox::offer);
        // The job resolves user.name, group.name and fd.lip against these, as libsinsp does with /etc and
        // the interface list; taken once at start, like a capture header.
        batcher.setHostTables(HostTables.users(), HostTables.groups(), HostTables.interfaces());
        ControlListener control = c.controlTopic() == null ? null
                : new ControlListener(c.bootstrap(), c.controlTopic(), probe);
        shipperRef[0] = new Shipper(probe, threads, batcher, outbox, c.linger());
        Agent agent = new Agent(probe, outbox, control, shipperRef[0]);
        agent.loop.start();
        LOG.info("shipping {} threads' events from {} to {} topic {}", threads.size(), host, c.bootstrap(), c.topic());
        return agent;
    }

    /** The probe loader (to check supervision). */
    public ProbeSupervisor probe() {
        return probe;
    }

    public Shipper shipper() {
        return shipper;
    }

    public Outbox outbox() {
        return outbox;
    }

    public ControlListener control() {
        return control;
    }

    /** Waits for the loop (it ends when the probe stops). */
    public void await() throws InterruptedException {
        loop.join();
    }

    /** Stops the probe, flushes open batches, sends the spool within {@code flushTimeout}. */
    public void stop(Duration flushTimeout) throws IOException, InterruptedException {
        shipper.stop();
        loop.join(300_000); // the loop drains what the probe had already sent
        if (control != null) {
            control.close();
        }
        outbox.close(flushTimeout);
        probe.close();
        if (failure != null) {
            throw new IOException("the shipper loop failed", failure);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
