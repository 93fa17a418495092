package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.output.Alert;
import io.peregrine.state.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's persistence is invisible to detection: a key whose engine is rebuilt from stored
 * tables and identities (users, groups, interfaces) before every batch (as after a failure, a restore or a rescale) raises exactly the alerts
 * of an engine that ran uninterrupted.
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

    @ParameterizedTest
    @MethodSource("captures")
    void rebuildingTheEngineFromStoredTablesBeforeEveryBatchChangesNoAlert(Path capture) throws Exception {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("r.yaml", RULES), "t", null),
                DetectionSettings.of(List.of()));
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", 8, batches::add);

        Map<String, KeyedDetection> uninterrupted = new HashMap<>();
        List<String> expected = new ArrayList<>();
        for (EventBatch b : batches) {
            uninterrupted.computeIfAbsent(key(b), k -> new KeyedDetection(rules.rules(), rules.settings()))
                    .apply(b, a -> expected.add(render(a)));
        }

        Map<String, Map<Long, byte[]>> stored = new HashMap<>();
        Map<String, EventBatch> identities = new HashMap<>();
        List<String> actual = new ArrayList<>();
        for (EventBatch b : batches) {
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
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private static String key(EventBatch b) {
        return b.getHost() + "/" + b.getContainerId();
    }

    private static String render(Alert a) {
        return a.timeNs() + " " + a.rule() + " " + a.output();
    }
}
