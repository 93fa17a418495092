package io.peregrine.batch;

import io.peregrine.avro.CaptureStats;
import io.peregrine.avro.CredentialConversion;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.FdSnapshot;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.ProcessSnapshotConversion;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.avro.UserInfo;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapInterface;
import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapUser;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.ParamType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cuts one host's event stream into {@link EventBatch}es keyed by (host, container), carrying the
 * state a keyed consumer cannot see for itself. See the package documentation for the design.
 *
 * <p>How batches close depends on the {@link Mode}: in {@link Mode#RUNS} (capture replay) a batch
 * is a run of consecutive events of one key, closed by a key switch, so that the batches, processed
 * in order, replay the host's stream in its original order (Falco's alert order); in
 * {@link Mode#PER_KEY} (the live shipper) each key keeps its own open batch while keys interleave,
 * so batches fill up instead of breaking at every switch, and order holds within a key only. In both
 * modes {@code maxEvents}, {@code maxBytes}, an event that brings new snapshots (they lead their
 * batch), {@link #flushOlderThan} and {@link #flush()} close batches.
 *
 * <p>Not thread-safe; the caller feeds events in stream order, each after its {@link HostView} has
 * applied it.
 */
public final class HostBatcher {

    /** How batches of different keys relate. */
    public enum Mode {
        /** One open batch at a time: a key switch closes it, so emit order is stream order. */
        RUNS,
        /** One open batch per key, closed by size or age: fuller batches when keys interleave. */
        PER_KEY
    }

    /** Rough per-event overhead on top of the parameter bytes (header fields, Avro framing). */
    private static final int EVENT_OVERHEAD_BYTES = 32;
    /** Rough size of a snapshot's fixed fields; its strings and fds are added on top. */
    private static final int SNAPSHOT_OVERHEAD_BYTES = 256;
    private static final int FD_BYTES = 64;

    private final String host;
    private final String shipperId;
    private final long bootTsEpoch;
    private final Mode mode;
    private final int maxEvents;
    private final long maxBytes;
    private final HostView view;
    private final Consumer<EventBatch> out;
    /** Per key: the tids whose snapshot the key's consumer has (sent before, or in the open batch). */
    private final Map<String, Set<Long>> known = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();
    /** Open batches by key, oldest first; at most one in {@link Mode#RUNS}. */
    private final Map<String, Open> open = new LinkedHashMap<>();
    private List<UserInfo> users = List.of();
    private List<GroupInfo> groups = List.of();
    private List<NetInterface> interfaces = List.of();
    private CaptureStats pendingStats;
    private long batches;
    private long snapshots;

    /** One key's batch being filled. */
    private static final class Open {
        final String key;
        final long openedNanos;
        final long firstTs;
        long lastTs;
        long bytes;
        final List<SyscallEvent> events = new ArrayList<>();
        final List<ProcessSnapshot> processes = new ArrayList<>();
        final List<FdSnapshot> fds = new ArrayList<>();

        Open(String key, long firstTs, long openedNanos) {
            this.key = key;
            this.firstTs = firstTs;
            this.lastTs = firstTs;
            this.openedNanos = openedNanos;
        }
    }

    /** A batcher in {@link Mode#RUNS} without a byte limit (capture replay). */
    public HostBatcher(String host, String shipperId, long bootTsEpoch, int maxEvents, HostView view,
            Consumer<EventBatch> out) {
        this(host, shipperId, bootTsEpoch, Mode.RUNS, maxEvents, Long.MAX_VALUE, view, out);
    }

    /**
     * @param maxBytes a batch closes once its estimated encoded size reaches this (keep it well under
     *        the transport's record limit; a single event larger than it still travels, alone)
     */
    public HostBatcher(String host, String shipperId, long bootTsEpoch, Mode mode, int maxEvents, long maxBytes,
            HostView view, Consumer<EventBatch> out) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, got " + maxEvents);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        this.host = host;
        this.shipperId = shipperId;
        this.bootTsEpoch = bootTsEpoch;
        this.mode = mode;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.view = view;
        this.out = out;
    }

    /** The users and groups every key's first batch carries (the host's tables at start). */
    public void setCredentials(List<UserInfo> users, List<GroupInfo> groups) {
        this.users = List.copyOf(users);
        this.groups = List.copyOf(groups);
    }

    /** The host's network interfaces every key's first batch carries. */
    public void setInterfaces(List<NetInterface> list) {
        this.interfaces = List.copyOf(list);
    }

    /**
     * The host's users, groups and interfaces as a capture header or the host itself lists them,
     * for every key's first batch.
     */
    public void setHostTables(List<ScapUser> scapUsers, List<ScapGroup> scapGroups, List<ScapInterface> scapInterfaces) {
        List<UserInfo> u = new ArrayList<>();
        scapUsers.forEach(x -> u.add(CredentialConversion.toAvro(x, "")));
        List<GroupInfo> g = new ArrayList<>();
        scapGroups.forEach(x -> g.add(CredentialConversion.toAvro(x, "")));
        setCredentials(u, g);
        List<NetInterface> i = new ArrayList<>();
        scapInterfaces.forEach(x -> i.add(new NetInterface(ByteBuffer.wrap(x.addr()),
                ByteBuffer.wrap(x.netmask() == null ? new byte[0] : x.netmask()))));
        setInterfaces(i);
    }

    /**
     * Capture counters for the next batch emitted. Periods that arrive before a batch leaves (a quiet
     * host) add up into one, so no drop count is lost.
     */
    public void attachStats(CaptureStats stats) {
        this.pendingStats = pendingStats == null ? stats : combine(pendingStats, stats);
    }

    /** Two consecutive periods as one: from the first's start to the second's end, counters summed. */
    static CaptureStats combine(CaptureStats first, CaptureStats second) {
        Map<String, Long> causes = new LinkedHashMap<>();
        first.getDropsByCause().forEach((cause, n) -> causes.merge(cause.toString(), n, Long::sum));
        second.getDropsByCause().forEach((cause, n) -> causes.merge(cause.toString(), n, Long::sum));
        return CaptureStats.newBuilder(second).setPeriodStartTs(first.getPeriodStartTs())
                .setEvents(first.getEvents() + second.getEvents())
                .setEventsShipped(first.getEventsShipped() + second.getEventsShipped())
                .setDrops(first.getDrops() + second.getDrops()).setDropsByCause(causes)
                .setPreemptions(first.getPreemptions() + second.getPreemptions()).build();
    }

    /** {@link #add(Event, long)} for a caller that never closes batches by age. */
    public void add(Event event) {
        add(event, 0);
    }

    /**
     * Adds one event, already applied to the {@link HostView}; {@code nowNanos} (any monotonic clock)
     * dates a batch it opens, for {@link #flushOlderThan}. An event that brings snapshots starts a new
     * batch, so that a consumer applying a batch's snapshots before its events applies them at the
     * point of the stream where they were taken.
     */
    public void add(Event event, long nowNanos) {
        String container = view.containerOf(event);
        Set<Long> sent = known.computeIfAbsent(container, k -> new HashSet<>());
        List<ScapProcess> needed = newThreads(event, sent);
        if (mode == Mode.RUNS) {
            closeOtherKeys(container);
        }
        Open batch = open.get(container);
        if (batch != null && !needed.isEmpty()) {
            emit(batch);
            batch = null;
        }
        if (batch == null) {
            batch = startBatch(container, event.timestampNs(), nowNanos);
        }
        for (ScapProcess thread : needed) {
            batch = attachSnapshots(batch, thread, sent, nowNanos);
        }
        batch.events.add(SyscallEventConversion.toAvro(event));
        batch.bytes += event.data().length + EVENT_OVERHEAD_BYTES;
        batch.lastTs = event.timestampNs();
        if (view.endsThread(event)) {
            // A later thread with the same tid is a new thread: its snapshot must travel again.
            sent.remove(event.threadId());
        }
        if (batch.events.size() >= maxEvents || batch.bytes >= maxBytes) {
            emit(batch);
        }
    }

    private Open startBatch(String key, long firstTs, long nowNanos) {
        Open batch = new Open(key, firstTs, nowNanos);
        open.put(key, batch);
        return batch;
    }

    private void closeOtherKeys(String container) {
        if (!open.isEmpty() && !open.containsKey(container)) {
            flushOpen();
        }
    }

    /**
     * The threads the event needs that the key's consumer has not had: its own, and those its PID
     * parameters name (a switch's next thread, a clone's child, a kill's target), which libsinsp
     * looks up to interpret and print the event.
     */
    private List<ScapProcess> newThreads(Event event, Set<Long> sent) {
        List<ScapProcess> out = new ArrayList<>();
        addIfNew(event.threadId(), sent, out);
        EventInfo info = event.info();
        if (info != null) {
            for (int i = 0; i < info.params().size() && i < event.paramCount(); i++) {
                if (info.params().get(i).type() == ParamType.PID && event.paramLength(i) == 8) {
                    addIfNew(event.paramLong(i, true), sent, out);
                }
            }
        }
        return out;
    }

    private void addIfNew(long tid, Set<Long> sent, List<ScapProcess> out) {
        if (tid <= 0 || sent.contains(tid)) {
            return;
        }
        for (ScapProcess p : out) {
            if (p.tid() == tid) {
                return;
            }
        }
        ScapProcess p = view.snapshot(tid);
        if (p != null) {
            out.add(p);
        }
    }

    /**
     * The thread's snapshot, then every related thread (process siblings, ancestors) the key's
     * consumer has not had yet; those of other containers are flagged {@code ancestor}. Snapshots
     * past the byte limit continue in a new batch of the same key (a JVM's hundreds of threads, each
     * with the whole command line, would not fit in one Kafka record); the consumer applies them in
     * order before the event that needed them. Returns the batch the event goes into.
     */
    private Open attachSnapshots(Open batch, ScapProcess thread, Set<Long> sent, long nowNanos) {
        if (!sent.add(thread.tid())) {
            return batch;
        }
        batch = addSnapshot(batch, thread, nowNanos);
        for (ScapProcess other : view.related(thread.tid())) {
            if (sent.add(other.tid())) {
                batch = addSnapshot(batch, other, nowNanos);
            }
        }
        return batch;
    }

    /** A snapshot names its own container: its ancestors may live under another key. */
    private Open addSnapshot(Open batch, ScapProcess p, long nowNanos) {
        if (batch.bytes >= maxBytes && batch.events.isEmpty() && !batch.processes.isEmpty()) {
            emit(batch);
            batch = startBatch(batch.key, batch.firstTs, nowNanos);
        }
        String own = view.containerOf(p);
        batch.processes.add(ProcessSnapshotConversion.toAvro(p, own, !own.equals(batch.key), 0));
        List<FdSnapshot> fds = ProcessSnapshotConversion.fdsToAvro(p);
        batch.fds.addAll(fds);
        batch.bytes += SNAPSHOT_OVERHEAD_BYTES + chars(p.args()) + chars(p.env()) + chars(p.cgroups())
                + (long) FD_BYTES * fds.size();
        snapshots++;
        return batch;
    }

    private static long chars(List<String> strings) {
        long n = 0;
        for (String s : strings) {
            n += s.length() + 1;
        }
        return n;
    }

    /** Emits every batch opened at least {@code maxAgeNanos} before {@code nowNanos} (same clock as {@link #add(Event, long)}). */
    public void flushOlderThan(long maxAgeNanos, long nowNanos) {
        for (Open batch : new ArrayList<>(open.values())) {
            if (nowNanos - batch.openedNanos >= maxAgeNanos) {
                emit(batch);
            }
        }
    }

    /**
     * Emits every open batch, oldest first; then, if capture counters are still waiting, a batch of
     * the host key with no events that carries them (so a shutdown does not lose them).
     */
    public void flush() {
        flushOpen();
        if (pendingStats != null) {
            long ts = pendingStats.getPeriodEndTs();
            emit(new Open("", ts, 0));
        }
    }

    private void flushOpen() {
        for (Open batch : new ArrayList<>(open.values())) {
            emit(batch);
        }
    }

    private void emit(Open batch) {
        open.remove(batch.key);
        long sequence = sequences.merge(batch.key, 1L, Long::sum);
        boolean firstOfKey = sequence == 1;
        EventBatch.Builder b = EventBatch.newBuilder()
                .setHost(host).setContainerId(batch.key).setShipperId(shipperId).setSequence(sequence)
                .setFirstTs(batch.firstTs).setLastTs(batch.lastTs).setBootTsEpoch(bootTsEpoch)
                .setEvents(batch.events).setProcesses(batch.processes).setFds(batch.fds)
                .setUsers(firstOfKey ? new ArrayList<>(users) : new ArrayList<>())
                .setGroups(firstOfKey ? new ArrayList<>(groups) : new ArrayList<>())
                .setInterfaces(firstOfKey ? new ArrayList<>(interfaces) : new ArrayList<>());
        if (pendingStats != null) {
            b.setStats(pendingStats);
            pendingStats = null;
        }
        batches++;
        out.accept(b.build());
    }

    /** Batches emitted so far. */
    public long batches() {
        return batches;
    }

    /** Process snapshots attached so far (threads and ancestors). */
    public long snapshots() {
        return snapshots;
    }
}
