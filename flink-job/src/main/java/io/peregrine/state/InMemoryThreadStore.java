package io.peregrine.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A {@link ThreadStore} in a HashMap: replay, tests and benchmarks. */
public final class InMemoryThreadStore implements ThreadStore {

    private final Map<Long, ThreadInfo> threads = new HashMap<>();

    @Override
    public ThreadInfo get(long tid) {
        return threads.get(tid);
    }

    @Override
    public void put(ThreadInfo thread) {
        threads.put(thread.tid, thread);
    }

    @Override
    public void remove(long tid) {
        threads.remove(tid);
    }

    @Override
    public int size() {
        return threads.size();
    }

    @Override
    public void forEach(Consumer<ThreadInfo> visitor) {
        threads.values().forEach(visitor);
    }
}
