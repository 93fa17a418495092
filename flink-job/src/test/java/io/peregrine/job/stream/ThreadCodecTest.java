package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.engine.LocalReplay;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.Alert;
import io.peregrine.state.ThreadInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code threads} state: written compactly, and still readable in format 0 (Java
 * serialisation), which the job wrote before the compact codec, so old savepoints restore.
 */
class ThreadCodecTest {

    /**
     * The fixtures are operator snapshots that the format-0 job (main before the compact codec) took
     * after the first half of a capture's batches (16 events each, key "h/"), with
     * state-probing-rules.yaml as ruleset "v0" in broadcast state. Restored into today's operator,
     * the second half must raise the alerts of an uninterrupted offline replay. (They were written
     * at commit 978cd3b by a harness built as in StreamDetectionFunctionHarnessTest, then
     * {@code OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1, 1), file)}; heap keyed state
     * in Flink 2.1's snapshot format, so a Flink upgrade that cannot read it needs them rewritten
     * by that commit's code, not by today's, which writes the compact format.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"scap/falco/cat_write.scap", "scap/libs/test_ipv6_client.scap"})
    void aSnapshotWithFormat0ThreadsRestoresAndDetectsAsBefore(String name) throws Exception {
        Path capture = corpus().resolve(name);
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(capture, "h", 16, batches::add);
        int half = batches.size() / 2;
        RulesetActivation rules = RulesetActivation.compile(
                RulesetRecords.of(Map.of("r.yaml", StateProbingRules.yaml()), "v0", null), DetectionSettings.of(List.of()));
        LocalReplay offline = new LocalReplay(rules.rules(), rules.settings().withHostname("h"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            boolean after = i >= half;
            offline.apply(batches.get(i), a -> {
                if (after) {
                    expected.add(render(a));
                }
            });
        }
        assertThat(expected).isNotEmpty();

        String fixture = Path.of(ThreadCodecTest.class.getResource("format0/"
                + capture.getFileName().toString().replace(".scap", "") + "-half.format0.snapshot").toURI()).toString();
        StreamDetectionFunction function = new StreamDetectionFunction(DetectionSettings.of(List.of()), Long.MAX_VALUE / 4, 100);
        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(function, List.of(StreamDetectionFunction.RULESET)),
                b -> b.key, Types.STRING, 1, 1, 0)) {
            harness.setup();
            harness.initializeState(OperatorSnapshotUtil.readStateHandle(fixture));
            harness.open();
            EventBatchCodec codec = new EventBatchCodec();
            for (int i = half; i < batches.size(); i++) {
                EventBatch b = batches.get(i);
                String key = new BatchKey(b.getHost().toString(), b.getContainerId().toString()).asString();
                harness.processElement(new InputBatch(key, codec.encode(b), "events", 0, i), b.getFirstTs() / 1_000_000L);
            }
            assertThat(harness.getSideOutput(StreamDetectionFunction.DEAD_LETTERS)).isNullOrEmpty();
            assertThat(harness.extractOutputValues().stream().map(ThreadCodecTest::render).toList())
                    .containsExactlyElementsOf(expected);
        }
    }

    /**
     * Every thread left in the tables after each corpus capture, stored both ways: format 0 reads
     * back to the same thread as the compact form, and the compact form is the smaller. Prints the
     * bytes per thread of both (the figure the job's state size follows).
     */
    @Test
    void storedThreadsOfTheCorpusReadBackInBothFormatsAndShrink() throws Exception {
        RulesetActivation rules = RulesetActivation.compile(
                RulesetRecords.of(Map.of("r.yaml", StateProbingRules.yaml()), "t", null), DetectionSettings.of(List.of()));
        long format0Total = 0;
        long compactTotal = 0;
        long threadsTotal = 0;
        for (Path capture : RestoreEquivalenceTest.captures().toList()) {
            LocalReplay replay = new LocalReplay(rules.rules(), rules.settings());
            replay.run(capture, 16, a -> { });
            long format0 = 0;
            long compact = 0;
            int threads = 0;
            for (KeyedDetection key : replay.engines().values()) {
                List<ThreadInfo> all = new ArrayList<>();
                key.state().threads().forEach(all::add);
                for (ThreadInfo t : all) {
                    byte[] old = format0(t);
                    byte[] now = ThreadCodec.encode(t);
                    assertThat(ThreadCodec.encode(ThreadCodec.decode(old))).as("tid %d of %s", t.tid, capture).isEqualTo(now);
                    format0 += old.length;
                    compact += now.length;
                    threads++;
                }
            }
            System.out.printf("stored threads %-40s %5d threads: format 0 %7.0f bytes/thread, compact %6.0f bytes/thread%n",
                    capture.getFileName(), threads, (double) format0 / Math.max(1, threads), (double) compact / Math.max(1, threads));
            format0Total += format0;
            compactTotal += compact;
            threadsTotal += threads;
        }
        System.out.printf("stored threads, all captures: %d threads: format 0 %.0f bytes/thread, compact %.0f bytes/thread (%.1fx smaller)%n",
                threadsTotal, (double) format0Total / threadsTotal, (double) compactTotal / threadsTotal,
                (double) format0Total / compactTotal);
        assertThat(threadsTotal).isPositive();
        assertThat(compactTotal * 3).isLessThan(format0Total);
    }

    /** Format 0 exactly as the job wrote it: the serialised ThreadInfo, then the enter event's Avro bytes (or -1). */
    static byte[] format0(ThreadInfo thread) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(thread);
            if (thread.lastEnter == null) {
                out.writeInt(-1);
            } else {
                byte[] enter = RulesetRecords.AvroBytes.encode(SyscallEventConversion.toAvro(thread.lastEnter),
                        new SpecificDatumWriter<>(SyscallEvent.class));
                out.writeInt(enter.length);
                out.write(enter);
            }
        }
        return bytes.toByteArray();
    }

    static Path corpus() {
        return Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"));
    }

    private static String render(Alert a) {
        return a.timeNs() + " " + a.rule() + " " + a.output();
    }
}
