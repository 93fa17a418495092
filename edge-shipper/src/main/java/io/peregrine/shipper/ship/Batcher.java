package io.peregrine.shipper.ship;

import io.peregrine.avro.CaptureStats;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.FdSnapshot;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.ProcessSnapshotConversion;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.shipper.proc.ContainerIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Groups events into {@link EventBatch}es per host and container. The first time a thread appears
 * under a key, its process snapshot (with fds) and the ancestors not yet sent under that key
 * ({@code ancestor=true}) ride along, so the job can resolve parents and ancestry without /proc.
 * A batch is emitted when it reaches {@code maxEvents} or when {@link #flushOlderThan} finds it old.
 */
public final class Batcher {

    /** Kept well under Kafka's default 1 MiB message limit (env and argv can make events large). */
    static final long MAX_BATCH_BYTES = 512 * 1024;

    private final String host;
    private final String shipperId;
    private final long bootTsEpoch;
    private final int maxEvents;
    private final ThreadTable threads;
    private final Consumer<EventBatch> out;
    private final Map<BatchKey, Open> open = new LinkedHashMap<>();
    private final Map<BatchKey, Set<Long>> sent = new HashMap<>();
    private final Map<BatchKey, Long> sequences = new HashMap<>();
    private CaptureStats pendingStats;

    private static final class Open {
        final List<SyscallEvent> events = new ArrayList<>();
        final List<ProcessSnapshot> processes = new ArrayList<>();
        final List<FdSnapshot> fds = new ArrayList<>();
        long firstTs;
        long lastTs;
        long approxBytes;
        long openedNanos;
    }

    public Batcher(String host, String shipperId, long bootTsEpoch, int maxEvents, ThreadTable threads,
            Consumer<EventBatch> out) {
        this.host = host;
        this.shipperId = shipperId;
        this.bootTsEpoch = bootTsEpoch;
        this.maxEvents = maxEvents;
        this.threads = threads;
        this.out = out;
    }

    /** Adds one event (the thread table must already reflect it). */
    public void add(Event e, long nowNanos) {
        long tid = e.threadId();
        BatchKey key = new BatchKey(host, containerKey(threads.containerOf(tid)));
        Open b = open.computeIfAbsent(key, k -> {
            Open o = new Open();
            o.openedNanos = nowNanos;
            o.firstTs = e.timestampNs();
            return o;
        });
        Set<Long> known = sent.computeIfAbsent(key, k -> new HashSet<>());
        if (known.add(tid)) {
            ScapProcess p = threads.get(tid);
            if (p != null) {
                b.processes.add(ProcessSnapshotConversion.toAvro(p, key.containerId(), false, 0));
                b.fds.addAll(ProcessSnapshotConversion.fdsToAvro(p));
                for (ScapProcess a : threads.ancestors(tid)) {
                    if (known.add(a.tid())) {
                        b.processes.add(ProcessSnapshotConversion.toAvro(a,
                                containerKey(ContainerIds.fromCgroups(a.cgroups())), true, 0));
                    }
                }
            }
        }
        b.events.add(SyscallEventConversion.toAvro(e));
        b.approxBytes += e.data().length + 32;
        b.lastTs = e.timestampNs();
        EventInfo info = e.info();
        if (info != null && info.name().equals("procexit")) {
            known.remove(tid); // a reused tid is a new thread: send its snapshot again
        }
        if (b.events.size() >= maxEvents || b.approxBytes >= MAX_BATCH_BYTES) {
            emit(key, open.remove(key));
        }
    }

    /** Attaches capture counters to the next batch emitted. */
    public void attachStats(CaptureStats stats) {
        // Periods that arrive before a batch leaves (a quiet host) add up into one, so no drop count
        // is lost; replacing the pending period lost e.g. a probe_restart reported a second earlier.
        pendingStats = pendingStats == null ? stats : combine(pendingStats, stats);
    }

    /** Two consecutive periods as one: from the first's start to the second's end, counters summed. */
    static CaptureStats combine(CaptureStats first, CaptureStats second) {
        java.util.Map<String, Long> causes = new java.util.LinkedHashMap<>();
        first.getDropsByCause().forEach((cause, n) -> causes.merge(cause.toString(), n, Long::sum));
        second.getDropsByCause().forEach((cause, n) -> causes.merge(cause.toString(), n, Long::sum));
        return CaptureStats.newBuilder(second).setPeriodStartTs(first.getPeriodStartTs())
                .setEvents(first.getEvents() + second.getEvents())
                .setEventsShipped(first.getEventsShipped() + second.getEventsShipped())
                .setDrops(first.getDrops() + second.getDrops()).setDropsByCause(causes)
                .setPreemptions(first.getPreemptions() + second.getPreemptions()).build();
    }

    /** Emits every batch opened more than {@code maxAgeNanos} ago. */
    public void flushOlderThan(long maxAgeNanos, long nowNanos) {
        var it = open.entrySet().iterator();
        while (it.hasNext()) {
            var en = it.next();
            if (nowNanos - en.getValue().openedNanos >= maxAgeNanos) {
                it.remove();
                emit(en.getKey(), en.getValue());
            }
        }
    }

    /** Emits everything open (shutdown), and a stats-only batch if stats are still pending. */
    public void flushAll() {
        for (var en : open.entrySet()) {
            emit(en.getKey(), en.getValue());
        }
        open.clear();
        if (pendingStats != null) {
            Open empty = new Open();
            empty.firstTs = pendingStats.getPeriodEndTs();
            empty.lastTs = pendingStats.getPeriodEndTs();
            emit(new BatchKey(host, ""), empty);
        }
    }

    private void emit(BatchKey key, Open b) {
        long seq = sequences.merge(key, 1L, Long::sum);
        EventBatch.Builder eb = EventBatch.newBuilder().setHost(host).setContainerId(key.containerId())
                .setShipperId(shipperId).setSequence(seq).setFirstTs(b.firstTs).setLastTs(b.lastTs)
                .setBootTsEpoch(bootTsEpoch).setEvents(b.events).setProcesses(b.processes).setFds(b.fds);
        if (pendingStats != null) {
            eb.setStats(pendingStats);
            pendingStats = null;
        }
        out.accept(eb.build());
    }

    /** The batch contract uses "" for the host, Falco's container.id prints "host". */
    private static String containerKey(String containerId) {
        return ContainerIds.HOST.equals(containerId) ? "" : containerId;
    }
}
