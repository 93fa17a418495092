package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.HostBatcher;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.output.Alert;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.ThreadInfo;
import io.peregrine.state.ThreadStore;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's persistence is invisible to detection: a key whose engine is rebuilt from stored
 * tables and identities (users, groups, interfaces) before every batch (as after a failure, a restore
 * or a rescale) raises exactly the alerts of an engine that ran uninterrupted, and what it stores
 * after each batch is, field for field, the uninterrupted engine's thread table at that point (so
 * nothing a later batch could read lives only in operator memory).
 */
class RestoreEquivalenceTest {

    private static final String RULES = StateProbingRules.yaml();

    static Stream<Path> captures() throws Exception {
        Path corpus = Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("scap/falco", "scap/libs")) {
            try (Stream<Path> files = Files.list(corpus.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".scap")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    /** Every capture cut both ways: in runs (capture replay) and per key (as the edge shipper cuts a live host). */
    static Stream<Arguments> capturesCutBothWays() throws Exception {
        return captures().flatMap(c -> Stream.of(HostBatcher.Mode.values()).map(m -> Arguments.of(c, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("capturesCutBothWays")
    void rebuildingTheEngineFromStoredTablesBeforeEveryBatchChangesNoAlertAndNoTable(Path capture, HostBatcher.Mode mode)
            throws Exception {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("r.yaml", RULES), "t", null),
                DetectionSettings.of(List.of()));
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", mode, 8, batches::add);

        Map<String, KeyedDetection> uninterrupted = new HashMap<>();
        List<String> expected = new ArrayList<>();
        List<Map<Long, String>> uninterruptedAfter = new ArrayList<>();
        for (EventBatch b : batches) {
            KeyedDetection engine = uninterrupted.computeIfAbsent(key(b),
                    k -> new KeyedDetection(rules.rules(), rules.settings()));
            engine.apply(b, a -> expected.add(render(a)));
            uninterruptedAfter.add(tables(engine.state().threads()));
        }

        Map<String, Map<Long, byte[]>> stored = new HashMap<>();
        Map<String, EventBatch> identities = new HashMap<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            EventBatch b = batches.get(i);
            Map<Long, byte[]> table = stored.computeIfAbsent(key(b), k -> new HashMap<>());
            CachedThreadStore store = new CachedThreadStore();
            table.values().forEach(v -> store.load(ThreadCodec.decode(v)));
            KeyedDetection rebuilt = new KeyedDetection(store, rules.rules(), rules.settings());
            EventBatch known = identities.get(key(b));
            if (known != null) {
                rebuilt.apply(known, a -> { });
            }
            if (KeyIdentities.carriesIdentities(b)) {
                identities.put(key(b), KeyIdentities.merge(known, b));
            }
            rebuilt.apply(b, a -> actual.add(render(a)));
            store.flush(new CachedThreadStore.Backing() {
                @Override
                public void put(long tid, ThreadInfo thread) {
                    table.put(tid, ThreadCodec.encode(thread));
                }

                @Override
                public void remove(long tid) {
                    table.remove(tid);
                }
            });
            InMemoryThreadStore storedNow = new InMemoryThreadStore();
            table.values().forEach(v -> storedNow.put(ThreadCodec.decode(v)));
            assertThat(tables(storedNow)).as("%s: stored tables after batch %d (%s #%d)", capture.getFileName(), i, key(b),
                    b.getSequence()).isEqualTo(uninterruptedAfter.get(i));
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** Every thread with every field, fds in fd order: what a detection on the next batch can read. */
    static Map<Long, String> tables(ThreadStore threads) {
        Map<Long, String> out = new TreeMap<>();
        threads.forEach(t -> out.put(t.tid, describe(t)));
        return out;
    }

    private static final Map<Class<?>, List<Field>> FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String describe(Object o) {
        StringBuilder s = new StringBuilder(o.getClass().getSimpleName()).append('{');
        for (Field f : FIELDS.computeIfAbsent(o.getClass(), c -> Arrays.stream(c.getFields())
                .filter(x -> !Modifier.isStatic(x.getModifiers())).toList())) {
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            s.append(f.getName()).append('=').append(value(v)).append(' ');
        }
        return s.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof Map<?, ?> fds) {
            Map<Object, String> sorted = new TreeMap<>();
            fds.forEach((fd, info) -> sorted.put(fd, describe(info)));
            return sorted.toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(e -> e instanceof String[] a ? Arrays.toString(a) : String.valueOf(e)).toList().toString();
        }
        if (v instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        if (v instanceof io.peregrine.event.Event e) {
            return e.timestampNs() + "/" + e.type();
        }
        return String.valueOf(v);
    }

    private static String key(EventBatch b) {
        return b.getHost() + "/" + b.getContainerId();
    }

    private static String render(Alert a) {
        return a.timeNs() + " " + a.rule() + " " + a.output();
    }
}
