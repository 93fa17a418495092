package io.peregrine.shipper.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running probe loader: its frames on stdout, control lines to its stdin, its stderr to the log.
 * Closing it closes the loader's stdin, which makes the loader drain, report final stats and exit.
 */
public final class ProbeProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeProcess.class);

    private final Process process;
    private final FrameReader frames;
    private final OutputStream control;

    private ProbeProcess(Process process) {
        this.process = process;
        this.frames = new FrameReader(process.getInputStream());
        this.control = process.getOutputStream();
        Thread errs = new Thread(this::pumpStderr, "probe-stderr");
        errs.setDaemon(true);
        errs.start();
    }

    /**
     * Starts the loader.
     *
     * @param types libscap event type names to capture, or empty for all of them
     */
    public static ProbeProcess start(Path binary, Collection<String> types, int ringMb) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--types");
        cmd.add(types.isEmpty() ? "all" : String.join(",", types));
        cmd.add("--ring-mb");
        cmd.add(Integer.toString(ringMb));
        cmd.add("--ignore-pid"); // our own syscalls would feed back into the stream
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        LOG.info("starting probe: {}", cmd);
        return new ProbeProcess(new ProcessBuilder(cmd).start());
    }

    /** The loader's frames; {@code next()} returns null once it exits. */
    public FrameReader frames() {
        return frames;
    }

    /** Changes the captured event types (the loader answers with a TYPES frame). */
    public synchronized void setTypes(Collection<String> types) throws IOException {
        send("types " + (types.isEmpty() ? "all" : String.join(",", types)));
    }

    /** Asks for a STATS frame now. */
    public synchronized void requestStats() throws IOException {
        send("stats");
    }

    private void send(String line) throws IOException {
        control.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        control.flush();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private void pumpStderr() {
        try (var r = process.errorReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                LOG.warn("probe: {}", line);
            }
        } catch (IOException e) {
            LOG.debug("probe stderr closed", e);
        }
    }

    /** Asks the loader to stop (end of control input) without waiting. */
    public void stop() {
        try {
            control.close();
        } catch (IOException e) {
            LOG.debug("closing probe control", e);
        }
    }

    /** Stops the loader; its remaining frames stay readable until the stream ends. */
    @Override
    public void close() throws IOException {
        stop();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("probe did not stop within 10 s, killing pid {}", process.pid());
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
