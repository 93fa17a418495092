package io.peregrine.sink;

import io.peregrine.output.Alert;

/**
 * Where alerts go: one of Falco's outputs (stdout, file, program, http). A sink never throws for
 * a delivery problem: it counts it in {@link #counters()} and goes on, as Falco's outputs log and
 * continue. Sinks are not serialisable; Flink operators build them in {@code open()} from a
 * {@link SinksConfig}.
 */
public interface AlertSink extends AutoCloseable {

    /** The falco.yaml name of this output ("stdout", "file", "program", "http"). */
    String name();

    /** Hands one alert to the sink; may buffer it. */
    void accept(Alert alert);

    /** Blocks until every accepted alert has been delivered, failed or dropped. */
    void flush();

    /** Flushes, then releases files, processes and threads. Idempotent. */
    @Override
    void close();

    /** What happened to the alerts accepted so far. */
    SinkCounters counters();
}
