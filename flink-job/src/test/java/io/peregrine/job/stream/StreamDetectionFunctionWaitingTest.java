package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.engine.ParityRules;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.Alert;
import io.peregrine.state.SyntheticCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches that reach the operator before the first ruleset (the replay's two bounded sources race;
 * a job may start before anything is pushed to the rules topic): they wait, then run with their
 * outputs in arrival order, or are reported as dead letters when the input ends first.
 */
class StreamDetectionFunctionWaitingTest {

    /**
     * Keys run one after the other when the ruleset arrives, yet their alerts come out in the order
     * of their batches' offsets: the order a replay's capture has, whichever source Flink read first.
     */
    @Test
    void waitingBatchesOfSeveralKeysReleaseTheirAlertsInOffsetOrder(@TempDir Path dir) throws Exception {
        Path capture = dir.resolve("synthetic.scap");
        SyntheticCapture.write(capture);
        DetectionSettings settings = ParityRules.settings();
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", 4, batches::add);
        assertThat(batches.stream().map(b -> b.getContainerId().toString()).distinct().count()).isGreaterThan(1);
        LocalReplay offline = new LocalReplay(DetectionRules.load(settings), settings.withHostname("h"));
        List<String> expected = new ArrayList<>();
        batches.forEach(b -> offline.apply(b, a -> expected.add(render(a))));
        assertThat(expected).isNotEmpty();

        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = harness(settings)) {
            feed(harness, batches);
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.processBroadcastElement(RulesetRecords.encode(RulesetRecords.fromSources(settings.sources(), "v", null)), 0);
            assertThat(harness.extractOutputValues().stream().map(StreamDetectionFunctionWaitingTest::render).toList())
                    .containsExactlyElementsOf(expected);
            assertThat(harness.getSideOutput(StreamDetectionFunction.DEAD_LETTERS)).isNullOrEmpty();
        }
    }

    /** No ruleset before the end of input (the final watermark): every waiting batch is a dead letter, with why. */
    @Test
    void batchesStillWaitingWhenTheInputEndsBecomeDeadLetters() throws Exception {
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(RestoreEquivalenceTest.captures().filter(p -> p.toString().endsWith("cat_write.scap"))
                .findFirst().orElseThrow(), "h", 16, batches::add);
        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness =
                     harness(DetectionSettings.of(List.of()))) {
            feed(harness, batches);
            harness.processBroadcastElement(new byte[] {1, 2, 3}, 0);
            harness.processWatermark(Long.MAX_VALUE - 1);
            assertThat(harness.getSideOutput(StreamDetectionFunction.DEAD_LETTERS)).isNullOrEmpty();
            harness.processWatermark(Long.MAX_VALUE);
            harness.processBroadcastWatermark(Long.MAX_VALUE);
            List<DeadLetter> dead = harness.getSideOutput(StreamDetectionFunction.DEAD_LETTERS).stream()
                    .map(r -> r.getValue()).toList();
            assertThat(dead).hasSize(batches.size());
            assertThat(dead).allSatisfy(d -> assertThat(d.reason).contains("the input ended before any ruleset"));
            assertThat(dead.stream().map(d -> d.origin).toList()).startsWith("events-0@0", "events-0@1");
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness(DetectionSettings base)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new StreamDetectionFunction(base, Long.MAX_VALUE / 4, 100), b -> b.key, Types.STRING,
                StreamDetectionFunction.RULESET);
    }

    private static void feed(KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness,
            List<EventBatch> batches) throws Exception {
        EventBatchCodec codec = new EventBatchCodec();
        long offset = 0;
        for (EventBatch b : batches) {
            String key = new BatchKey(b.getHost().toString(), b.getContainerId().toString()).asString();
            harness.processElement(new InputBatch(key, codec.encode(b), "events", 0, offset++), b.getFirstTs() / 1_000_000L);
        }
    }

    private static String render(Alert a) {
        // Sorted: Flink's serializer does not keep the map's order (the formatters sort output fields).
        return a.timeNs() + " " + a.rule() + " " + a.output() + " " + new TreeMap<>(a.outputFields());
    }
}
