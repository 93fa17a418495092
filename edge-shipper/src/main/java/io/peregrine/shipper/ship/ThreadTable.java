package io.peregrine.shipper.ship;

import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.shipper.proc.CloneFlags;
import io.peregrine.shipper.proc.ContainerIds;
import io.peregrine.shipper.proc.ProcScanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shipper's view of the host's threads: seeded from the /proc scan, kept current from the
 * events (clone/fork children, execve images, exits), so each event can be given its container and
 * each new thread its ancestry. Threads unknown to both are looked up in /proc on first sight.
 */
public final class ThreadTable {

    private static final int MAX_ANCESTRY = 64;

    private final Map<Long, ScapProcess> threads = new HashMap<>();
    /** Tids by process id, in tid order: a thread's process siblings without scanning the table. */
    private final Map<Long, Set<Long>> byPid = new HashMap<>();
    /** Tids /proc did not know either: not looked up again for every event they make. */
    private final Set<Long> unknown = new HashSet<>();
    private static final int MAX_UNKNOWN = 100_000;
    /** The filename of each thread's execve in flight (enter seen, exit not yet): the exit's exepath. */
    private final Map<Long, String> execFilenames = new HashMap<>();
    private final ProcScanner scanner;

    public ThreadTable(ProcScanner scanner, List<ScapProcess> snapshot) {
        this.scanner = scanner;
        for (ScapProcess p : snapshot) {
            put(p);
        }
    }

    /** Replaces the table with a fresh /proc scan (after a gap in the events). */
    public void reseed(List<ScapProcess> snapshot) {
        threads.clear();
        byPid.clear();
        unknown.clear();
        execFilenames.clear();
        for (ScapProcess p : snapshot) {
            put(p);
        }
    }

    /** The thread, from the table or (once) from /proc; null when it is gone everywhere. */
    public ScapProcess get(long tid) {
        ScapProcess p = threads.get(tid);
        if (p == null && scanner != null && !unknown.contains(tid)) {
            p = scanner.process(tid);
            if (p != null) {
                put(p);
            } else {
                if (unknown.size() >= MAX_UNKNOWN) {
                    unknown.clear();
                }
                unknown.add(tid);
            }
        }
        return p;
    }

    /** The container id of the thread ({@link ContainerIds#HOST} when unknown or on the host). */
    public String containerOf(long tid) {
        ScapProcess p = get(tid);
        return p == null ? ContainerIds.HOST : ContainerIds.fromCgroups(p.cgroups());
    }

