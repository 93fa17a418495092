package io.peregrine.state;

import io.peregrine.event.Event;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One thread as libsinsp tracks it ({@code sinsp_threadinfo}): identity, the process data it
 * carries (each thread keeps its own copy, as in libsinsp), its credentials, and the per-thread
 * parser state that pairs exit events with their enter event.
 *
 * <p>The main thread of a process owns the file-descriptor table and the working directory; other
 * threads reach them through the {@link ThreadStore} (see {@link StateEngine#fdTable}).
 */
public final class ThreadInfo implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Clone flags libsinsp keeps in {@code m_flags} ({@code PPM_CL_*}). */
    public static final int CL_CLONE_FILES = 1 << 0;
    public static final int CL_CLONE_FS = 1 << 1;
    public static final int CL_CLONE_NEWPID = 1 << 6;
    public static final int CL_CLONE_PARENT = 1 << 8;
    public static final int CL_CLONE_THREAD = 1 << 13;
    public static final int CL_CLONE_VM = 1 << 15;
    public static final int CL_CLONE_INVERTED = 1 << 16;
    public static final int CL_NAME_CHANGED = 1 << 17;
    public static final int CL_CLOSED = 1 << 18;
    public static final int CL_ACTIVE = 1 << 19;
    public static final int CL_CLONE_NEWUSER = 1 << 20;
    public static final int CL_CLONE_VFORK = 1 << 27;
    public static final int CL_CHILD_IN_PIDNS = 1 << 29;
    public static final int CL_IS_MAIN_THREAD = 1 << 30;

    public long tid;
    public long pid;
    public long ptid;
    public long sid = -1;
    public long vpgid = -1;
    public long vtid = -1;
    public long vpid = -1;
    public String comm = "";
    public String exe = "";
    public String exePath = "";
    public List<String> args = new ArrayList<>();
    public List<String> env = new ArrayList<>();
    /** cgroups as subsystem, path pairs in capture order. */
    public List<String[]> cgroups = new ArrayList<>();
    public String containerId = "";
    public String root = "/";
    public long fdLimit = -1;
    public int flags;
    public long uid;
    public long gid;
    public long loginUid;
    public long vmSizeKb;
    public long vmRssKb;
    public long vmSwapKb;
    public long pfMajor;
    public long pfMinor;
    public long cloneTs;
    public long tty;
    public long capPermitted = -1;
    public long capInheritable = -1;
    public long capEffective = -1;
    public boolean exeWritable;
    public boolean exeUpperLayer;
    public boolean exeFromMemfd;
    public long exeIno;
    public long exeInoCtime;
    public long exeInoMtime;
    public long pidnsInitStartTs;
    public long nchilds;
    /** Working directory (meaningful on the main thread, always ending in '/'). */
    public String cwd = "/";
    /** The fd table (meaningful on the main thread, or on threads without CLONE_FILES). */
    public Map<Long, FdInfo> fds = new HashMap<>();

    // Parser state, as libsinsp keeps it per thread.
    public long lastEventFd; // 0 until an event sets it, as libsinsp's init() leaves it
    public int lastEventType = -1;
    public long latencyNs;
    public long lastLatencyEnterTs;
    /** The last stored enter event (for the syscalls whose exit needs the enter's parameters). */
    public transient Event lastEnter;
    public boolean lastEnterValid;
    public long lastExecTs;
    /** Timestamp of the thread's last event, for expiring threads whose exit was never seen. */
    public long lastActivityTs;
    public long totalExecTimeNs;

    public boolean isMainThread() {
        return tid == pid;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** libsinsp's {@code get_fd_table} choice: share the main thread's table under CLONE_FILES. */
    public boolean sharesFdTable() {
        return (flags & CL_CLONE_FILES) != 0;
    }

    /** proc.args: the arguments joined by blanks. */
    public String argsLine() {
        return String.join(" ", args);
    }

    /** A thread that libsinsp invents for a tid it never saw ({@code get_thread_ref} without /proc). */
    public static ThreadInfo unknown(long tid) {
        ThreadInfo t = new ThreadInfo();
        t.tid = tid;
        t.pid = tid;
        t.ptid = -1;
        t.comm = "<NA>";
        t.exe = "<NA>";
        t.cwd = "";
        t.uid = 0xffffffffL;
        t.gid = 0xffffffffL;
        t.loginUid = 0xffffffffL;
        return t;
    }

    /** A copy of the process-level data for a new thread or process (libsinsp copies on clone). */
    public ThreadInfo copyProcessData() {
        ThreadInfo c = new ThreadInfo();
        c.sid = sid;
        c.vpgid = vpgid;
        c.comm = comm;
        c.exe = exe;
        c.exePath = exePath;
        c.args = new ArrayList<>(args);
        c.env = env;
        c.cgroups = new ArrayList<>(cgroups);
        c.containerId = containerId;
        c.root = root;
        c.fdLimit = fdLimit;
        c.uid = uid;
        c.gid = gid;
        c.loginUid = loginUid;
        c.tty = tty;
        c.capPermitted = capPermitted;
        c.capInheritable = capInheritable;
        c.capEffective = capEffective;
        c.exeWritable = exeWritable;
        c.exeUpperLayer = exeUpperLayer;
        c.exeFromMemfd = exeFromMemfd;
        c.exeIno = exeIno;
        c.exeInoCtime = exeInoCtime;
        c.exeInoMtime = exeInoMtime;
        c.pidnsInitStartTs = pidnsInitStartTs;
        c.cwd = cwd;
        return c;
    }
}
