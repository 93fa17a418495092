package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.batch.HostBatcher;
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
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detection operator under failure, as Flink runs it: a checkpoint snapshots keyed and
 * broadcast state between two records; a failure throws the operator away (its memory with it) and
 * the alerts it emitted since that checkpoint (their Kafka transaction aborts); a fresh operator
 * restores the snapshot and the source re-reads every batch after the checkpoint's offset. The
 * committed alerts must equal the offline replay's, each once, in each key's order.
 */
class StreamDetectionFailureTest {

    private static final String RULES = String.join("\n",
            "- rule: File opened",
            "  desc: opens",
            "  condition: evt.type in (open, openat, openat2) and evt.dir=< and fd.num >= 0",
            "  output: \"%proc.name opened %fd.name (parent %proc.pname, grandparent %proc.aname[2], pid %proc.pid)\"",
            "  priority: NOTICE",
            "- rule: Network activity",
            "  desc: connects and sends",
            "  condition: evt.type in (connect, sendto, sendmsg) and evt.dir=<",
            "  output: \"%proc.name network %fd.name (parent %proc.pname)\"",
            "  priority: INFO",
            "- rule: Program started",
            "  desc: execve",
            "  condition: evt.type = execve and evt.dir=<",
            "  output: \"%proc.name started by %proc.pname under %proc.aname[2] (%proc.cmdline)\"",
            "  priority: WARNING",
            "- rule: Descriptor closed",
            "  desc: close exits",
            "  condition: evt.type = close and evt.dir=< and fd.name != \"\"",
            "  output: \"%proc.name closed %fd.name\"",
            "  priority: DEBUG",
            "");

    static Stream<Arguments> captures() throws Exception {
        return RestoreEquivalenceTest.capturesCutBothWays();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("captures")
    void oneRestoreAtBatchesAcrossTheCaptureChangesNoAlert(Path capture, HostBatcher.Mode mode) throws Exception {
        List<EventBatch> batches = batches(capture, mode, 16);
        List<String> expected = offline(batches);

        // At most a dozen restore points per capture, spread over it, to keep the suite fast.
        int step = Math.max(1, batches.size() / 12);
        for (int restoreAt = 1; restoreAt < batches.size(); restoreAt += step) {
            List<String> committed = new ArrayList<>();
            OperatorSubtaskState checkpoint;
            try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> operator = restored(null)) {
                operator.processBroadcastElement(ruleset(), 0);
                for (int i = 0; i < restoreAt; i++) {
                    send(operator, batches, i);
                }
                operator.extractOutputValues().forEach(a -> committed.add(render(a)));
                checkpoint = operator.snapshot(1, 1);
            }
            try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> operator = restored(checkpoint)) {
                for (int i = restoreAt; i < batches.size(); i++) {
                    send(operator, batches, i);
                }
                operator.extractOutputValues().forEach(a -> committed.add(render(a)));
            }
            assertThat(committed).as("restored before batch %d of %d", restoreAt, batches.size())
                    .containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("captures")
    void failuresBetweenCheckpointsLoseAndRepeatNoAlert(Path capture, HostBatcher.Mode mode) throws Exception {
        List<EventBatch> batches = batches(capture, mode, 16);
        List<String> expected = offline(batches);
        Random random = new Random(capture.getFileName().toString().hashCode());

        List<String> committed = new ArrayList<>();
        OperatorSubtaskState checkpoint = null;
        int checkpointOffset = 0;
        int failures = 0;
        long id = 0;
        KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> operator = restored(null);
        operator.processBroadcastElement(ruleset(), 0);
        int next = 0;
        while (next < batches.size()) {
            send(operator, batches, next++);
            int dice = random.nextInt(8);
            if (dice == 0 || next == batches.size()) {
                // Checkpoint: what the operator emitted since the last one commits.
                operator.extractOutputValues().forEach(a -> committed.add(render(a)));
                operator.getOutput().clear();
                checkpoint = operator.snapshot(++id, id);
                checkpointOffset = next;
            } else if (dice == 1 && checkpoint != null) {
                // Failure: uncommitted alerts vanish, the source rewinds to the checkpoint's offset.
                operator.close();
                operator = restored(checkpoint);
                next = checkpointOffset;
                failures++;
            }
        }
        operator.close();
        assertThat(committed).containsExactlyElementsOf(expected);
        assertThat(failures).as("failures injected").isPositive();
    }

    /** A fresh operator (new function instance, empty memory), restored from {@code checkpoint} if any. */
    private static KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> restored(
            OperatorSubtaskState checkpoint) throws Exception {
        StreamDetectionFunction function = new StreamDetectionFunction(DetectionSettings.of(List.of()),
                Long.MAX_VALUE / 4, 100);
        KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness =
                new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function,
                        List.of(StreamDetectionFunction.RULESET)), b -> b.key, Types.STRING, 1, 1, 0);
        if (checkpoint != null) {
            harness.initializeState(checkpoint);
        }
        harness.open();
        return harness;
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> operator,
            List<EventBatch> batches, int offset) throws Exception {
        EventBatch b = batches.get(offset);
        String key = new BatchKey(b.getHost().toString(), b.getContainerId().toString()).asString();
        operator.processElement(new InputBatch(key, new EventBatchCodec().encode(b), "events", 0, offset),
                b.getFirstTs() / 1_000_000L);
    }

    private static List<EventBatch> batches(Path capture, HostBatcher.Mode mode, int maxEvents) throws Exception {
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", mode, maxEvents, batches::add);
        return batches;
    }

    private static byte[] ruleset() {
        return RulesetRecords.encode(RulesetRecords.of(Map.of("r.yaml", RULES), "v", null));
    }

    private static List<String> offline(List<EventBatch> batches) {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("r.yaml", RULES), "v", null),
                DetectionSettings.of(List.of()));
        LocalReplay offline = new LocalReplay(rules.rules(), rules.settings().withHostname("h"));
        List<String> expected = new ArrayList<>();
        batches.forEach(b -> offline.apply(b, a -> expected.add(render(a))));
        return expected;
    }

    private static String render(Alert a) {
        return a.timeNs() + " " + a.rule() + " " + a.output();
    }
}