    /** The thread's ancestors, parent first, as far as the table knows them (stops at pid 0 or a loop). */
    public List<ScapProcess> ancestors(long tid) {
        List<ScapProcess> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        ScapProcess p = get(tid);
        seen.add(tid);
        while (p != null && out.size() < MAX_ANCESTRY) {
            long parent = p.ptid();
            if (parent <= 0 || !seen.add(parent)) {
                break;
            }
            p = get(parent);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The other threads of the thread's process, main thread first, then by tid.
     */
    public List<ScapProcess> processThreads(long tid) {
        ScapProcess t = get(tid);
        List<ScapProcess> out = new ArrayList<>();
        if (t == null) {
            return out;
        }
        ScapProcess main = t.pid() == tid ? null : get(t.pid());
        if (main != null) {
            out.add(main);
        }
        for (long other : byPid.getOrDefault(t.pid(), Set.of())) {
            if (other != tid && other != t.pid()) {
                out.add(threads.get(other));
            }
        }
        return out;
    }

    private void put(ScapProcess p) {
        ScapProcess old = threads.put(p.tid(), p);
        if (old != null) {
            unindex(old);
        }
        byPid.computeIfAbsent(p.pid(), k -> new TreeSet<>()).add(p.tid());
    }

    private void unindex(ScapProcess p) {
        Set<Long> tids = byPid.get(p.pid());
        if (tids != null) {
            tids.remove(p.tid());
            if (tids.isEmpty()) {
                byPid.remove(p.pid());
            }
        }
    }

    public int size() {
        return threads.size();
    }

    /** Applies what an event says about threads (call before batching it). */
    public void apply(Event e) {
        EventInfo info = e.info();
        if (info == null) {
            return;
        }
        if (info.enter()) {
            if (info.name().equals("execve") && e.paramCount() >= 1) {
                execFilenames.put(e.threadId(), e.paramString(0));
            } else if (info.name().equals("execveat") && e.paramCount() >= 2 && e.paramString(1).startsWith("/")) {
                execFilenames.put(e.threadId(), e.paramString(1));
            }
            return;
        }
        switch (info.name()) {
            case "clone", "fork", "vfork", "clone3" -> onClone(e);
            case "execve", "execveat" -> onExec(e);
            default -> {
            }
        }
    }

    /** Forgets an exited thread (call after its procexit was batched). */
    public void remove(long tid) {
        ScapProcess gone = threads.remove(tid);
        if (gone != null) {
            unindex(gone);
        }
        execFilenames.remove(tid);
        unknown.remove(tid);
    }

    private void onClone(Event e) {
        if (e.paramCount() < 20) {
            return;
        }
        long res = e.paramLong(0, true);
        if (res < 0) {
            return;
        }
        // Both sides carry the caller's process block; the child's event (res 0) describes the child.
        if (res == 0) {
            unknown.remove(e.threadId());
            // Flagged as libsinsp flags a child its own event created: the parent's clone exit, which
            // can arrive later (a vfork parent resumes during the child's execve), must then leave the
            // child alone. Without the flag a consumer seeded from this snapshot would replace the
            // exec'd child with a copy of its parent (touch reported as sh).
            put(fromProcessBlock(e, e.threadId()).flags((int) e.paramLong(15, false) | CloneFlags.INVERTED).build());
        } else if (!threads.containsKey(res)) {
            unknown.remove(res);
            boolean thread = (e.paramLong(15, false) & CloneFlags.THREAD) != 0;
            ScapProcess.Builder b = fromProcessBlock(e, res);
            long callerPid = e.paramLong(4, true);
            put(b.pid(thread ? callerPid : res).ptid(thread ? e.paramLong(5, true) : callerPid).build());
        }
    }

    private void onExec(Event e) {
        String filename = execFilenames.remove(e.threadId());
        if (e.paramCount() < 20 || e.paramLong(0, true) != 0) {
            return;
        }
        unknown.remove(e.threadId());
        ScapProcess old = threads.get(e.threadId());
        ScapProcess.Builder b = old != null ? old.toBuilder() : ScapProcess.builder().tid(e.threadId());
        b.exe(e.paramString(1)).args(split(e.paramBytes(2))).pid(e.paramLong(4, true)).ptid(e.paramLong(5, true))
                .cwd(e.paramString(6)).comm(e.paramString(13)).cgroups(split(e.paramBytes(14)))
                .env(split(e.paramBytes(15))).loginuid(e.paramLong(18, false));
        if (filename != null) {
            // As libsinsp 0.29 derives proc.exepath: the execve filename, resolved against the cwd.
            b.exepath(java.nio.file.Paths.get(e.paramString(6)).resolve(filename).normalize().toString());
        }
        put(b.build());
    }

    private static ScapProcess.Builder fromProcessBlock(Event e, long tid) {
        return ScapProcess.builder().tid(tid).pid(e.paramLong(4, true)).ptid(e.paramLong(5, true))
                .exe(e.paramString(1)).args(split(e.paramBytes(2))).cwd(e.paramString(6))
                .fdlimit(e.paramLong(7, true)).comm(e.paramString(13)).cgroups(split(e.paramBytes(14)))
                .flags((int) e.paramLong(15, false)) // PPM_CL_* as libsinsp keeps them (thread counts, shared fds)
                .uid(e.paramLong(16, false)).gid(e.paramLong(17, false)).vtid(e.paramLong(18, true))
                .vpid(e.paramLong(19, true));
    }

    /** A libscap NUL-separated list. */
    static List<String> split(byte[] b) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(new String(Arrays.copyOfRange(b, start, i), java.nio.charset.StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(new String(Arrays.copyOfRange(b, start, b.length), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
