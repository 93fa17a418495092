package io.peregrine.engine;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.FdSnapshot;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.ProcessSnapshot;
import io.peregrine.avro.ProcessSnapshotConversion;
import io.peregrine.avro.SyscallEvent;
import io.peregrine.avro.SyscallEventConversion;
import io.peregrine.avro.UserInfo;
import io.peregrine.output.Alert;
import io.peregrine.state.CaptureLoader;
import io.peregrine.state.FdInfo;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.StateEngine;
import io.peregrine.state.ThreadInfo;
import io.peregrine.state.ThreadStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Detection for one (host, container) key: applies the key's {@link EventBatch}es in order to its
 * own state engine and detection step. A batch first seeds the tables with what the whole-host
 * batcher attached (users, groups, thread snapshots with their fds, ancestors from other keys),
 * then runs its events. Plain Java: the Flink operator only routes batches to it.
 */
public final class KeyedDetection {

    private final StateEngine state;
    private final DetectionStep step;

    public KeyedDetection(ThreadStore threads, DetectionRules rules, DetectionSettings settings) {
        this.state = new StateEngine(threads);
        this.step = DetectionStep.of(state, rules, settings);
    }

    /** A key's detection with its threads in memory. */
    public KeyedDetection(DetectionRules rules, DetectionSettings settings) {
        this(new InMemoryThreadStore(), rules, settings);
    }

    /**
     * Seeds the tables from the batch, then runs its events; alerts go to {@code out} in event order.
     * The tables are complete when it returns (no removal left for the next event): the job stores
     * them after each batch.
     */
    public void apply(EventBatch batch, Consumer<Alert> out) {
        for (UserInfo u : batch.getUsers()) {
            state.addUser(new io.peregrine.state.UserInfo(u.getUid(), u.getGid(), u.getName(), u.getHomedir(),
                    u.getShell()));
        }
        for (GroupInfo g : batch.getGroups()) {
            state.addGroup(new io.peregrine.state.GroupInfo(g.getGid(), g.getName()));
        }
        for (NetInterface i : batch.getInterfaces()) {
            byte[] netmask = bytes(i.getNetmask());
            state.addInterface(bytes(i.getAddr()), netmask.length == 0 ? null : netmask);
        }
        seedThreads(batch);
        for (SyscallEvent e : batch.getEvents()) {
            step.process(SyscallEventConversion.toEvent(e), out);
        }
        state.applyDeferredRemovals();
    }

    /**
     * Snapshots of the key's own threads replace what the table holds (the batcher sends one when
     * the thread is new to the key); ancestors from other keys are added only when absent, so a
     * clone under this key finds its parent and inherits its fds as in a whole-host table.
     */
    private void seedThreads(EventBatch batch) {
        if (batch.getProcesses().isEmpty()) {
            return;
        }
        Map<Long, List<FdSnapshot>> fdsByTid = new HashMap<>();
        for (FdSnapshot f : batch.getFds()) {
            fdsByTid.computeIfAbsent(f.getTid(), k -> new ArrayList<>()).add(f);
        }
        List<ThreadInfo> added = new ArrayList<>();
        List<ThreadInfo> fresh = new ArrayList<>();
        for (ProcessSnapshot s : batch.getProcesses()) {
            ThreadInfo previous = state.threads().get(s.getTid());
            if (s.getAncestor() && previous != null) {
                continue;
            }
            ThreadInfo t = CaptureLoader.thread(ProcessSnapshotConversion.toScap(s,
                    fdsByTid.getOrDefault(s.getTid(), List.of())));
            t.cloneTs = s.getCloneTs();
            // Sent now because the thread is active now: inactivity expiry counts from here, not
            // from a start time that may be days old.
            t.lastActivityTs = Math.max(t.lastActivityTs, batch.getFirstTs());
            state.addThread(t);
            // The sender's values as they are: addThread and the header reader fill in defaults
            // (vtid/vpid from tid/pid, a trailing '/' on cwd) that the sender's table never had.
            t.vtid = s.getVtid();
            t.vpid = s.getVpid();
            t.cwd = s.getCwd();
            if (previous != null) {
                // The table already counts this thread and its threads (it created it from a clone).
                t.nchilds = previous.nchilds;
            } else {
                added.add(t);
            }
            state.threads().put(t);
            fresh.add(t);
        }
        countThreads(added);
        assignSocketRoles(fresh);
    }

    /**
     * A main thread counts its other threads (proc.nthreads; libsinsp removes a main thread only
     * when they are gone); only threads new to the table count.
     */
    private void countThreads(List<ThreadInfo> added) {
        for (ThreadInfo t : added) {
            if (!t.isMainThread()) {
                ThreadInfo main = state.threads().get(t.pid);
                if (main != null) {
                    main.nchilds++;
                }
            }
        }
    }

    /**
     * The rule a capture header's sockets get (CaptureLoader does the same at load; it is private
     * there): a connected socket whose local port is one its process listens on is the server end.
     */
    private static void assignSocketRoles(List<ThreadInfo> added) {
        for (ThreadInfo t : added) {
            Set<Integer> serverPorts = new HashSet<>();
            for (FdInfo fd : t.fds.values()) {
                if (fd.type.isServerSocket()) {
                    serverPorts.add(fd.sport);
                }
            }
            for (FdInfo fd : t.fds.values()) {
                if (fd.type.isIpSocket() && fd.isRoleNone()) {
                    fd.flags |= serverPorts.contains(fd.sport) ? FdInfo.FLAG_ROLE_SERVER : FdInfo.FLAG_ROLE_CLIENT;
                }
            }
        }
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    public DetectionStep step() {
        return step;
    }

    public StateEngine state() {
        return state;
    }
}
