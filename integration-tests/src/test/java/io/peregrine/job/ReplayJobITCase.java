package io.peregrine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.ParityRules;
import io.peregrine.engine.WholeHostReplay;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.InputBatch;
import io.peregrine.output.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production detection graph on a local MiniCluster fed by the replay's bounded sources (capture,
 * ruleset): on every corpus capture with containers, field values through the keyed graph equal
 * those of one state engine over the whole capture — nothing is lost at key boundaries; RocksDB
 * and the hashmap backend give the same alerts; batches the operator cannot use are reported with
 * their reason.
 */
class ReplayJobITCase {

    static Path corpus() {
        String prop = System.getProperty("peregrine.corpus");
        return prop != null && !prop.isEmpty() && !prop.contains("${") ? Path.of(prop) : Path.of("/work/shared/corpus");
    }

    /** Captures whose events include container ones (SCAP_TABLE.tsv's containers column). */
    static Stream<Path> capturesWithContainers() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus().resolve("SCAP_TABLE.tsv"))) {
            String[] cells = line.split("\t", -1);
            if (cells.length > 11 && cells[0].endsWith(".scap") && !cells[11].equals("none") && !cells[11].isEmpty()) {
                out.add(corpus().resolve(cells[0]));
            }
        }
        assertFalse(out.isEmpty(), "no capture with containers in " + corpus());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturesWithContainers")
    void fieldValuesThroughTheKeyedGraphEqualTheWholeHostEngine(Path capture) throws Exception {
        DetectionSettings settings = ParityRules.settings();
        DetectionRules rules = DetectionRules.load(settings);
        List<Alert> whole = new ArrayList<>();
        WholeHostReplay.run(capture, rules, settings, whole::add);

        List<Alert> graph = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        ReplayJob.run(capture, settings, 8, graph::add, dropped::add);
        assertEquals(List.of(), dropped, "dead letters");

        assertTrue(whole.stream().anyMatch(a -> !"host".equals(a.outputFields().get("container.id"))),
                "the capture has container events");
        assertEquals(whole.size(), graph.size(), "alerts");
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).output(), graph.get(i).output(), "alert " + i);
            assertEquals(whole.get(i).outputFields(), graph.get(i).outputFields(), "alert " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturesWithContainers")
    void rocksDbAndTheHashmapBackendRaiseTheSameAlerts(Path capture) throws Exception {
        DetectionSettings settings = ParityRules.settings();
        List<String> hashmap = new ArrayList<>();
        List<String> rocksdb = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        ReplayJob.run(capture, settings, 4, "hashmap", a -> hashmap.add(a.output() + new TreeMap<>(a.outputFields())),
                dropped::add);
        ReplayJob.run(capture, settings, 4, "rocksdb", a -> rocksdb.add(a.output() + new TreeMap<>(a.outputFields())),
                dropped::add);
        assertFalse(hashmap.isEmpty());
        assertEquals(hashmap, rocksdb);
        assertEquals(List.of(), dropped);
    }

    /** A batch the operator cannot decode is reported with its reason; the others still raise their alerts. */
    @Test
    void deadLettersReachTheCallerWithTheirReason() throws Exception {
        Path capture = capturesWithContainers().findFirst().orElseThrow();
        DetectionSettings settings = ParityRules.settings().withHostname("h");
        List<InputBatch> batches = batches(capture, "h");
        List<Alert> expected = new ArrayList<>();
        ReplayJob.run(capture, settings, 4, expected::add, s -> { });
        batches.add(batches.size() / 2, new InputBatch("h/", new byte[] {7, 7, 7}, "bad.scap", 0, -1));

        List<Alert> alerts = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        StreamExecutionEnvironment env = ReplayJob.environment("hashmap");
        ReplayJob.execute(env, env.fromData(batches, TypeInformation.of(InputBatch.class)), List.of(ruleset(settings)),
                settings, "dead letter", alerts::add, dropped::add);

        assertEquals(1, dropped.size(), dropped.toString());
        assertTrue(dropped.get(0).startsWith("Dropped batch bad.scap-0@-1 (key h/): not an EventBatch"), dropped.get(0));
        assertEquals(expected.stream().map(Alert::output).toList(), alerts.stream().map(Alert::output).toList());
    }

    /**
     * A ruleset the operator refuses leaves every batch waiting; the end of the bounded input turns
     * them into dead letters, and the rejection is reported too: nothing vanishes silently.
     */
    @Test
    void aRejectedRulesetLeavesEveryBatchReportedAtTheEndOfInput() throws Exception {
        Path capture = capturesWithContainers().findFirst().orElseThrow();
        DetectionSettings settings = ParityRules.settings().withHostname("h");
        List<InputBatch> batches = batches(capture, "h");
        byte[] corrupt = ruleset(settings);
        corrupt[corrupt.length - 20] ^= 1;

        List<Alert> alerts = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        StreamExecutionEnvironment env = ReplayJob.environment("hashmap");
        ReplayJob.execute(env, env.fromData(batches, TypeInformation.of(InputBatch.class)), List.of(corrupt), settings,
                "rejected ruleset", alerts::add, dropped::add);

        assertEquals(List.of(), alerts);
        assertEquals(1, dropped.stream().filter(d -> d.startsWith("Ruleset ")).count(), dropped.toString());
        assertEquals(batches.size(), dropped.stream()
                .filter(d -> d.endsWith("the input ended before any ruleset reached the job; the batch was never evaluated"))
                .count(), dropped.toString());
    }

    private static List<InputBatch> batches(Path capture, String host) throws Exception {
        List<InputBatch> out = new ArrayList<>();
        EventBatchCodec codec = new EventBatchCodec();
        CaptureBatches.read(capture, host, 4, b -> out.add(new InputBatch(
                new BatchKey(b.getHost(), b.getContainerId()).asString(), codec.encode(b), "capture", 0, out.size())));
        return out;
    }

    private static byte[] ruleset(DetectionSettings settings) {
        return RulesetRecords.encode(RulesetRecords.fromSources(settings.sources(), null, "test"));
    }
}
