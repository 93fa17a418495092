package io.peregrine.shipper.capture;

import io.peregrine.shipper.probe.ProbeBinary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code peregrine capture -w FILE.scap [-n N | --seconds S] [event types...]}. */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Capture live events with the eBPF probe into a libscap capture (sysdig -r reads it).")
public final class CaptureCommand implements Callable<Integer> {

    @Option(names = {"-w", "--write"}, required = true, paramLabel = "FILE.scap", description = "capture file to write")
    Path file;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "stop after N events")
    long count;

    @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds")
    Long seconds;

    @Option(names = "--ring-mb", paramLabel = "MB", defaultValue = "16",
            description = "ring buffer size in MiB, a power of two (default ${DEFAULT-VALUE})")
    int ringMb;

    @Option(names = "--full-events",
            description = "write events newer than sysdig 0.29.3's event table (chown family, prctl, init_module, "
                    + "finit_module, delete_module) with all their parameters; by default they are written as the "
                    + "generic syscall events sysdig 0.29.3's own driver records, so sysdig 0.29.3 reads the capture")
    boolean fullEvents;

    @Parameters(paramLabel = "TYPE", arity = "0..*",
            description = "event types to capture (libscap names, e.g. openat execve connect); default all")
    List<String> types = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LiveCapture capture = new LiveCapture(ProbeBinary.require(), ringMb).fullEvents(fullEvents);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: stop the probe, then hold the JVM until the capture is flushed and closed.
        Thread hook = new Thread(() -> {
            capture.stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "capture-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("peregrine: capturing to " + file + " (Ctrl-C stops)");
        LiveCapture.Summary s;
        try {
            s = capture.run(file, types, count, seconds == null ? null : Duration.ofSeconds(seconds));
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        System.err.printf("peregrine: wrote %d events and %d threads to %s; probe drops: %d (ring full %d, too big %d)%n",
                s.events(), s.processes(), file, s.drops(),
                s.probeStats() == null ? 0 : s.probeStats().get("drops_ring_full"),
                s.probeStats() == null ? 0 : s.probeStats().get("drops_too_big"));
        return 0;
    }
}
