package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The write-back cache writes exactly what a batch touched, once. */
class CachedThreadStoreTest {

    private final List<String> writes = new ArrayList<>();
    private final CachedThreadStore.Backing backing = new CachedThreadStore.Backing() {
        @Override
        public void put(long tid, ThreadInfo thread) {
            writes.add("put " + tid);
        }

        @Override
        public void remove(long tid) {
            writes.add("remove " + tid);
        }
    };

    @Test
    void loadedThreadsAreNotWrittenBackUntilTouched() throws Exception {
        CachedThreadStore store = new CachedThreadStore();
        store.load(ThreadInfo.unknown(1));
        store.load(ThreadInfo.unknown(2));
        assertThat(store.flush(backing)).isZero();
        store.get(2);
        store.get(3);
        assertThat(store.flush(backing)).isEqualTo(1);
        assertThat(writes).containsExactly("put 2");
    }

    @Test
    void aThreadAddedAndRemovedInOneBatchOnlyDeletes() throws Exception {
        CachedThreadStore store = new CachedThreadStore();
        store.put(ThreadInfo.unknown(7));
        store.remove(7);
        store.flush(backing);
        assertThat(writes).containsExactly("remove 7");
        assertThat(store.size()).isZero();
    }

    @Test
    void manyTouchesOfOneThreadInABatchAreOneWrite() throws Exception {
        CachedThreadStore store = new CachedThreadStore();
        store.put(ThreadInfo.unknown(5));
        for (int i = 0; i < 100; i++) {
            store.get(5).comm = "x" + i;
        }
        assertThat(store.flush(backing)).isEqualTo(1);
        assertThat(store.flush(backing)).isZero();
    }

    @Test
    void aThreadOnlyPeekedAtIsNotWrittenBack() throws Exception {
        CachedThreadStore store = new CachedThreadStore();
        store.load(ThreadInfo.unknown(4));
        assertThat(store.peek(4)).isNotNull();
        assertThat(store.peek(9)).isNull();
        assertThat(store.flush(backing)).isZero();
        store.peek(4);
        store.get(4);
        assertThat(store.flush(backing)).isEqualTo(1);
        assertThat(writes).containsExactly("put 4");
    }
}
