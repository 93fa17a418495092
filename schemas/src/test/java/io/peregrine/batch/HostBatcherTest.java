package io.peregrine.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.avro.CaptureStats;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.UserInfo;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the whole-host batcher cuts a host's stream into keyed batches with the state they need. */
class HostBatcherTest {

    private static final int EXIT_TYPE = 183; // any id: the fake view decides what an event means
    private static final int PROCEXIT = 999;

    /** A host: a shell (tid 10) on the host starts a container process (tid 20, thread 21). */
    private final FakeHost host = new FakeHost()
            .thread(1, 1, 0, "", "systemd")
            .thread(10, 10, 1, "", "bash")
            .thread(20, 20, 10, "c1", "nginx")
            .thread(21, 20, 10, "c1", "nginx");
    private final List<EventBatch> out = new ArrayList<>();
    private final HostBatcher batcher = new HostBatcher("h1", "s1", 0, 100, host, out::add);

    @Test
    void aKeySwitchClosesTheBatchSoBatchesKeepTheStreamOrder() {
        batcher.add(event(1, 10));
        batcher.add(event(2, 10));
        batcher.add(event(3, 20));
        batcher.add(event(4, 10));
        batcher.flush();

        assertEquals(List.of("", "c1", ""), out.stream().map(EventBatch::getContainerId).toList());
        assertEquals(List.of(2, 1, 1), out.stream().map(b -> b.getEvents().size()).toList());
        assertEquals(List.of(1L, 1L, 2L), out.stream().map(EventBatch::getSequence).toList());
        assertEquals(1L, out.get(0).getFirstTs());
        assertEquals(2L, out.get(0).getLastTs());
    }

    @Test
    void aThreadsFirstEventUnderAKeyCarriesItsSnapshotThenItsProcessThenItsAncestorsOnce() {
        batcher.add(event(1, 20));
        batcher.add(event(2, 20));
        batcher.flush();

        List<ProcessSnapshot> sent = out.get(0).getProcesses();
        assertEquals(List.of(20L, 21L, 10L, 1L), sent.stream().map(ProcessSnapshot::getTid).toList());
        assertEquals(List.of(false, false, true, true), sent.stream().map(ProcessSnapshot::getAncestor).toList(),
                "threads of other keys are flagged ancestor");
        assertEquals(List.of("c1", "c1", "", ""), sent.stream().map(ProcessSnapshot::getContainerId).toList(),
                "each snapshot names its own container");
    }

    @Test
    void eachKeyGetsItsOwnCopyOfASharedAncestor() {
        batcher.add(event(1, 20));
        batcher.add(event(2, 10));
        batcher.flush();

        assertEquals(List.of(20L, 21L, 10L, 1L), tids(out.get(0)));
        assertEquals(List.of(10L, 1L), tids(out.get(1)), "the host key needs its own bash and systemd");
    }

    @Test
    void anEndedThreadIsSentAgainWhenItsTidComesBack() {
        batcher.add(event(1, 10));
        batcher.add(new Event(2, 10, 0, PROCEXIT, new byte[0], new int[0], new int[0]));
        batcher.add(event(3, 10));
        batcher.flush();

        assertEquals(List.of(10L, 1L), tids(out.get(0)));
        assertEquals(List.of(10L), tids(out.get(1)), "the reused tid's snapshot starts a new batch");
    }

    @Test
    void snapshotsLeadTheirBatchSoTheyApplyWhereTheyWereTaken() {
        batcher.add(event(1, 10));
        batcher.add(event(2, 10));
        host.thread(11, 10, 10, "", "bash");
        batcher.add(event(3, 11));
        batcher.add(event(4, 10));
        batcher.flush();

        assertEquals(List.of(2, 2), out.stream().map(b -> b.getEvents().size()).toList());
        assertEquals(List.of(11L), tids(out.get(1)), "a new thread of a known process");
        assertEquals(3L, out.get(1).getFirstTs());
    }

    @Test
    void anUnknownThreadTravelsWithoutSnapshotAndIsLookedUpAgainLater() {
        batcher.add(event(1, 77));
        host.thread(77, 77, 10, "", "late");
        batcher.add(event(2, 77));
        batcher.flush();

        assertEquals(List.of(), tids(out.get(0)));
        assertEquals(List.of(77L, 10L, 1L), tids(out.get(1)));
    }

