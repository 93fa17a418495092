/**
 * Whole-host batching: how a host's event stream becomes per-(host, container) batches that a
 * keyed consumer (the Flink job) can interpret without ever seeing the whole host.
 *
 * <h2>Why</h2>
 * The job is keyed by host and container, which splits a host's process tree: a container's first
 * process has its parent (runc, containerd-shim, a shell on the host) under another key, and a
 * thread can change key mid-life (its execve exit moves it into the container's cgroup). The
 * keyed consumer alone would see an unknown parent, and {@code proc.pname}/{@code proc.aname[N]}
 * would differ from sysdig's.
 *
 * <h2>Design</h2>
 * <pre>
 *   event ──► whole-host observer (HostView: thread table of the entire host, updated first)
 *               │  containerOf(event)                  ──► key = (host, container)
 *               │  first time this tid is seen under key ──► snapshot(tid) + related threads not yet
 *               │      sent under key: the process's other threads, then the ancestors
 *               │      (ancestor=true for those living under another key)
 *               ▼
 *          HostBatcher ──► EventBatch{events, processes, fds; users, groups and interfaces on a
 *                          key's first batch}
 * </pre>
 * A batch's snapshots describe the state just before its first event (an event that brings
 * snapshots starts a new batch), so the consumer seeds its tables, then runs the events.
 * Snapshots are taken after the observer applied the event, so a thread that changes key carries
 * its state as of that event; re-applying the event under the new key is idempotent for the
 * state-changing syscalls (execve, clone, open...). A thread that ends ({@link HostView#endsThread})
 * is forgotten, so a reused tid gets a fresh snapshot. Container metadata events go to the key of
 * the container they describe.
 *
 * <p>The same code runs in the edge shipper (observer: its /proc-seeded thread table) and in capture
 * replay (observer: a state engine over the whole capture); it has no Flink dependency. Replay cuts
 * the stream into runs ({@link io.peregrine.batch.HostBatcher.Mode#RUNS}: a key switch closes the
 * batch, so batches in emit order are the stream in order); the shipper keeps one open batch per
 * key ({@link io.peregrine.batch.HostBatcher.Mode#PER_KEY}) closed by event count, estimated bytes
 * (Kafka's record limit) or age (linger), since a live host interleaves its keys event by event and
 * only per-key order matters to the keyed job. Both number each key's batches from 1 (the job skips
 * a repeated {@code (shipperId, sequence)}) and attach capture counters to the next batch out.
 *
 * <h2>Limits</h2>
 * An ancestor's snapshot is not refreshed when the ancestor changes later (e.g. execs again): the
 * keyed consumer keeps the version it first received. Events keep their order within a key; across
 * keys, order is kept only by a sequential consumer of the batches.
 */
package io.peregrine.batch;
