package io.peregrine.fields.extract;

import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.state.EventContext;
import io.peregrine.state.FdInfo;
import io.peregrine.state.StateEngine;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code proc.*} and {@code thread.*} fields (libsinsp's sinsp_filter_check_thread). */
final class ProcessFields {

    private static final long SECOND = 1_000_000_000L;

    private ProcessFields() {
    }

    /** A value from the event's thread; null when the event has none. */
    private interface ThreadValue {
        Object apply(EventContext c, ThreadInfo t);
    }

    private static Extractor thread(FieldDefinition d, ThreadValue f) {
        return Extractor.of(d, c -> c.thread() == null ? null : f.apply(c, c.thread()));
    }

    static FieldExtractor create(FieldDefinition d, String arg) {
        switch (d.name()) {
            case "thread.tid":
                return Extractor.of(d, c -> c.event().threadId());
            case "proc.pid":
                return thread(d, (c, t) -> t.pid);
            case "proc.sid":
                return thread(d, (c, t) -> t.sid);
            case "proc.vpgid":
                return thread(d, (c, t) -> t.vpgid);
            case "proc.sname":
                return thread(d, ProcessFields::sessionLeaderName);
            case "proc.tty":
                return thread(d, (c, t) -> t.tty);
            case "proc.name":
                return thread(d, (c, t) -> t.comm);
            case "proc.exe":
                return thread(d, (c, t) -> t.exe);
            case "proc.exepath":
                return thread(d, (c, t) -> t.exePath);
            case "proc.args":
                return thread(d, (c, t) -> t.argsLine());
            case "proc.env":
                // Threads report their process's environment (libsinsp's get_env).
                return thread(d, (c, t) -> {
                    ThreadInfo main = t.isMainThread() ? t : c.engine().mainThread(t);
                    return String.join(" ", (main == null ? t : main).env);
                });
            case "proc.cmdline":
                return thread(d, (c, t) -> cmdline(t));
            case "proc.exeline":
                return thread(d, (c, t) -> t.exe + " " + t.argsLine());
            case "proc.cwd":
                return thread(d, (c, t) -> c.engine().cwd(t));
            case "proc.nthreads":
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    return main == null ? null : main.nchilds + 1;
                });
            case "proc.nchilds":
                return thread(d, (c, t) -> t.nchilds);
            case "thread.ismain":
                return thread(d, (c, t) -> t.isMainThread());
            case "thread.exectime":
                return new ExecTime(d, false);
            case "thread.totexectime":
                return new ExecTime(d, true);
            case "proc.ppid":
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    return main == null ? null : main.ptid;
                });
            case "proc.pname":
                return thread(d, (c, t) -> name(c.engine().threadOrAncestor(t.ptid)));
            case "proc.pcmdline":
                return thread(d, (c, t) -> {
                    ThreadInfo p = c.engine().threadOrAncestor(t.ptid);
                    return p == null ? null : cmdline(p);
                });
            case "proc.pexe":
                return thread(d, (c, t) -> {
                    ThreadInfo p = c.engine().parent(c.engine().mainThread(t) == null ? t : c.engine().mainThread(t));
                    return p == null ? null : p.exe;
                });
            case "proc.pexepath":
                return thread(d, (c, t) -> {
                    ThreadInfo p = c.engine().parent(c.engine().mainThread(t) == null ? t : c.engine().mainThread(t));
                    return p == null ? null : p.exePath;
                });
            case "proc.apid":
                return ancestor(d, arg, t -> t.pid);
            case "proc.aname":
                return ancestor(d, arg, t -> t.comm);
            case "proc.aexe":
                return ancestor(d, arg, t -> t.exe);
            case "proc.aexepath":
                return ancestor(d, arg, t -> t.exePath);
            case "proc.loginshellid":
                return thread(d, ProcessFields::loginShellId);
            case "proc.duration":
                return thread(d, (c, t) -> t.cloneTs == 0 ? null : c.event().timestampNs() - t.cloneTs);
            case "proc.ppid.duration":
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    ThreadInfo p = main == null ? null : c.engine().parent(main);
                    return p == null || p.cloneTs == 0 ? null : c.event().timestampNs() - p.cloneTs;
                });
            case "proc.fdopencount":
                // libsinsp counts the main thread's own table, whatever table the thread uses.
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    return main == null ? null : (long) main.fds.size();
                });
            case "proc.fdlimit":
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    return main == null ? null : main.fdLimit;
                });
            case "proc.fdusage":
                return thread(d, (c, t) -> {
                    ThreadInfo main = c.engine().mainThread(t);
                    if (main == null || main.fdLimit <= 0) {
                        return 0.0;
                    }
                    return Math.min(100.0, (double) main.fds.size() * 100 / main.fdLimit);
                });
            case "proc.vmsize":
                return thread(d, (c, t) -> t.vmSizeKb);
            case "proc.vmrss":
                return thread(d, (c, t) -> t.vmRssKb);
            case "proc.vmswap":
                return thread(d, (c, t) -> t.vmSwapKb);
            case "thread.vmsize":
                return thread(d, (c, t) -> t.isMainThread() ? t.vmSizeKb : 0L);
            case "thread.vmrss":
                return thread(d, (c, t) -> t.isMainThread() ? t.vmRssKb : 0L);
            case "thread.pfmajor":
                return thread(d, (c, t) -> t.pfMajor);
            case "thread.pfminor":
                return thread(d, (c, t) -> t.pfMinor);
            case "thread.cgroups":
                return thread(d, (c, t) -> cgroups(t));
            case "thread.cgroup":
                return thread(d, (c, t) -> {
                    for (String[] cg : t.cgroups) {
                        if (cg[0].equals(arg)) {
                            return cg[1];
                        }
                    }
                    return null;
                });
            case "thread.vtid":
                return thread(d, (c, t) -> t.vtid == -1 ? null : t.vtid);
            case "proc.vpid":
                return thread(d, (c, t) -> t.vpid == -1 ? null : t.vpid);
            case "thread.cpu":
            case "thread.cpu.user":
            case "thread.cpu.system":
                // CPU usage comes from procinfo samples Peregrine does not aggregate; unset, as
                // libsinsp reports it on every event but the sampling ones.
                return thread(d, (c, t) -> null);
            case "proc.is_container_healthcheck":
            case "proc.is_container_liveness_probe":
            case "proc.is_container_readiness_probe":
                return thread(d, (c, t) -> false);
            case "proc.is_exe_writable":
                return thread(d, (c, t) -> t.exeWritable);
            case "proc.is_exe_upper_layer":
                return thread(d, (c, t) -> t.exeUpperLayer);
            case "proc.is_exe_from_memfd":
                return thread(d, (c, t) -> t.exeFromMemfd);
            case "proc.is_vpgid_leader":
                return thread(d, (c, t) -> {
                    ThreadInfo mt = c.engine().mainThread(t);
                    return mt == null || mt.vpid == -1 || mt.vpgid == -1 ? null : mt.vpid == mt.vpgid;
                });
            case "proc.vpgid.name":
                return thread(d, (c, t) -> name(vpgidLeader(c.engine(), t)));
            case "proc.vpgid.exe":
                return thread(d, (c, t) -> {
                    ThreadInfo l = vpgidLeader(c.engine(), t);
                    return l == null ? null : l.exe;
                });
            case "proc.vpgid.exepath":
                return thread(d, (c, t) -> {
                    ThreadInfo l = vpgidLeader(c.engine(), t);
                    return l == null ? null : l.exePath;
                });
            case "proc.exe_ino":
                return thread(d, (c, t) -> t.exeIno == 0 ? null : t.exeIno);
            case "proc.exe_ino.ctime":
                return thread(d, (c, t) -> t.exeInoCtime == 0 ? null : t.exeInoCtime);
            case "proc.exe_ino.mtime":
                return thread(d, (c, t) -> t.exeInoMtime == 0 ? null : t.exeInoMtime);
            case "proc.exe_ino.ctime_duration_proc_start":
                return thread(d, (c, t) -> t.exeInoCtime == 0 || t.cloneTs == 0 ? null : t.cloneTs - t.exeInoCtime);
            case "proc.exe_ino.ctime_duration_pidns_start":
                return thread(d, (c, t) -> t.exeInoCtime == 0 || t.pidnsInitStartTs == 0 ? null
                        : t.pidnsInitStartTs - t.exeInoCtime);
            case "thread.cap_permitted":
                return thread(d, (c, t) -> Capabilities.render(t.capPermitted));
            case "thread.cap_inheritable":
                return thread(d, (c, t) -> Capabilities.render(t.capInheritable));
            case "thread.cap_effective":
                return thread(d, (c, t) -> Capabilities.render(t.capEffective));
            default:
                return Extractor.of(d, c -> null);
        }
    }

    /** An ancestors list whose checks hold when they hold for any ancestor (libsinsp's compare_full_aname). */
    private static final class AnyAncestor extends Extractor {
        private final Extractor inner;

        AnyAncestor(Extractor inner) {
            super(inner.definition(), inner.type(), true);
            this.inner = inner;
        }

        @Override
        public boolean matchesAnyElement() {
            return true;
        }

        @Override
        protected Object extract(EventContext c) {
            return inner.extract((io.peregrine.fields.EvalContext) c);
        }
    }

    /**
     * thread.exectime / thread.totexectime: on switch events, the time since the previous switch on
     * the same CPU (libsinsp keeps the per-CPU clock in the field check, the total per thread).
     */
    private static final class ExecTime extends Extractor {
        private final Map<Integer, Long> lastSwitch = new java.util.HashMap<>();
        private final Map<Long, Long> totals = new java.util.HashMap<>();
        private final boolean total;

        ExecTime(FieldDefinition d, boolean total) {
            super(d, d.type(), false);
            this.total = total;
        }

        @Override
        protected Object extract(EventContext c) {
            long value = 0;
            if (c.info() != null && c.info().name().equals("switch")) {
                long ts = c.event().timestampNs();
                Long last = lastSwitch.put(c.event().cpu(), ts);
                if (last != null && last != 0) {
                    value = ts - last;
                }
            }
            if (!total) {
                return value;
            }
            if (c.thread() == null) {
                return null;
            }
            return totals.merge(c.thread().tid, value, Long::sum);
        }
    }

    private static String name(ThreadInfo t) {
        return t == null ? null : t.comm;
    }

    static String cmdline(ThreadInfo t) {
        StringBuilder out = new StringBuilder(t.comm);
        for (String a : t.args) {
            out.append(' ').append(a);
        }
        return out.toString();
    }

    private static String cgroups(ThreadInfo t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < t.cgroups.size(); i++) {
            String[] cg = t.cgroups.get(i);
            out.append(cg[0]).append('=').append(cg[1]);
            if (i < t.cgroups.size() - 1) {
                out.append(' ');
            }
        }
        return t.cgroups.isEmpty() ? null : out.toString();
    }

    private interface AncestorValue {
        Object apply(ThreadInfo t);
    }

    /** proc.aname[N] and friends: the Nth ancestor's value; without N, every ancestor's (a list). */
    private static FieldExtractor ancestor(FieldDefinition d, String arg, AncestorValue value) {
        if (arg == null) {
            FieldType type = d.type();
            return new AnyAncestor(Extractor.of(d, type, true, c -> {
                ThreadInfo t = c.thread();
                if (t == null) {
                    return null;
                }
                StateEngine engine = c.engine();
                ThreadInfo mt = t.isMainThread() ? t : engine.mainThread(t);
                if (mt == null) {
                    return null;
                }
                List<Object> values = new ArrayList<>();
                int guard = 0;
                for (ThreadInfo p = engine.parent(mt); p != null && guard++ < 1000; p = engine.parent(p)) {
                    values.add(value.apply(p));
                }
                return values;
            }));
        }
        int depth = Integer.parseInt(arg);
        return Extractor.of(d, c -> {
            ThreadInfo t = c.thread();
            if (t == null) {
                return null;
            }
            StateEngine engine = c.engine();
            ThreadInfo mt = t.isMainThread() ? t : engine.mainThread(t);
            for (int j = 0; j < depth && mt != null; j++) {
                mt = engine.parent(mt);
            }
            return mt == null ? null : value.apply(mt);
        });
    }

    /** proc.sname: the thread with pid == sid, else the eldest ancestor in the same session. */
    private static Object sessionLeaderName(EventContext c, ThreadInfo t) {
        StateEngine engine = c.engine();
        ThreadInfo leader = engine.threads().get(t.sid);
        if (leader != null) {
            return leader.comm;
        }
        ThreadInfo mt = engine.mainThread(t);
        if (mt == null) {
            return null;
        }
        long sid = mt.sid;
        int guard = 0;
        for (ThreadInfo p = engine.parent(mt); p != null && p.sid == sid && guard++ < 1000; p = engine.parent(p)) {
            mt = p;
        }
        return mt.comm;
    }

    /** proc.loginshellid: the pid of the eldest ancestor (self included) whose name ends in "sh". */
    private static Object loginShellId(EventContext c, ThreadInfo t) {
        StateEngine engine = c.engine();
        ThreadInfo mt = t.isMainThread() ? t : engine.mainThread(t);
        if (mt == null) {
            return null;
        }
        Long result = null;
        int guard = 0;
        for (ThreadInfo p = mt; p != null && guard++ < 1000; p = engine.parent(p)) {
            if (p.comm.length() >= 2 && p.comm.endsWith("sh")) {
                result = p.pid;
            }
        }
        return result;
    }

    private static ThreadInfo vpgidLeader(StateEngine engine, ThreadInfo t) {
        ThreadInfo mt = engine.mainThread(t);
        int guard = 0;
        for (ThreadInfo p = mt; p != null && guard++ < 1000; p = engine.parent(p)) {
            if (p.vpid == t.vpgid) {
                return p;
            }
        }
        return null;
    }

    static long seconds(long ns) {
        return ns / SECOND;
    }
}
