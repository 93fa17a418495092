package io.peregrine.sink;

import io.peregrine.output.Alert;
import io.peregrine.output.AlertFormatter;
import io.peregrine.output.Priority;
import java.io.PrintStream;

/**
 * Falco's {@code stdout_output}: one line per alert. Text lines are coloured by priority when
 * asked to (by default when standard output is a terminal); JSON lines never are, so pipes to jq
 * and log shippers get clean JSON. Unless buffered, every line is flushed at once, as Falco does
 * with {@code buffered_outputs: false}.
 */
public final class StdoutSink implements AlertSink {

    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final AlertFormatter formatter;
    private final boolean colour;
    private final boolean buffered;
    private final SinkCounters counters = new SinkCounters();

    public StdoutSink(PrintStream out, AlertFormatter formatter, boolean colour, boolean buffered) {
        this.out = out;
        this.formatter = formatter;
        this.colour = colour && !formatter.format().json();
        this.buffered = buffered;
    }

    /** Standard output, coloured when it is a terminal. */
    public static StdoutSink toConsole(AlertFormatter formatter, boolean buffered) {
        return new StdoutSink(System.out, formatter, System.console() != null, buffered);
    }

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public void accept(Alert alert) {
        counters.accepted();
        String line = formatter.line(alert);
        out.print(colour ? colourOf(alert.priority()) + line + RESET + "\n" : line + "\n");
        // checkError() flushes, so buffered output counts lines as sent and reports errors on flush.
        if (!buffered && out.checkError()) {
            counters.failed();
        } else {
            counters.sent();
        }
    }

    /** The ANSI colour for a priority: reds for the urgent ones, fading to grey for debug. */
    static String colourOf(Priority priority) {
        return switch (priority) {
            case EMERGENCY, ALERT -> "\u001b[1;41;97m";
            case CRITICAL -> "\u001b[1;31m";
            case ERROR -> "\u001b[31m";
            case WARNING -> "\u001b[33m";
            case NOTICE -> "\u001b[36m";
            case INFORMATIONAL -> "\u001b[32m";
            case DEBUG -> "\u001b[90m";
        };
    }

    @Override
    public void flush() {
        if (out.checkError()) {
            counters.failed();
        }
    }

    @Override
    public void close() {
        flush();
    }

    @Override
    public SinkCounters counters() {
        return counters;
    }
}
