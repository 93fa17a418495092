package io.peregrine.batch;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.FdSnapshot;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.ProcessSnapshotConversion;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.avro.UserInfo;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.ParamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cuts one host's event stream into {@link EventBatch}es keyed by (host, container), carrying the
 * state a keyed consumer cannot see for itself. See the package documentation for the design.
 *
 * <p>A batch is a run of consecutive events of one key: a key switch, {@code maxEvents}, an event
 * that brings new snapshots (they lead their batch) or {@link #flush()} closes it. Processed in order, the batches therefore replay the host's stream in
 * its original order, which capture replay relies on for Falco's alert order.
 *
 * <p>Not thread-safe; the caller feeds events in stream order, each after its {@link HostView} has
 * applied it.
 */
public final class HostBatcher {

    private final String host;
    private final String shipperId;
    private final long bootTsEpoch;
    private final int maxEvents;
    private final HostView view;
    private final Consumer<EventBatch> out;
    /** Per key: the tids whose snapshot the key's consumer has (sent before, or in the open batch). */
    private final Map<String, Set<Long>> known = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private List<UserInfo> users = List.of();
    private List<GroupInfo> groups = List.of();
    private List<NetInterface> interfaces = List.of();

    private String openKey;
    private final List<SyscallEvent> events = new ArrayList<>();
    private final List<ProcessSnapshot> processes = new ArrayList<>();
    private final List<FdSnapshot> fds = new ArrayList<>();
    private long firstTs;
    private long lastTs;
    private long batches;
    private long snapshots;

    public HostBatcher(String host, String shipperId, long bootTsEpoch, int maxEvents, HostView view,
            Consumer<EventBatch> out) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, got " + maxEvents);
        }
        this.host = host;
        this.shipperId = shipperId;
        this.bootTsEpoch = bootTsEpoch;
        this.maxEvents = maxEvents;
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
     * Adds one event, already applied to the {@link HostView}. An event that brings snapshots starts
     * a new batch, so that a consumer applying a batch's snapshots before its events applies them at
     * the point of the stream where they were taken.
     */
    public void add(Event event) {
        String container = view.containerOf(event);
        Set<Long> sent = known.computeIfAbsent(container, k -> new HashSet<>());
        List<ScapProcess> needed = newThreads(event, sent);
        if (openKey != null && (!openKey.equals(container) || events.size() >= maxEvents
                || (!needed.isEmpty() && !events.isEmpty()))) {
            flush();
        }
        if (openKey == null) {
            openKey = container;
            firstTs = event.timestampNs();
        }
        for (ScapProcess thread : needed) {
            attachSnapshots(container, thread, sent);
        }
        events.add(SyscallEventConversion.toAvro(event));
        lastTs = event.timestampNs();
        if (view.endsThread(event)) {
            // A later thread with the same tid is a new thread: its snapshot must travel again.
            sent.remove(event.threadId());
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
     * consumer has not had yet; those of other containers are flagged {@code ancestor}.
     */
    private void attachSnapshots(String container, ScapProcess thread, Set<Long> sent) {
        if (!sent.add(thread.tid())) {
            return;
        }
        addSnapshot(thread, container, !containerOf(thread).equals(container));
        for (ScapProcess other : view.related(thread.tid())) {
            if (sent.add(other.tid())) {
                addSnapshot(other, container, !containerOf(other).equals(container));
            }
        }
    }

    /** A snapshot's own container: its ancestors may live under another key. */
    private String containerOf(ScapProcess p) {
        return view.containerOf(p);
    }

    private void addSnapshot(ScapProcess p, String container, boolean ancestor) {
        processes.add(ProcessSnapshotConversion.toAvro(p, container, ancestor, 0));
        fds.addAll(ProcessSnapshotConversion.fdsToAvro(p));
        snapshots++;
    }

    /** Emits the open batch, if any. */
    public void flush() {
        if (openKey == null) {
            return;
        }
        long sequence = sequences.merge(openKey, 1L, Long::sum);
        boolean firstOfKey = sequence == 1;
        EventBatch batch = EventBatch.newBuilder()
                .setHost(host).setContainerId(openKey).setShipperId(shipperId).setSequence(sequence)
                .setFirstTs(firstTs).setLastTs(lastTs).setBootTsEpoch(bootTsEpoch)
                .setEvents(new ArrayList<>(events)).setProcesses(new ArrayList<>(processes))
                .setFds(new ArrayList<>(fds))
                .setUsers(firstOfKey ? new ArrayList<>(users) : new ArrayList<>())
                .setGroups(firstOfKey ? new ArrayList<>(groups) : new ArrayList<>())
                .setInterfaces(firstOfKey ? new ArrayList<>(interfaces) : new ArrayList<>())
                .build();
        events.clear();
        processes.clear();
        fds.clear();
        openKey = null;
        batches++;
        out.accept(batch);
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
