package io.peregrine.sink;

import io.peregrine.output.Alert;
import java.util.List;

/** Several sinks behind one: every alert goes to each, in order (Falco's list of outputs). */
public final class FanOutSink implements AlertSink {

    private final List<AlertSink> sinks;
    private final SinkCounters counters = new SinkCounters();

    public FanOutSink(List<AlertSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    public List<AlertSink> sinks() {
        return sinks;
    }

    @Override
    public String name() {
        return "fan-out";
    }

    /** Hands the alert to every sink; each counts its own deliveries. */
    @Override
    public void accept(Alert alert) {
        counters.accepted();
        for (AlertSink sink : sinks) {
            sink.accept(alert);
        }
        counters.sent();
    }

    @Override
    public void flush() {
        sinks.forEach(AlertSink::flush);
    }

    /** Closes every sink, even when one of them throws. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AlertSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Alerts handed on; per-sink outcomes are in each sink's own counters. */
    @Override
    public SinkCounters counters() {
        return counters;
    }
}
