package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.CaptureStats;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.batch.HostBatcher;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live shipper's batching: its thread table as the view of the shared HostBatcher, one open batch per key. */
class ShipperBatchingTest {

    private static final String C1 = "memory=/docker/" + "1".repeat(64);
    private static final String C2 = "memory=/docker/" + "2".repeat(64);

    private final List<EventBatch> out = new ArrayList<>();
    private final ThreadTable threads = new ThreadTable(null, List.of(
            proc(1, 0, "init", "memory=/"), proc(10, 1, "containerd-shim", "memory=/"),
            proc(11, 10, "nginx", C1), proc(12, 11, "worker", C1), proc(21, 10, "redis", C2)));
    private final HostBatcher batcher = new HostBatcher("h1", "h1:test", 0, HostBatcher.Mode.PER_KEY, 3,
            KafkaProducers.MAX_BATCH_BYTES, new ThreadTableView(threads), out::add);

    @Test
    void groupsEventsByContainerAndEmitsAFullBatchAtOnce() {
        batcher.add(event(11, 1), 0);
        batcher.add(event(21, 2), 0);
        batcher.add(event(11, 3), 0);
        assertThat(out).isEmpty();
        batcher.add(event(11, 4), 0);

        assertThat(out).hasSize(1);
        EventBatch b = out.get(0);
        assertThat(b.getContainerId()).isEqualTo("111111111111");
        assertThat(b.getEvents()).extracting(e -> e.getTs()).containsExactly(1L, 3L, 4L);
        assertThat(b.getFirstTs()).isEqualTo(1);
        assertThat(b.getLastTs()).isEqualTo(4);
        assertThat(b.getSequence()).isEqualTo(1);
    }

    @Test
    void sendsEachThreadsSnapshotOncePerKeyWithAncestorsNotSentBeforeFlaggedWhenOfAnotherKey() {
        batcher.add(event(12, 1), 0);
        batcher.add(event(11, 2), 0);
        batcher.add(event(12, 3), 0);
        batcher.flush();

        List<ProcessSnapshot> snaps = out.get(0).getProcesses();
        assertThat(snaps).extracting(ProcessSnapshot::getTid).containsExactly(12L, 11L, 10L, 1L);
        assertThat(snaps).extracting(ProcessSnapshot::getAncestor).containsExactly(false, false, true, true);
        assertThat(snaps).extracting(ProcessSnapshot::getContainerId)
                .containsExactly("111111111111", "111111111111", "", "");
    }

    @Test
    void aReusedTidAfterProcexitIsSnapshottedAgain() {
        batcher.add(event(11, 1), 0);
        batcher.add(procexit(11, 2), 0);
        batcher.add(event(11, 3), 0);
        batcher.flush();
        assertThat(out.stream().flatMap(b -> b.getProcesses().stream()).filter(p -> p.getTid() == 11
                && !p.getAncestor())).hasSize(2);
    }

    @Test
    void flushesBatchesOlderThanTheLingerAndNumbersThemPerKey() {
        batcher.add(event(21, 1), 0);
        batcher.flushOlderThan(100, 50);
        assertThat(out).isEmpty();
        batcher.flushOlderThan(100, 100);
        batcher.add(event(21, 2), 200);
        batcher.flushOlderThan(100, 300);
        assertThat(out).extracting(EventBatch::getSequence).containsExactly(1L, 2L);
        assertThat(out).extracting(EventBatch::getContainerId).containsOnly("222222222222");
    }

    @Test
    void attachesStatsToTheNextBatchOnlyAndShipsThemAloneAtShutdown() {
        CaptureStats stats = CaptureStats.newBuilder().setPeriodStartTs(1).setPeriodEndTs(2).setEvents(5)
                .setDropsByCause(Map.of("buffer", 1L)).setDrops(1).build();
        batcher.attachStats(stats);
        batcher.add(event(11, 1), 0);
        batcher.add(event(11, 2), 0);
        batcher.add(event(11, 3), 0);
        batcher.attachStats(stats);
        batcher.flush();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getStats()).isEqualTo(stats);
        assertThat(out.get(1).getEvents()).isEmpty();
        assertThat(out.get(1).getStats()).isEqualTo(stats);
    }

    private static ScapProcess proc(long tid, long ptid, String comm, String cgroup) {
        return ScapProcess.builder().tid(tid).pid(tid).ptid(ptid).comm(comm).cgroups(List.of(cgroup)).build();
    }

    private static Event event(long tid, long ts) {
        return new Event(ts, tid, 0, EventTable.id("PPME_SYSCALL_CLOSE_X"), new byte[8], new int[] {0},
                new int[] {8});
    }

    private static Event procexit(long tid, long ts) {
        return new Event(ts, tid, 0, EventTable.id("PPME_PROCEXIT_1_E"), new byte[18], new int[] {0, 8, 16, 17},
                new int[] {8, 8, 1, 1});
    }
}
