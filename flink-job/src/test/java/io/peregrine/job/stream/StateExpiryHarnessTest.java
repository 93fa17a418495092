package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.batch.BatchKey;
import io.peregrine.batch.EventBatchCodec;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.KeyedDetection;
import io.peregrine.engine.LocalReplay;
import io.peregrine.event.EventTable;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.output.Alert;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Keyed state shrinks on the job's two clocks: threads without an event for the thread timeout
 * leave their key's {@code threads} map (parents of threads that stay, stay), and a key without a
 * batch for the idle-key time loses everything.
 */
class StateExpiryHarnessTest {

    private static final long THREAD_TIMEOUT_MS = 60_000;
    private static final long IDLE_KEY_MS = 3_600_000;
    private static final long MINUTE_NS = 60_000_000_000L;

    @Test
    void inactiveThreadsAndThenIdleKeysLeaveKeyedState() throws Exception {
        List<EventBatch> batches = capture();
        EventBatch last = batches.get(batches.size() - 1);
        KeyedDetection offline = replay(batches);
        ThreadInfo busy = deepestSurvivor(offline);
        Set<Long> chain = ancestry(busy, offline);
        // Ten minutes after the capture one thread shows up again (a brk of the capture, as its own).
        SyscallEvent brk = batches.stream().flatMap(b -> b.getEvents().stream())
                .filter(e -> EventTable.get(e.getType()).name().equals("brk") && EventTable.get(e.getType()).enter())
                .findFirst().orElseThrow();
        long laterNs = last.getLastTs() + 10 * MINUTE_NS;
        EventBatch later = EventBatch.newBuilder(last).setFirstTs(laterNs).setLastTs(laterNs).setSequence(last.getSequence() + 1)
                .setEvents(List.of(SyscallEvent.newBuilder(brk).setTid(busy.tid).setTs(laterNs).build()))
                .setProcesses(List.of()).setFds(List.of()).build();

        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = afterCapture(
                new StreamDetectionFunction(DetectionSettings.of(List.of()), IDLE_KEY_MS, 100, THREAD_TIMEOUT_MS), batches)) {
            Set<Long> afterCapture = storedThreads(harness).get("h/");
            long bytesAfterCapture = stateBytes(harness);
            assertThat(afterCapture).hasSize(offline.state().threads().size()).containsAll(chain);

            harness.processElement(input(later), laterNs / 1_000_000L);
            Set<Long> afterExpiry = storedThreads(harness).get("h/");
            long bytesAfterExpiry = stateBytes(harness);
            assertThat(afterExpiry).as("the busy thread %d and its ancestry %s", busy.tid, chain).isEqualTo(chain);

            harness.processWatermark(laterNs / 1_000_000L + IDLE_KEY_MS + 1);
            harness.processBroadcastWatermark(laterNs / 1_000_000L + IDLE_KEY_MS + 1);
            long bytesAfterIdle = stateBytes(harness);
            assertThat(storedThreads(harness)).isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();

            System.out.printf("keyed state: %d threads, %d bytes after the capture; %d threads, %d bytes after the"
                    + " thread timeout; 0 threads, %d bytes after the key went idle%n", afterCapture.size(),
                    bytesAfterCapture, afterExpiry.size(), bytesAfterExpiry, bytesAfterIdle);
            assertThat(bytesAfterExpiry).isLessThan(bytesAfterCapture);
            assertThat(bytesAfterIdle).isLessThan(bytesAfterExpiry);
        }
    }

    @Test
    void aZeroTimeoutKeepsIdleThreads() throws Exception {
        List<EventBatch> batches = capture();
        EventBatch last = batches.get(batches.size() - 1);
        long laterNs = last.getLastTs() + 600 * MINUTE_NS;
        EventBatch later = EventBatch.newBuilder(last).setFirstTs(laterNs).setLastTs(laterNs).setSequence(last.getSequence() + 1)
                .setEvents(List.of())
                .setProcesses(List.of()).setFds(List.of()).build();
        try (KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness = afterCapture(
                new StreamDetectionFunction(DetectionSettings.of(List.of()), IDLE_KEY_MS * 100, 100, 0), batches)) {
            int before = storedThreads(harness).get("h/").size();
            harness.processElement(input(later), laterNs / 1_000_000L);
            assertThat(storedThreads(harness).get("h/")).hasSize(before);
        }
    }

    private static List<EventBatch> capture() throws Exception {
        List<EventBatch> batches = new ArrayList<>();
        CaptureBatches.read(ThreadCodecTest.corpus().resolve("scap/falco/cat_write.scap"), "h", 16, batches::add);
        return batches;
    }

    /** An open harness around {@code function} that has the shared ruleset and ran every batch. */
    private static KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> afterCapture(
            StreamDetectionFunction function, List<EventBatch> batches) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, InputBatch, byte[], Alert> harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, b -> b.key, Types.STRING,
                        StreamDetectionFunction.RULESET);
        harness.processBroadcastElement(RulesetRecords.encode(RulesetRecords.of(
                Map.of("r.yaml", StateProbingRules.yaml()), "v", null)), 0);
        for (EventBatch b : batches) {
            harness.processElement(input(b), b.getFirstTs() / 1_000_000L);
        }
        return harness;
    }

    private static KeyedDetection replay(List<EventBatch> batches) {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("r.yaml", StateProbingRules.yaml()), "v", null),
                DetectionSettings.of(List.of()));
        LocalReplay offline = new LocalReplay(rules.rules(), rules.settings());
        batches.forEach(b -> offline.apply(b, a -> { }));
        assertThat(offline.engines()).hasSize(1);
        return offline.engines().values().iterator().next();
    }

    /** The thread left in the table at the end with the longest ancestry there. */
    private static ThreadInfo deepestSurvivor(KeyedDetection offline) {
        List<ThreadInfo> all = new ArrayList<>();
        offline.state().threads().forEach(all::add);
        return all.stream().max(java.util.Comparator.comparingInt((ThreadInfo t) -> ancestry(t, offline).size())
                .thenComparingLong(t -> t.tid)).orElseThrow();
    }

    /** The thread, its main thread and every ancestor present in the table. */
    private static Set<Long> ancestry(ThreadInfo t, KeyedDetection offline) {
        Set<Long> out = new HashSet<>();
        for (ThreadInfo p = t; p != null && out.add(p.tid); p = offline.state().threads().get(p.ptid)) {
            ThreadInfo main = offline.state().threads().get(p.pid);
            if (main != null && main != p) {
                out.add(main.tid);
            }
        }
        return out;
    }

    private static InputBatch input(EventBatch b) {
        String key = new BatchKey(b.getHost().toString(), b.getContainerId().toString()).asString();
        return new InputBatch(key, new EventBatchCodec().encode(b), "events", 0, b.getSequence());
    }

    /** The tids in every key's {@code threads} map, read from the operator's keyed state backend. */
    private static Map<String, Set<Long>> storedThreads(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> harness) throws Exception {
        Map<String, Set<Long>> out = new HashMap<>();
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("threads", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO),
                (String key, MapState<Long, byte[]> state) -> {
                    Set<Long> tids = new HashSet<>();
                    state.keys().forEach(tids::add);
                    if (!tids.isEmpty()) {
                        out.put(key, tids);
                    }
                });
        return out;
    }

    /** The operator's checkpointed state size (keyed and broadcast). */
    private static long stateBytes(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> harness) throws Exception {
        return harness.snapshot(1L, 1L).getStateSize();
    }
}
