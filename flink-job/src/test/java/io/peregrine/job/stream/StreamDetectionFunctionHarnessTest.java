package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.Alert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operator alone (no Kafka): the same alerts as the offline replay, dead letters for bad input. */
class StreamDetectionFunctionHarnessTest {

    private static final String RULES = String.join("\n",
            "- rule: Network activity",
            "  desc: connects and sends",
            "  condition: evt.type in (connect, sendto, sendmsg) and evt.dir=<",
            "  output: \"%proc.name network %fd.name (parent %proc.pname)\"",
            "  priority: INFO",
            "- rule: File opened",
            "  desc: opens",
            "  condition: evt.type in (open, openat, openat2) and evt.dir=< and fd.num >= 0",
            "  output: \"%proc.name opened %fd.name (parent %proc.pname)\"",
            "  priority: NOTICE",
            "");

    static java.util.stream.Stream<Path> captures() throws Exception {
        return RestoreEquivalenceTest.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void raisesTheOfflineReplaysAlerts(Path capture) throws Exception {
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", 16, batches::add);
        List<String> expected = offlineAlerts(batches);

        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = newHarness()) {
            pushRuleset(harness);
            feed(harness, batches, 1);
            assertThat(harness.getSideOutput(StreamDetectionFunction.DEAD_LETTERS)).isNullOrEmpty();
            assertThat(renderedOutput(harness)).containsExactlyElementsOf(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void batchesBeforeTheFirstRulesetWaitAndRunInOrderWhenItArrives() throws Exception {
        List<EventBatch> batches = catWriteBatches();
        List<String> expected = offlineAlerts(batches);
        assertThat(expected).isNotEmpty();

        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = newHarness()) {
            feed(harness, batches, 1);
            assertThat(harness.extractOutputValues()).isEmpty();
            pushRuleset(harness);
            assertThat(renderedOutput(harness)).containsExactlyElementsOf(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void aBatchTheShipperSendsAgainIsSkipped() throws Exception {
        List<EventBatch> batches = catWriteBatches();
        List<String> expected = offlineAlerts(batches);
        assertThat(expected).isNotEmpty();

        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = newHarness()) {
            pushRuleset(harness);
            feed(harness, batches, 2); // every batch twice: a spool replay after a send timeout
            assertThat(renderedOutput(harness)).containsExactlyElementsOf(expected);
        }
    }

    private static List<EventBatch> catWriteBatches() throws Exception {
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(RestoreEquivalenceTest.captures().filter(p -> p.toString().endsWith("cat_write.scap"))
                .findFirst().orElseThrow(), "h", 8, batches::add);
        return batches;
    }

    /** The alerts of the engine alone, without Flink: what the operator must reproduce. */
    private static List<String> offlineAlerts(List<EventBatch> batches) {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("r.yaml", RULES), "v", null),
                DetectionSettings.of(List.of()));
        LocalReplay offline = new LocalReplay(rules.rules(), rules.settings().withHostname("h"));
        List<String> expected = new ArrayList<>();
        batches.forEach(b -> offline.apply(b, a -> expected.add(render(a))));
        return expected;
    }

    private static KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> newHarness() throws Exception {
        StreamDetectionFunction function = new StreamDetectionFunction(DetectionSettings.of(List.of()), Long.MAX_VALUE / 4, 100);
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, b -> b.key, Types.STRING,
                StreamDetectionFunction.RULESET);
    }

    private static void pushRuleset(KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness)
            throws Exception {
        harness.processBroadcastElement(RulesetRecords.encode(RulesetRecords.of(Map.of("r.yaml", RULES), "v", null)), 0);
    }

    /** Sends each batch {@code copies} times, at increasing offsets, keyed as the shipper keys it. */
    private static void feed(KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness,
            List<EventBatch> batches, int copies) throws Exception {
        EventBatchCodec codec = new EventBatchCodec();
        long offset = 0;
        for (EventBatch b : batches) {
            String key = new BatchKey(b.getHost().toString(), b.getContainerId().toString()).asString();
            for (int copy = 0; copy < copies; copy++) {
                harness.processElement(new InputBatch(key, codec.encode(b), "events", 0, offset++),
                        b.getFirstTs() / 1_000_000L);
            }
        }
    }

    private static List<String> renderedOutput(KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness) {
        return harness.extractOutputValues().stream().map(StreamDetectionFunctionHarnessTest::render).toList();
    }

    private static String render(Alert a) {
        return a.timeNs() + " " + a.rule() + " " + a.output();
    }
}
