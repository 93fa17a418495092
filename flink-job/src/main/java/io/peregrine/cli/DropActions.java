package io.peregrine.cli;

import io.peregrine.capture.CaptureFormatException;
import io.peregrine.capture.ScapReader;
import io.peregrine.engine.SyscallDropMonitor;
import io.peregrine.event.Event;
import io.peregrine.output.Alert;
import io.peregrine.output.Priority;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The syscall-drop actions of a replay, planned by one pass over the capture's timestamps (a
 * capture's counters never change, so drops only come from {@code simulate_drops}) and released
 * in time order among the rule alerts: logs to stderr, "Falco internal" alerts to the outputs, and
 * the exit that ends the run.
 */
final class DropActions {

    private final ArrayDeque<SyscallDropMonitor.Drop> pending = new ArrayDeque<>();
    private final SyscallDropMonitor monitor;
    private long exitAtNs = Long.MAX_VALUE;
    private boolean exited;

    private DropActions(SyscallDropMonitor monitor) {
        this.monitor = monitor;
    }

    /** Runs the monitor over the capture's events; none planned without a monitor or simulation. */
    static DropActions plan(Path capture, SyscallDropMonitor monitor) throws CaptureFormatException {
        DropActions plan = new DropActions(monitor);
        if (monitor == null) {
            return plan;
        }
        try (ScapReader reader = ScapReader.open(capture)) {
            for (Event e; (e = reader.next()) != null; ) {
                SyscallDropMonitor.Drop drop = monitor.onEvent(e.timestampNs(), 0, 0);
                if (drop != null) {
                    plan.pending.add(drop);
                    if (monitor.takes(SyscallDropMonitor.Action.EXIT)) {
                        plan.exitAtNs = drop.timeNs();
                        break;
                    }
                }
            }
        }
        return plan;
    }

    /** Whether the run stopped (exit action) before an event at {@code timeNs}. */
    boolean stopsBefore(long timeNs) {
        return timeNs > exitAtNs;
    }

    /** Takes the actions of every drop up to {@code timeNs}. */
    void releaseUntil(long timeNs, Consumer<String> log, Consumer<Alert> alerts) {
        while (!pending.isEmpty() && pending.peek().timeNs() <= timeNs) {
            SyscallDropMonitor.Drop d = pending.poll();
            if (monitor.takes(SyscallDropMonitor.Action.LOG)) {
                log.accept(d.message());
            }
            if (monitor.takes(SyscallDropMonitor.Action.ALERT)) {
                alerts.accept(Alert.builder().timeNs(d.timeNs()).rule(SyscallDropMonitor.RULE)
                        .priority(Priority.DEBUG).output(d.message()).field("n_drops", Long.toString(d.drops()))
                        .build());
            }
            if (monitor.takes(SyscallDropMonitor.Action.EXIT)) {
                log.accept(d.message());
                log.accept("Exiting.");
                exited = true;
            }
        }
    }

    boolean exited() {
        return exited;
    }
}