    @Test
    void credentialsAndInterfacesRideOnEachKeysFirstBatchOnly() {
        batcher.setCredentials(List.of(new UserInfo(0L, 0L, "root", "/root", "/bin/sh", "")),
                List.of(new GroupInfo(0L, "root", "")));
        batcher.setInterfaces(List.of(new NetInterface(ByteBuffer.wrap(new byte[] {127, 0, 0, 1}),
                ByteBuffer.wrap(new byte[] {(byte) 255, 0, 0, 0}))));
        batcher.add(event(1, 10));
        batcher.add(event(2, 20));
        batcher.add(event(3, 10));
        batcher.flush();

        assertEquals(List.of(1, 1, 0), out.stream().map(b -> b.getUsers().size()).toList());
        assertEquals(List.of(1, 1, 0), out.stream().map(b -> b.getGroups().size()).toList());
        assertEquals(List.of(1, 1, 0), out.stream().map(b -> b.getInterfaces().size()).toList());
    }

    @Test
    void maxEventsCutsALongRun() {
        HostBatcher small = new HostBatcher("h1", "s1", 0, 2, host, out::add);
        for (int i = 1; i <= 5; i++) {
            small.add(event(i, 10));
        }
        small.flush();

        assertEquals(List.of(2, 2, 1), out.stream().map(b -> b.getEvents().size()).toList());
    }

    @Test
    void perKeyModeKeepsABatchOpenPerKeyWhileKeysInterleave() {
        HostBatcher live = perKey(3, Long.MAX_VALUE);
        live.add(event(1, 20), 0);
        live.add(event(2, 10), 0);
        live.add(event(3, 20), 0);
        assertEquals(List.of(), out);
        live.add(event(4, 21), 0);

        assertEquals(1, out.size(), "a full batch leaves at once");
        assertEquals("c1", out.get(0).getContainerId());
        assertEquals(List.of(1L, 3L, 4L), out.get(0).getEvents().stream().map(e -> e.getTs()).toList());
        live.flush();
        assertEquals(List.of("c1", ""), out.stream().map(EventBatch::getContainerId).toList());
    }

    @Test
    void aBatchOlderThanTheLingerLeavesAndSequencesCountPerKey() {
        HostBatcher live = perKey(100, Long.MAX_VALUE);
        live.add(event(1, 20), 1_000);
        live.flushOlderThan(500, 1_400);
        assertEquals(List.of(), out);
        live.flushOlderThan(500, 1_500);
        live.add(event(2, 20), 2_000);
        live.add(event(3, 10), 2_400);
        live.flushOlderThan(500, 2_500);

        assertEquals(List.of("c1", "c1"), out.stream().map(EventBatch::getContainerId).toList());
        assertEquals(List.of(1L, 2L), out.stream().map(EventBatch::getSequence).toList());
        live.flush();
        assertEquals(1L, out.get(2).getSequence(), "the host key counts on its own");
    }

    @Test
    void maxBytesCutsABatchOfLargeEvents() {
        HostBatcher live = perKey(100, 1_000);
        for (int i = 1; i <= 4; i++) {
            live.add(new Event(i, 10, 0, EXIT_TYPE, new byte[400], new int[0], new int[0]), 0);
        }
        live.flush();

        assertEquals(List.of(2, 2), out.stream().map(b -> b.getEvents().size()).toList());
    }

    @Test
    void snapshotsPastTheByteLimitContinueInBatchesOfTheirOwnAheadOfTheEvent() {
        // A JVM: 40 threads, each snapshot carrying the whole (long) command line.
        FakeHost jvm = new FakeHost().thread(1, 1, 0, "", "systemd");
        for (long tid = 100; tid < 140; tid++) {
            jvm.thread(tid, 100, 1, "", "java", List.of("-cp", "x".repeat(500)));
        }
        HostBatcher live = new HostBatcher("h1", "s1", 0, HostBatcher.Mode.PER_KEY, 100, 4_000, jvm, out::add);
        live.add(event(1, 100), 0);
        live.flush();

        assertTrue(out.size() > 1, "the snapshots did not fit one batch: " + out.size());
        List<Long> sent = out.stream().flatMap(b -> tids(b).stream()).toList();
        assertEquals(41, sent.size(), "every snapshot exactly once");
        assertEquals(41, sent.stream().distinct().count());
        assertEquals(100L, sent.get(0), "the event's own thread first");
        for (EventBatch b : out.subList(0, out.size() - 1)) {
            assertTrue(b.getEvents().isEmpty(), "snapshot-only batches lead");
            assertTrue(b.getProcesses().size() <= 4_000 / 500 + 1, "each batch within the limit plus one snapshot");
        }
        assertEquals(1, out.get(out.size() - 1).getEvents().size(), "the event follows its snapshots");
        assertEquals(List.of("h1/"), out.stream().map(b -> new BatchKey(b.getHost(), b.getContainerId()).asString())
                .distinct().toList());
        assertEquals(java.util.stream.LongStream.rangeClosed(1, out.size()).boxed().toList(),
                out.stream().map(EventBatch::getSequence).toList(), "sequences count on without gaps");
    }

