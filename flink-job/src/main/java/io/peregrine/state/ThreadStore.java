package io.peregrine.state;

/**
 * Where the thread table lives: an in-memory map for replay and tests, keyed Flink state in the
 * job. Keep it narrow, so that a MapState/RocksDB implementation is a thin adapter.
 */
public interface ThreadStore {

    /** The thread with {@code tid}, or null; the caller may change it. */
    ThreadInfo get(long tid);

    /**
     * The thread with {@code tid}, or null, for a caller that will not change it: a store that
     * writes changed threads back (the job's) need not write this one because of the lookup.
     */
    default ThreadInfo peek(long tid) {
        return get(tid);
    }

    /** Adds or replaces the thread under its tid. */
    void put(ThreadInfo thread);

    /** Forgets the thread. */
    void remove(long tid);

    /** Number of threads held. */
    int size();

    /** Visits every thread (order unspecified). */
    void forEach(java.util.function.Consumer<ThreadInfo> visitor);
}
