package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Falco's {@code syslog_output}: each alert line goes to syslog with facility user and the
 * alert's priority as the syslog level (Falco's priority numbers are syslog's levels), tagged
 * "falco" by default so existing rsyslog and journald filters keep matching.
 *
 * <p>The JVM cannot write to /dev/log (a Unix datagram socket), so this sink feeds util-linux's
 * {@code logger}: one long-lived {@code logger -p user.LEVEL} per priority in use, started on the
 * first alert of that priority and restarted if it dies ({@link ProgramSink} with keep_alive).
 */
public final class SyslogSink implements AlertSink {

    private static final Map<Priority, String> LEVELS = Map.of(
            Priority.EMERGENCY, "emerg", Priority.ALERT, "alert", Priority.CRITICAL, "crit", Priority.ERROR, "err",
            Priority.WARNING, "warning", Priority.NOTICE, "notice", Priority.INFORMATIONAL, "info",
            Priority.DEBUG, "debug");

    private final String tag;
    private final List<String> loggerArguments;
    private final AlertFormatter formatter;
    private final Map<Priority, ProgramSink> loggers = new EnumMap<>(Priority.class);
    private final SinkCounters counters = new SinkCounters();

    /** Local syslog, tagged {@code tag}. */
    public SyslogSink(String tag, AlertFormatter formatter) {
        this(tag, List.of(), formatter);
    }

    /**
     * @param loggerArguments extra {@code logger} options choosing the destination, e.g.
     *     {@code -d -n 127.0.0.1 -P 514} for a remote UDP syslog; empty for the local one
     */
    public SyslogSink(String tag, List<String> loggerArguments, AlertFormatter formatter) {
        if (tag == null || tag.isBlank() || !tag.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("syslog_output.tag must be a plain word: " + tag);
        }
        for (String argument : loggerArguments) {
            if (!argument.matches("[A-Za-z0-9._:/=-]+")) {
                throw new IllegalArgumentException("unsafe logger argument: " + argument);
            }
        }
        this.tag = tag;
        this.loggerArguments = List.copyOf(loggerArguments);
        this.formatter = formatter;
    }

    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public synchronized void accept(Alert alert) {
        counters.accepted();
        ProgramSink logger = loggers.computeIfAbsent(alert.priority(), this::startLogger);
        SinkCounters.Snapshot before = logger.counters().snapshot();
        logger.accept(alert);
        SinkCounters.Snapshot after = logger.counters().snapshot();
        if (after.sent() > before.sent()) {
            counters.sent();
        } else {
            counters.failed();
        }
        for (long i = before.restarts(); i < after.restarts(); i++) {
            counters.restarted();
        }
    }

    private ProgramSink startLogger(Priority priority) {
        List<String> command = new ArrayList<>(List.of("logger", "--socket-errors=off", "-t", tag,
                "-p", "user." + LEVELS.get(priority)));
        command.addAll(loggerArguments);
        // Each line read from stdin becomes one syslog message.
        return new ProgramSink(String.join(" ", command), formatter, true);
    }

    @Override
    public synchronized void flush() {
        loggers.values().forEach(ProgramSink::flush);
    }

    @Override
    public synchronized void close() {
        loggers.values().forEach(ProgramSink::close);
        loggers.clear();
    }

    @Override
    public SinkCounters counters() {
        return counters;
    }
}
