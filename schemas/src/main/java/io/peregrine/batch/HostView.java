package io.peregrine.batch;

import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import java.util.List;

/**
 * What a whole-host observer knows about the host's threads, as the batcher needs it: which key
 * (container) an event belongs to, a thread's current snapshot, and its ancestors. The edge shipper
 * backs it with its /proc-seeded thread table, capture replay with a state engine over the whole
 * capture. Called after the observer has applied the event to its own tables.
 */
public interface HostView {

    /** The container id the event belongs to ({@code ""} for the host). */
    String containerOf(Event event);

    /** The container id a thread snapshot belongs to ({@code ""} for the host). */
    String containerOf(ScapProcess thread);

    /** The thread's current state with its open fds, or null when the observer does not know it. */
    ScapProcess snapshot(long tid);

    /**
     * The other threads a keyed consumer needs to interpret this thread's events: its process's
     * main thread and other threads (the shared fd table, {@code proc.nthreads}), then its ancestors
     * nearest first (parent, grandparent...), as far as the observer knows them. Empty when unknown.
     */
    List<ScapProcess> related(long tid);

    /** Whether the event ends its thread (its tid may be reused by a new thread afterwards). */
    boolean endsThread(Event event);
}
