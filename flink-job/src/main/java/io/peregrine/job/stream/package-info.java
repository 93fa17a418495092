/**
 * The detection operator and the production job around it. {@link io.peregrine.job.stream.DetectionGraph}
 * (keyBy host/container, {@link io.peregrine.job.stream.StreamDetectionFunction} with the ruleset
 * broadcast, dead letters) is the one graph every path runs: {@link io.peregrine.job.stream.StreamingJob}
 * feeds it from Kafka and writes its outputs to Kafka; the replay ({@code io.peregrine.job.ReplayJob})
 * feeds it a capture and collects its outputs.
 */
package io.peregrine.job.stream;
