/**
 * Flink glue around the detection engine: the graph ({@link io.peregrine.job.DetectionJob}: keyBy
 * host/container, then the keyed detection operator), the bounded capture source of replay
 * ({@link io.peregrine.job.CaptureSource}, emitting the records Kafka's "events" topic carries),
 * and {@link io.peregrine.job.ReplayJob}, which runs the graph on a local MiniCluster. Only the
 * source and the sink differ from the streaming job. Operators hold no detection logic.
 */
package io.peregrine.job;
