package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deliberate overload (root, live kernel): a 1 MiB ring and a reader that stalls while a shell
 * storms openat/close. Losses must show up in the stream's counters, and every record that made it
 * into the ring must come out as a frame.
 */
class ProbeOverloadTest {

    @Test
    void ringBufferLossUnderOverloadIsCountedInTheStream() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        long events = 0;
        ProbeFrame.Stats last = null;
        try (ProbeProcess probe = ProbeProcess.start(ProbeBinary.require(), List.of("openat", "close"), 1)) {
            while (!(probe.frames().next() instanceof ProbeFrame.Types)) {
                // wait until attached
            }
            // Nobody reads the stream while the storm runs: the pipe and the loader stall, the ring overflows.
            Process storm = new ProcessBuilder("bash", "-c", "for i in $(seq 60000); do : < /dev/null; done").start();
            assertThat(storm.waitFor(120, TimeUnit.SECONDS)).isTrue();
            probe.stop();
            for (ProbeFrame f = probe.frames().next(); f != null; f = probe.frames().next()) {
                if (f instanceof ProbeFrame.EventFrame) {
                    events++;
                } else if (f instanceof ProbeFrame.Stats s) {
                    last = s;
                }
            }
        }
        assertThat(last).isNotNull();
        System.out.printf("overload: records=%d drops_ring_full=%d frames_out=%d events_read=%d%n",
                last.get("records"), last.get("drops_ring_full"), last.get("frames_out"), events);
        assertThat(last.get("drops_ring_full")).isPositive();
        assertThat(last.get("frames_out")).isEqualTo(last.get("records"));
        assertThat(events).isEqualTo(last.get("frames_out"));
    }
}
