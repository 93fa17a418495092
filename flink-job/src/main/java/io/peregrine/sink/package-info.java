/**
 * Where alerts go, under falco.yaml's names: stdout, syslog, file (with rotation), program and
 * HTTP(S) webhook, each an {@link io.peregrine.sink.AlertSink} that counts accepted, sent, failed
 * and dropped alerts and never throws for a delivery problem. {@link io.peregrine.sink.SinksConfig}
 * reads the falco.yaml sections and builds them; it is serialisable, so Flink tasks build their
 * sinks in {@code open()}. No Flink here.
 */
package io.peregrine.sink;
