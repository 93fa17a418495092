/**
 * Detection, in plain Java (no Flink): {@link io.peregrine.engine.DetectionStep} is the one step
 * every path runs (event in, state updated, Falco's event gate, rules, alerts out).
 *
 * <pre>
 *   capture ──► CaptureBatches (whole-host StateEngine + io.peregrine.batch.HostBatcher)
 *                  │ EventBatch per (host, container): events + snapshots + ancestry
 *                  ▼
 *              KeyedDetection (one StateEngine + DetectionStep per key) ──► Alert
 * </pre>
 *
 * The Flink job ({@code io.peregrine.job}) only moves batches to the right
 * {@link io.peregrine.engine.KeyedDetection}; {@link io.peregrine.engine.LocalReplay} does the same
 * in one thread, and {@link io.peregrine.engine.WholeHostReplay} runs the step over one state engine
 * for the whole capture (Falco's model, the reference the keyed paths are tested against with
 * {@link io.peregrine.engine.ParityRules}).
 */
package io.peregrine.engine;
