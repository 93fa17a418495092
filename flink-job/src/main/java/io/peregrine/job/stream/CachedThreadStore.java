package io.peregrine.job.stream;

import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.ThreadInfo;
import io.peregrine.state.ThreadStore;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One key's thread table in operator memory, mirrored to keyed state (RocksDB) batch by batch.
 *
 * <pre>
 *   first batch of the key on this task ──► load every thread of the key from keyed state
 *   each event                          ──► reads and writes hit this map only (no RocksDB access)
 *   end of each batch                   ──► flush: put the threads the batch touched, delete the removed
 * </pre>
 *
 * Checkpoint barriers fall between records, so at every checkpoint keyed state holds exactly the
 * tables after the last batch: a restore (or a rescale) reloads them from there. The cache is never
 * ahead of the stored state across a checkpoint, which is what makes it correct under failure.
 *
 * <p>"Touched" means returned by {@link #get} or stored by {@link #put}: the state engine mutates the
 * {@link ThreadInfo} it gets. {@link #peek} and {@link #forEach} do not mark (their callers only read).
 */
final class CachedThreadStore implements ThreadStore {

    /** Where a flush writes: the key's MapState in the job, a map in tests. */
    interface Backing {
        void put(long tid, ThreadInfo thread) throws Exception;

        void remove(long tid) throws Exception;
    }

    /** The table itself; this class only adds the bookkeeping of what a flush must write. */
    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final Set<Long> touched = new HashSet<>();
    private final Set<Long> removed = new HashSet<>();

    /** Adds a thread read from keyed state (not marked: it is already stored). */
    void load(ThreadInfo thread) {
        threads.put(thread);
    }

    @Override
    public ThreadInfo get(long tid) {
        ThreadInfo t = threads.get(tid);
        if (t != null) {
            touched.add(tid);
        }
        return t;
    }

    /** Not marked: the caller promised not to change the thread. */
    @Override
    public ThreadInfo peek(long tid) {
        return threads.get(tid);
    }

    @Override
    public void put(ThreadInfo thread) {
        threads.put(thread);
        touched.add(thread.tid);
        removed.remove(thread.tid);
    }

    @Override
    public void remove(long tid) {
        if (threads.get(tid) != null) {
            threads.remove(tid);
            removed.add(tid);
            touched.remove(tid);
        }
    }

    @Override
    public int size() {
        return threads.size();
    }

    @Override
    public void forEach(Consumer<ThreadInfo> visitor) {
        threads.forEach(visitor);
    }

    /** Writes what changed since the last flush; returns the number of state writes. */
    int flush(Backing backing) throws Exception {
        int writes = 0;
        for (Long tid : removed) {
            backing.remove(tid);
            writes++;
        }
        for (Long tid : touched) {
            ThreadInfo t = threads.get(tid);
            if (t != null) {
                backing.put(tid, t);
                writes++;
            }
        }
        removed.clear();
        touched.clear();
        return writes;
    }
}
