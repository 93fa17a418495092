/**
 * The replay's Flink glue: the bounded capture source ({@link io.peregrine.job.CaptureSource},
 * emitting the records Kafka's "events" topic carries) and {@link io.peregrine.job.ReplayJob}, which
 * runs the production detection graph ({@link io.peregrine.job.stream.DetectionGraph}) over it on a
 * local MiniCluster with the ruleset as a bounded broadcast source. Only the sources and the sink
 * differ from the streaming job. Operators hold no detection logic.
 */
package io.peregrine.job;
