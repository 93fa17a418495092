package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.shipper.probe.ProbeBinary;
import io.peregrine.shipper.probe.ProbeFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stopped under load and restarted (root, live probe, real broker): every event the probe
 * delivered reaches the topic, compared with the probe's own counters, and the spool stays within
 * its bound. The outage lasts {@code PEREGRINE_OUTAGE_SECONDS} (or -Dperegrine.outageSeconds; default 5,
 * the acceptance run uses 30).
 */
class ShipperOutageLiveTest {

    @Test
    void noEventIsLostWhileKafkaIsAwayAndTheSpoolKeepsItsBound(@TempDir Path spool) throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        int outage = Integer.getInteger("peregrine.outageSeconds",
                Integer.parseInt(System.getenv().getOrDefault("PEREGRINE_OUTAGE_SECONDS", "5")));
        long bound = 256L << 20;
        String topic = "events-outage-live";
        try (TestBroker broker = new TestBroker()) {
            Agent agent = Agent.start(new Agent.Config(ProbeBinary.require(), broker.bootstrap(), topic, null, spool,
                    bound, 500, Duration.ofMillis(100), 64, List.of("chmod", "fchmodat", "execve", "clone", "procexit"),
                    Duration.ofSeconds(3)));
            // Steady load of a syscall the rest of the (shared) machine rarely makes, at a rate the
            // shipper sustains on 2 busy cores, so every loss would be the outage's fault;
            // overload is ProbeOverloadTest's subject.
            Path target = Files.writeString(spool.resolve("chmod-target"), "x"); // the spool only reads seg-*.spool
            Process load = new ProcessBuilder("perl", "-MTime::HiRes=usleep", "-e",
                    "while (1) { chmod(0644, '" + target + "'); usleep(100); }").start();
            try {
                Thread.sleep(2000);
                broker.stop();
                Thread.sleep(outage * 1000L);
                assertThat(agent.outbox().kafkaUp()).isFalse();
                assertThat(agent.outbox().pending()).isPositive();
                broker.start();
                Thread.sleep(2000);
            } finally {
                load.destroy();
                load.waitFor();
            }
            Thread.sleep(500);
            agent.stop(Duration.ofSeconds(60));
            ProbeFrame.Stats probe = agent.shipper().lastProbeStats();

            Set<String> unique = new HashSet<>();
            long total = 0;
            for (var r : OutboxKafkaTest.consume(broker.bootstrap(), topic, Integer.MAX_VALUE)) {
                EventBatch b = OutboxKafkaTest.decode(r.value());
                for (SyscallEvent e : b.getEvents()) {
                    total++;
                    unique.add(e.getTid() + ":" + e.getTs() + ":" + e.getType());
                }
            }
            System.out.printf("outage %ds: probe frames_out=%d ring drops=%d shipped(unique)=%d shipped(total)=%d "
                    + "spool max=%d bytes (bound %d) dropped by spool=%d%n", outage, probe.get("frames_out"),
                    probe.kernelDrops(), unique.size(), total, agent.outbox().maxSpoolBytes(), bound,
                    agent.outbox().droppedEvents());
            assertThat(agent.outbox().droppedEvents()).isZero();
            assertThat(probe.kernelDrops()).isZero();
            assertThat(agent.outbox().maxSpoolBytes()).isPositive().isLessThanOrEqualTo(bound);
            assertThat((long) unique.size()).isEqualTo(agent.shipper().events()).isEqualTo(probe.get("frames_out"));
        }
    }
}
