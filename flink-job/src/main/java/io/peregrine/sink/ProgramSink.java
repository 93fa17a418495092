package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Falco's {@code program_output}: alert lines written to the standard input of a shell command
 * ({@code sh -c}, as popen runs it). With {@code keep_alive: false} (Falco's default) the command
 * runs once per alert and is waited for; with {@code keep_alive: true} one process takes every
 * line, and if it has died it is started again (counted as a restart) and the line is written to
 * the new one. The command's own output goes to ours.
 */
public final class ProgramSink implements AlertSink {

    private final String command;
    private final AlertFormatter formatter;
    private final boolean keepAlive;
    private final Duration exitTimeout;
    private final SinkCounters counters = new SinkCounters();
    private Process process;
    private OutputStream stdin;
    private boolean everStarted;

    public ProgramSink(String command, AlertFormatter formatter, boolean keepAlive) {
        this(command, formatter, keepAlive, Duration.ofSeconds(30));
    }

    /** @param exitTimeout how long to wait for a per-alert command to finish before killing it */
    public ProgramSink(String command, AlertFormatter formatter, boolean keepAlive, Duration exitTimeout) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("program_output.program is empty");
        }
        this.command = command;
        this.formatter = formatter;
        this.keepAlive = keepAlive;
        this.exitTimeout = exitTimeout;
    }

    @Override
    public String name() {
        return "program";
    }

    @Override
    public synchronized void accept(Alert alert) {
        counters.accepted();
        byte[] line = (formatter.line(alert) + "\n").getBytes(StandardCharsets.UTF_8);
        boolean written = write(line) || (keepAlive && restartAndWrite(line));
        if (!keepAlive) {
            written &= finish();
        }
        if (written) {
            counters.sent();
        } else {
            counters.failed();
        }
    }

    private boolean write(byte[] line) {
        try {
            if (process == null || !process.isAlive()) {
                start();
            }
            stdin.write(line);
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean restartAndWrite(byte[] line) {
        stop();
        return write(line);
    }

    private void start() throws IOException {
        stop();
        if (everStarted) {
            counters.restarted();
        }
        everStarted = true;
        process = new ProcessBuilder(List.of("/bin/sh", "-c", command))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        stdin = process.getOutputStream();
    }

    /** Closes stdin and waits for the command, as pclose does; true when it ended in time. */
    private boolean finish() {
        if (process == null) {
            return false;
        }
        Process p = process;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // The command may have exited without reading; its exit is what we wait for.
        }
        process = null;
        stdin = null;
        everStarted = false; // a new process per alert is the plan here, not a restart
        try {
            if (p.waitFor(exitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        return false;
    }

    private void stop() {
        if (process != null) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // Already gone.
            }
            process.destroy();
            process = null;
            stdin = null;
        }
    }

    @Override
    public synchronized void flush() {
        if (stdin != null) {
            try {
                stdin.flush();
            } catch (IOException e) {
                counters.failed();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            finish();
        }
    }

    @Override
    public SinkCounters counters() {
        return counters;
    }
}
