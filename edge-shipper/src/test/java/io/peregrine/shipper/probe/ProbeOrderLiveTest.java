package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe writes events in timestamp order, as libscap hands them to libsinsp: several processes
 * opening files at once on every CPU still give a stream whose timestamps do not go back, except
 * for events the probe reports as late ({@code reorder_late}).
 */
class ProbeOrderLiveTest {

    @Test
    void eventsFromAllCpusComeInTimestampOrder(@TempDir Path dir) throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, /sys/kernel/btf/vmlinux and make -C probe");
        Path file = Files.writeString(dir.resolve("f"), "x");
        List<Long> timestamps = new ArrayList<>();
        ProbeFrame.Stats last = null;
        try (ProbeProcess probe = ProbeProcess.start(ProbeBinary.require(), List.of("openat", "close"), 16)) {
            ProbeFrame f;
            while (!((f = probe.frames().next()) instanceof ProbeFrame.Types)) {
                assertThat(f).isNotNull();
            }
            List<Process> storms = new ArrayList<>();
            int cpus = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < Math.max(2, cpus); i++) {
                storms.add(new ProcessBuilder("bash", "-c", "for i in $(seq 1 300); do : < " + file + "; done").start());
            }
            for (Process p : storms) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            probe.stop();
            for (f = probe.frames().next(); f != null; f = probe.frames().next()) {
                if (f instanceof ProbeFrame.EventFrame e) {
                    timestamps.add(e.event().timestampNs());
                } else if (f instanceof ProbeFrame.Stats s) {
                    last = s;
                }
            }
        }
        assertThat(timestamps).hasSizeGreaterThan(1000);
        long behind = 0;
        long newest = 0;
        for (long ts : timestamps) {
            if (ts < newest) {
                behind++;
            }
            newest = Math.max(newest, ts);
        }
        // An event can only come out of order if its CPU was held up longer than the reorder window
        // (possible on an overloaded host); then the probe counts it, so nothing is out of order silently.
        assertThat(last).isNotNull();
        assertThat(behind).isEqualTo(last.get("reorder_late"));
        assertThat(behind).isLessThanOrEqualTo(timestamps.size() / 1000);
    }
}