    @Test
    void statsRideOnTheNextBatchOnlyAndLeaveAloneAtTheEnd() {
        CaptureStats stats = CaptureStats.newBuilder().setPeriodStartTs(1).setPeriodEndTs(9).setEvents(5)
                .setDrops(1).setDropsByCause(Map.of("buffer", 1L)).build();
        batcher.attachStats(stats);
        batcher.add(event(1, 10));
        batcher.add(event(2, 20));
        batcher.add(event(3, 20));
        batcher.flush();
        batcher.attachStats(stats);
        batcher.flush();

        assertEquals(stats, out.get(0).getStats());
        assertEquals(null, out.get(1).getStats());
        assertEquals(3, out.size());
        assertEquals(List.of(), out.get(2).getEvents());
        assertEquals(stats, out.get(2).getStats());
        assertEquals(9L, out.get(2).getFirstTs());
    }

    @Test
    void statsPeriodsThatArriveBeforeABatchLeavesAddUp() {
        batcher.attachStats(CaptureStats.newBuilder().setPeriodStartTs(1).setPeriodEndTs(2).setEvents(5)
                .setEventsShipped(5).setDrops(1).setDropsByCause(Map.of("probe_restart", 1L, "buffer", 0L)).build());
        batcher.attachStats(CaptureStats.newBuilder().setPeriodStartTs(2).setPeriodEndTs(3).setEvents(7)
                .setEventsShipped(6).setDrops(2).setDropsByCause(Map.of("buffer", 2L)).build());
        batcher.flush();

        CaptureStats sent = out.get(0).getStats();
        assertEquals(List.of(1L, 3L, 12L, 11L, 3L), List.of(sent.getPeriodStartTs(), sent.getPeriodEndTs(),
                sent.getEvents(), sent.getEventsShipped(), sent.getDrops()));
        assertEquals(Map.of("probe_restart", 1L, "buffer", 2L), Map.copyOf(sent.getDropsByCause()));
    }

    @Test
    void aBatchRoundTripsThroughTheCodec() {
        batcher.add(event(1, 20));
        batcher.flush();
        EventBatchCodec codec = new EventBatchCodec();

        assertEquals(out.get(0), codec.decode(codec.encode(out.get(0))));
        assertThrows(IllegalArgumentException.class, () -> codec.decode(new byte[] {1, 2, 3}));
    }

    @Test
    void theKeyStringNamesHostAndContainer() {
        assertEquals("h1/", new BatchKey("h1", "").asString());
        assertEquals("h1/c1", new BatchKey("h1", "c1").asString());
    }

    private HostBatcher perKey(int maxEvents, long maxBytes) {
        return new HostBatcher("h1", "s1", 0, HostBatcher.Mode.PER_KEY, maxEvents, maxBytes, host, out::add);
    }

    private static Event event(long ts, long tid) {
        return new Event(ts, tid, 0, EXIT_TYPE, new byte[0], new int[0], new int[0]);
    }

    private static List<Long> tids(EventBatch b) {
        return b.getProcesses().stream().map(ProcessSnapshot::getTid).toList();
    }

    /** A whole-host view over a fixed table. */
    static final class FakeHost implements HostView {
        private final Map<Long, ScapProcess> threads = new HashMap<>();
        private final Map<Long, String> containers = new HashMap<>();

        FakeHost thread(long tid, long pid, long ptid, String container, String comm) {
            return thread(tid, pid, ptid, container, comm, List.of());
        }

        FakeHost thread(long tid, long pid, long ptid, String container, String comm, List<String> args) {
            threads.put(tid, ScapProcess.builder().tid(tid).pid(pid).ptid(ptid).comm(comm).exe(comm).args(args).build());
            containers.put(tid, container);
            return this;
        }

        @Override
        public String containerOf(Event event) {
            return containers.getOrDefault(event.threadId(), "");
        }

        @Override
        public String containerOf(ScapProcess thread) {
            return containers.getOrDefault(thread.tid(), "");
        }

        @Override
        public ScapProcess snapshot(long tid) {
            return threads.get(tid);
        }

        @Override
        public List<ScapProcess> related(long tid) {
            List<ScapProcess> out = new ArrayList<>();
            ScapProcess t = threads.get(tid);
            threads.values().stream().filter(o -> o.pid() == t.pid() && o.tid() != tid)
                    .sorted((a, b) -> Long.compare(a.tid(), b.tid())).forEach(out::add);
            for (ScapProcess p = threads.get(t.ptid()); p != null; p = threads.get(p.ptid())) {
                out.add(p);
            }
            return out;
        }

        @Override
        public boolean endsThread(Event event) {
            return event.type() == PROCEXIT;
        }
    }
}
