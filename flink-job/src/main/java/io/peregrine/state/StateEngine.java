package io.peregrine.state;

import static io.peregrine.state.SocketParams.AF_INET;
import static io.peregrine.state.SocketParams.AF_INET6;
import static io.peregrine.state.SocketParams.AF_UNIX;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The thread, file-descriptor, user and container tables, updated event by event with libsinsp's
 * semantics ({@code sinsp_parser}).
 *
 * <pre>
 *   event ──► applyPendingRemovals ──► reset (thread lookup, enter/exit pairing, event fd)
 *                                        │
 *                                        ▼
 *                                 parse (per-syscall state change) ──► EventContext for extraction
 * </pre>
 *
 * <p>Like libsinsp, removals are deferred by one event: the {@code procexit} of a thread and the
 * {@code close} exit of an fd still see what they remove. Plain Java, no Flink: the job hands it a
 * {@link ThreadStore} backed by keyed state.
 */
public final class StateEngine {

    /** libsinsp's CLONE_STALE_TIME_NS: a clone child older than this is a reused tid. */
    private static final long CLONE_STALE_TIME_NS = 2_000_000_000L;
    private static final long AT_FDCWD = -100;
    private static final int O_DIRECTORY = 1 << 10;
    private static final int O_CLOEXEC = 1 << 12;
    private static final int AF_NETLINK = 16;
    private static final int EINPROGRESS = 115;
    private static final int RLIMIT_NOFILE = 7;

    private final ThreadStore threads;
    private final Map<Long, UserInfo> users = new HashMap<>();
    private final Map<Long, GroupInfo> groups = new HashMap<>();
    private final Map<String, ContainerInfo> containers = new HashMap<>();
    /** Ancestors that live outside this table (another key's process tree), by tid. */
    private final Map<Long, ThreadInfo> externalAncestors = new HashMap<>();
    private final NetworkInterfaces interfaces = new NetworkInterfaces();
    private final EventContext context = new EventContext(this);

    private boolean closeOnExec = true;
    private long eventCount;
    private long firstEventTs;
    private long previousEventTs;
    private long tidToRemove = -1;
    private ThreadInfo fdsToRemoveOwner;
    private final List<Long> fdsToRemove = new ArrayList<>();

    public StateEngine(ThreadStore threads) {
        this.threads = threads;
    }

    /**
     * Whether a successful execve drops the O_CLOEXEC descriptors, as the kernel does (the
     * default). sysdig 0.29.3's libsinsp keeps them; replay turns this off to print what it prints.
     */
    public StateEngine closeOnExec(boolean enabled) {
        this.closeOnExec = enabled;
        return this;
    }

    // ---------------------------------------------------------------- initial state

    /**
     * Adds a thread from a process list (capture or /proc snapshot), as libsinsp does when it opens
     * a capture: no child counting beyond the main thread's thread count.
     */
    public void addThread(ThreadInfo thread) {
        if (thread.vtid < 0) {
            thread.vtid = thread.tid;
        }
        if (thread.vpid < 0) {
            thread.vpid = thread.pid;
        }
        threads.put(thread);
    }

    /**
     * Finishes loading a process list: counts each main thread's other threads, as libsinsp's
     * create_child_dependencies does, i.e. only those flagged CLONE_THREAD (libscap flags every
     * non-main thread it finds in /proc so).
     */
    public void finishInitialLoad() {
        threads.forEach(t -> {
            if (!t.isMainThread() && t.hasFlag(ThreadInfo.CL_CLONE_THREAD)) {
                ThreadInfo main = threads.get(t.pid);
                if (main != null) {
                    main.nchilds++;
                }
            }
        });
    }

    /** Declares one of the machine's network interfaces (netmask may be null). */
    public void addInterface(byte[] address, byte[] netmask) {
        interfaces.add(address, netmask);
    }

    /** Completes a socket tuple with the likely interface address (libsinsp's update_fd). */
    void fillMissingEnd(FdInfo fd) {
        interfaces.fillMissingEnd(fd);
    }

    /** Whether {@code address} belongs to the machine (or container) {@code t} runs on, as libsinsp guesses it. */
    public boolean isLocalAddress(byte[] address, ThreadInfo t) {
        boolean inContainer = t != null && !t.containerId.isEmpty();
        return interfaces.isLocal(address, inContainer ? containers.get(t.containerId) : null, inContainer);
    }

    public void addUser(UserInfo user) {
        users.put(user.uid(), user);
    }

    public void addGroup(GroupInfo group) {
        groups.put(group.gid(), group);
    }

    public void addContainer(ContainerInfo container) {
        containers.put(container.id, container);
    }

    /**
     * Declares the ancestry of {@code tid} that lives outside this table, nearest first: the
     * parent, then the grandparent, and so on. Ancestry fields ({@code proc.pname},
     * {@code proc.aname[N]}, {@code proc.apid[N]}) walk into these snapshots when the table itself
     * has no entry for a parent.
     */
    public void attachAncestry(long tid, List<ThreadInfo> chain) {
        ThreadInfo child = threads.get(tid);
        long childPtid = child != null ? child.ptid : -1;
        for (int i = 0; i < chain.size(); i++) {
            ThreadInfo ancestor = chain.get(i);
            if (i == 0 && child != null && childPtid != ancestor.tid) {
                child.ptid = ancestor.tid;
            }
            if (i + 1 < chain.size()) {
                ancestor.ptid = chain.get(i + 1).tid;
            }
            if (threads.get(ancestor.tid) == null) {
                externalAncestors.put(ancestor.tid, ancestor);
            }
        }
    }

    /**
     * Drops threads without an event for {@code idleNs} before {@code nowNs}, as libsinsp's live
     * mode does (remove_inactive_threads): the bound on the table when exits are lost. A main thread
     * stays while other threads of its process remain, and a parent stays while a child of it
     * remains (libsinsp also keeps a thread that /proc shows alive, which a table fed from the
     * network cannot check; keeping parents at least keeps the ancestry fields of live processes
     * right); once its last child goes, the same call drops an idle parent too. Returns how many
     * were removed.
     */
    public int expireInactive(long nowNs, long idleNs) {
        int total = 0;
        for (int removed = expireLeaves(nowNs, idleNs); removed > 0; removed = expireLeaves(nowNs, idleNs)) {
            total += removed;
        }
        return total;
    }

    private int expireLeaves(long nowNs, long idleNs) {
        List<Long> idle = new ArrayList<>();
        Set<Long> parents = new HashSet<>();
        threads.forEach(t -> {
            long last = Math.max(t.lastActivityTs, t.cloneTs);
            if (last != 0 && nowNs - last > idleNs) {
                idle.add(t.tid);
            }
            if (t.ptid != t.tid) {
                parents.add(t.ptid);
            }
        });
        int removed = 0;
        for (Long tid : idle) {
            if (parents.contains(tid)) {
                continue;
            }
            ThreadInfo t = threads.get(tid);
            if (t != null && (t.nchilds == 0 || !t.isMainThread())) {
                removeThread(tid, true);
                removed++;
            }
        }
        return removed;
    }

    /** {@link #attachAncestry} from process snapshots (capture process lists, shipper snapshots). */
    public void attachAncestrySnapshots(long tid, List<io.peregrine.capture.ScapProcess> chain) {
        List<ThreadInfo> threadsChain = new ArrayList<>();
        for (io.peregrine.capture.ScapProcess p : chain) {
            threadsChain.add(CaptureLoader.thread(p));
        }
        attachAncestry(tid, threadsChain);
    }

    // ---------------------------------------------------------------- lookups

    public ThreadStore threads() {
        return threads;
    }

    public UserInfo user(long uid) {
        return users.get(uid);
    }

    public GroupInfo group(long gid) {
        return groups.get(gid);
    }

    public ContainerInfo container(String id) {
        return containers.get(id);
    }

    /** Container events carry a stand-in thread holding only the container id (as libsinsp does). */
    void containerEventThread(ThreadInfo holder) {
        context.thread = holder;
    }

    public long firstEventTs() {
        return firstEventTs;
    }

    /** The thread, or an out-of-table ancestor snapshot, with {@code tid}; null if neither exists. */
    public ThreadInfo threadOrAncestor(long tid) {
        ThreadInfo t = threads.get(tid);
        return t != null ? t : externalAncestors.get(tid);
    }

    /** The parent process entry of {@code t} (libsinsp's get_parent_thread), or null. */
    public ThreadInfo parent(ThreadInfo t) {
        return t.ptid < 0 ? null : threadOrAncestor(t.ptid);
    }

    /** The main thread of {@code t}'s process (itself for a main thread), or null. */
    public ThreadInfo mainThread(ThreadInfo t) {
        if (t.isMainThread()) {
            return t;
        }
        return threadOrAncestor(t.pid);
    }

    /** The fd table {@code t} uses (libsinsp's get_fd_table), or null. */
    public Map<Long, FdInfo> fdTable(ThreadInfo t) {
        if (!t.sharesFdTable()) {
            return t.fds;
        }
        ThreadInfo main = mainThread(t);
        return main == null ? null : main.fds;
    }

    public FdInfo fd(ThreadInfo t, long fd) {
        Map<Long, FdInfo> table = fdTable(t);
        if (table == null) {
            return null;
        }
        FdInfo info = table.get(fd);
        if (info != null) {
            info.oldName = info.name;
        }
        return info;
    }

    /** The working directory of {@code t}'s process. */
    public String cwd(ThreadInfo t) {
        ThreadInfo main = mainThread(t);
        return main == null ? "./" : main.cwd;
    }

    // ---------------------------------------------------------------- event processing

    /**
     * Applies {@code event} to the state and returns the context that field extractors read. The
     * returned context is reused by the next call.
     */
    public EventContext process(Event event) {
        eventCount++;
        applyPendingRemovals();
        EventInfo info = event.info();
        context.reset(event, info, eventCount);
        if (firstEventTs == 0 && !(info != null && info.name().equals("container"))) {
            firstEventTs = event.timestampNs();
        }
        context.previousTs = previousEventTs == 0 ? event.timestampNs() : previousEventTs;
        previousEventTs = event.timestampNs();
        if (info == null) {
            return context;
        }
        // libsinsp parses whatever reset() concluded: a failed pairing only leaves the enter event and fd unset.
        reset(event, info);
        parse(event, info);
        context.parsedThread = context.thread;
        if (context.fd != null) {
            context.fdNameChanged = !context.fd.name.equals(context.fd.oldName);
        }
        return context;
    }

    /**
     * Applies now what libsinsp defers to the next event: the removal of a thread after its
     * procexit and of fds after their close. A keyed engine calls this at the end of each batch,
     * where its tables are stored and where a restored engine resumes from them, so that nothing
     * waits in memory only (a restore would otherwise keep closed fds and exited threads, and the
     * next batch's snapshot of a reused tid would be removed by the previous thread's exit).
     */
    public void applyDeferredRemovals() {
        applyPendingRemovals();
    }

    private void applyPendingRemovals() {
        if (!fdsToRemove.isEmpty()) {
            Map<Long, FdInfo> table = fdsToRemoveOwner == null ? null : fdTable(fdsToRemoveOwner);
            if (table != null) {
                for (Long fd : fdsToRemove) {
                    table.remove(fd);
                }
            }
            fdsToRemove.clear();
            fdsToRemoveOwner = null;
        }
        if (tidToRemove != -1) {
            removeThread(tidToRemove, false);
            tidToRemove = -1;
        }
    }

    /** libsinsp's remove_thread: a main thread with live threads stays until they are gone. */
    private void removeThread(long tid, boolean force) {
        ThreadInfo t = threads.get(tid);
        if (t == null) {
            return;
        }
        if (t.nchilds != 0 && !force) {
            return;
        }
        if (t.hasFlag(ThreadInfo.CL_CLONE_THREAD)) {
            ThreadInfo main = threads.get(t.pid);
            if (main != null && main.nchilds > 0) {
                main.nchilds--;
            }
        }
        threads.remove(tid);
    }

    private ThreadInfo lookupOrCreate(long tid, boolean create) {
        ThreadInfo t = threads.get(tid);
        if (t == null && create) {
            t = ThreadInfo.unknown(tid);
            ThreadInfo fresh = t;
            threads.forEach(other -> {
                if (other.pid == tid && other.tid != tid) {
                    fresh.nchilds++;
                }
            });
            addNewThread(t);
        }
        return t;
    }

    private void addNewThread(ThreadInfo t) {
        if (t.hasFlag(ThreadInfo.CL_CLONE_THREAD)) {
            ThreadInfo main = lookupOrCreate(t.pid, true);
            if (main != null) {
                main.nchilds++;
            }
        }
        threads.put(t);
    }

    /** libsinsp's sinsp_parser::reset; false when parsing should stop after it. */
    private boolean reset(Event e, EventInfo info) {
        String name = info.name();
        if (info.hasFlag(EventInfo.EF_SKIPPARSERESET)) {
            // procinfo only names its thread for the fields (no parser changes it); a capture has
            // one per thread at intervals, so a changing lookup would rewrite every stored thread.
            context.thread = name.equals("procinfo") ? threads.peek(e.threadId()) : null;
            return name.equals("procinfo") || isMetaEvent(name);
        }
        if (name.equals("container")) {
            context.thread = null;
            return true;
        }
        boolean isCloneExit = !info.enter() && isClone(name);
        boolean isSwitch = name.equals("switch");
        boolean queryOs = !isCloneExit && !isSwitch;
        ThreadInfo t = lookupOrCreate(e.threadId(), queryOs);
        context.thread = t;
        if (isSwitch || t == null) {
            return isSwitch || isCloneExit;
        }
        if (queryOs) {
            t.flags |= ThreadInfo.CL_ACTIVE;
        }
        t.lastActivityTs = e.timestampNs();
        if (info.enter()) {
            t.lastEventFd = -1;
            t.lastEventType = e.type();
            if (info.usesFd() && EventParams.isInteger(e, 0)) {
                t.lastEventFd = e.paramLong(0, true);
                context.fd = fd(t, t.lastEventFd);
            }
            t.latencyNs = 0;
            t.lastLatencyEnterTs = e.timestampNs();
            t.lastEnter = e;
            t.lastEnterValid = true;
        } else {
            if (t.lastLatencyEnterTs != 0) {
                t.latencyNs = e.timestampNs() - t.lastLatencyEnterTs;
            }
            if (e.type() == t.lastEventType + 1) {
                context.enter = t.lastEnterValid ? t.lastEnter : null;
            } else {
                t.lastEnterValid = false;
                return false;
            }
            if (info.usesFd()) {
                if (name.equals("copy_file_range")) {
                    t.lastEventFd = EventParams.signedAt(e, 1, t.lastEventFd);
                }
                if (t.lastEventFd == -1) { // an exit-only event (libs 9.1.0): its fd is in the exit
                    t.lastEventFd = ExitFdParams.fd(e);
                }
                context.fd = fd(t, t.lastEventFd);
                if (context.fd == null) {
                    return false;
                }
                if (context.fd.hasFlag(FdInfo.FLAG_CLOSE_CANCELED)) {
                    // libsinsp's reset(): the first exit that uses a reused number drops the entry its
                    // overtaken close had set aside. A close exit then also removes the number itself
                    // (libsinsp does both; Falco shares it).
                    context.fd.flags &= ~FdInfo.FLAG_CLOSE_CANCELED;
                    Map<Long, FdInfo> table = fdTable(t);
                    if (table != null && table.containsKey(CANCELED_FD)) {
                        scheduleFdRemoval(t, CANCELED_FD);
                    }
                }
            }
        }
        return true;
    }

    private static boolean isMetaEvent(String name) {
        return name.equals("container");
    }

    private static boolean isClone(String name) {
        return name.equals("clone") || name.equals("fork") || name.equals("vfork") || name.equals("clone3");
    }

    private void parse(Event e, EventInfo info) {
        String name = info.name();
        ThreadInfo t = context.thread;
        if (info.enter()) {
            switch (name) {
                case "close" -> {
                    if (t != null && context.fd != null) {
                        context.fd.flags |= FdInfo.FLAG_CLOSE_IN_PROGRESS;
                    }
                }
                case "connect" -> parseConnectEnter(e);
                case "sendto" -> {
                    if (context.fd == null && t != null) {
                        inferSendtoFd(e, t);
                    }
                }
                case "procexit" -> {
                    if (t != null) {
                        t.flags |= ThreadInfo.CL_CLOSED;
                        tidToRemove = e.threadId();
                    }
                }
                case "switch" -> parseContextSwitch(e, t);
                case "container" -> ContainerEvents.parseJson(this, e);
                default -> {
                }
            }
            return;
        }
        switch (name) {
            case "open", "openat", "openat2", "creat" -> parseOpenExit(e, name, t);
            case "clone", "fork", "vfork", "clone3" -> parseCloneExit(e, name);
            case "execve", "execveat" -> parseExecveExit(e, name, t);
            case "socket" -> parseSocketExit(e, t);
            case "bind" -> parseBindExit(e);
            case "connect" -> parseConnectExit(e);
            case "accept", "accept4" -> parseAcceptExit(e, t);
            case "close" -> parseCloseExit(e, t);
            case "pipe", "pipe2" -> parsePipeExit(e, t);
            case "socketpair" -> parseSocketpairExit(e, t);
            case "eventfd", "eventfd2" -> addSimpleFd(e, t, FdType.EVENT, "");
            case "signalfd", "signalfd4" -> addSimpleFd(e, t, FdType.SIGNALFD, "");
            case "timerfd_create" -> addSimpleFd(e, t, FdType.TIMERFD, "");
            case "inotify_init", "inotify_init1" -> addSimpleFd(e, t, FdType.INOTIFY, "");
            case "epoll_create", "epoll_create1" -> addSimpleFd(e, t, FdType.EVENTPOLL, "");
            case "memfd_create" -> addSimpleFd(e, t, FdType.FILE_V2,
                    "memfd:" + nullToEmpty(EventParams.string(e, "name")));
            case "userfaultfd" -> addSimpleFd(e, t, FdType.UNKNOWN, "");
            case "dup", "dup2", "dup3" -> parseDupExit(e, t);
            case "fcntl" -> parseFcntlExit(e, t);
            case "chdir" -> parseChdirExit(e, t);
            case "fchdir" -> parseFchdirExit(e, t);
            case "setuid" -> setIdFromEnter(e, t, 0, true);
            case "setgid" -> setIdFromEnter(e, t, 0, false);
            case "setresuid" -> setIdFromEnter(e, t, 1, true);
            case "setresgid" -> setIdFromEnter(e, t, 1, false);
            case "setsid" -> {
                long res = EventParams.signed(e, "res", -1);
                if (res >= 0 && t != null) {
                    t.sid = res;
                }
            }
            case "setpgid" -> parseSetpgidExit(e, t);
            case "getrlimit", "setrlimit" -> parseRlimitExit(e, t);
            case "prlimit" -> parsePrlimitExit(e, t);
            case "brk", "mmap", "mmap2", "munmap" -> parseMemoryExit(e, t);
            case "chroot" -> {
                if (t != null && EventParams.signed(e, "res", -1) == 0) {
                    t.root = nullToEmpty(EventParams.string(e, "path"));
                }
            }
            case "capset" -> parseCapsetExit(e, t);
            case "read", "write", "recv", "send", "recvfrom", "recvmsg", "sendto", "sendmsg", "readv", "writev",
                    "pread", "pwrite", "preadv", "pwritev" -> parseReadWriteExit(e, name);
            default -> {
            }
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    // ---------------------------------------------------------------- fd creation

    /** Where libsinsp parks an fd whose close was overtaken by a new fd of the same number (CANCELED_FD_NUMBER). */
    static final long CANCELED_FD = Long.MAX_VALUE;

    private FdInfo addFd(ThreadInfo t, long fd, FdInfo info) {
        Map<Long, FdInfo> table = fdTable(t);
        if (table == null) {
            return null;
        }
        FdInfo old = table.get(fd);
        if (old != null && old.hasFlag(FdInfo.FLAG_CLOSE_IN_PROGRESS)) {
            // Another thread closes this number (enter seen, exit not yet) and it was handed out again:
            // as libsinsp's sinsp_fdtable::add, the closing entry moves aside until that close exit.
            info.flags = (info.flags & ~FdInfo.FLAG_CLOSE_IN_PROGRESS) | FdInfo.FLAG_CLOSE_CANCELED;
            table.put(CANCELED_FD, old);
        }
        table.put(fd, info);
        t.lastEventFd = fd;
        return info;
    }

    private void addSimpleFd(Event e, ThreadInfo t, FdType type, String name) {
        long fd = EventParams.signedAt(e, 0, -1);
        if (t == null || fd < 0) {
            return;
        }
        FdInfo info = new FdInfo(type, name);
        context.fd = addFd(t, fd, info);
    }

    private void parseOpenExit(Event e, String syscall, ThreadInfo t) {
        if (t == null) {
            return;
        }
        Event enter = context.enter;
        long fd = EventParams.signedAt(e, 0, -1);
        String path;
        long flags;
        long dirfd = AT_FDCWD;
        boolean relativeToDirfd = !syscall.equals("open") && !syscall.equals("creat");
        long dev = EventParams.unsigned(e, "dev", 0);
        if (syscall.equals("openat") && !EventParams.has(e, "name")) {
            // Oldest openat layout: everything but the fd is on the enter event.
            if (enter == null) {
                return;
            }
            path = nullToEmpty(EventParams.string(enter, "name"));
            flags = EventParams.unsigned(enter, "flags", 0);
            dirfd = EventParams.signed(enter, "dirfd", AT_FDCWD);
        } else {
            path = nullToEmpty(EventParams.string(e, "name"));
            flags = syscall.equals("creat") ? 0 : EventParams.unsigned(e, "flags", 0);
            dirfd = EventParams.signed(e, "dirfd", AT_FDCWD);
            if (enter != null && EventParams.has(enter, "name")) {
                String enterName = EventParams.string(enter, "name");
                // libsinsp prefers the enter event's name whenever that parameter has bytes, even
                // an empty string (a path the driver could not read at entry): the fd is then
                // named after the directory.
                if (enter.paramLength(EventParams.index(enter, "name")) != 0 && !enterName.equals("(NULL)")) {
                    path = enterName;
                    flags = syscall.equals("creat") ? 0 : EventParams.unsigned(enter, "flags", flags);
                    dirfd = EventParams.signed(enter, "dirfd", dirfd);
                }
            }
        }
        String dir = relativeToDirfd ? directoryFor(t, path, dirfd) : cwd(t);
        String fullPath = PathResolver.concatenate(dir, path);
        if (fd >= 0) {
            FdInfo info = new FdInfo((flags & O_DIRECTORY) != 0 ? FdType.DIRECTORY : FdType.FILE_V2, fullPath);
            info.nameRaw = path;
            info.openFlags = (int) flags;
            info.dev = (int) dev;
            context.fd = addFd(t, fd, info);
        }
    }

    /** libsinsp's parse_dirfd, which also makes the directory the event's fd. */
    private String directoryFor(ThreadInfo t, String path, long dirfd) {
        if (!path.startsWith("/") && dirfd != AT_FDCWD) {
            FdInfo dirInfo = fd(t, dirfd);
            if (dirInfo != null) {
                context.fd = dirInfo;
            }
        }
        return directoryOf(t, path, dirfd);
    }

    /**
     * The directory a path passed with {@code dirfd} resolves against (libsinsp's parse_dirfd):
     * "." for absolute paths, the cwd for AT_FDCWD, the dirfd's name otherwise.
     */
    public String directoryOf(ThreadInfo t, String path, long dirfd) {
        if (path.startsWith("/")) {
            return ".";
        }
        if (dirfd == AT_FDCWD) {
            return cwd(t);
        }
        Map<Long, FdInfo> table = fdTable(t);
        FdInfo dirInfo = table == null ? null : table.get(dirfd);
        if (dirInfo == null) {
            return "<UNKNOWN>";
        }
        return dirInfo.name.endsWith("/") ? dirInfo.name : dirInfo.name + "/";
    }

    private void parseSocketExit(Event e, ThreadInfo t) {
        long fd = EventParams.signedAt(e, 0, -1);
        Event enter = context.enter;
        if (fd < 0 || t == null || enter == null) {
            return;
        }
        addSocket(t, fd, EventParams.unsigned(enter, "domain", 0), EventParams.unsigned(enter, "type", 0),
                EventParams.unsigned(enter, "proto", 0));
    }

    private void addSocket(ThreadInfo t, long fd, long domain, long type, long protocol) {
        FdInfo info = new FdInfo();
        if (domain == AF_UNIX) {
            info.type = FdType.UNIX_SOCK;
        } else if (domain == AF_INET || domain == AF_INET6) {
            info.type = domain == AF_INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
            int sockRaw = 3;
            int l4 = FdInfo.L4_UNKNOWN;
            if (protocol == 6) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_TCP;
            } else if (protocol == 17) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_UDP;
            } else if (protocol == 0) {
                if ((type & 0xff) == 1) {
                    l4 = FdInfo.L4_TCP;
                } else if ((type & 0xff) == 2) {
                    l4 = FdInfo.L4_UDP;
                }
            } else if (protocol == 1) {
                l4 = type == sockRaw ? FdInfo.L4_RAW : FdInfo.L4_ICMP;
            } else if (protocol == 255) {
                l4 = FdInfo.L4_RAW;
            }
            info.l4proto = l4;
        } else if (domain == AF_NETLINK) {
            info.type = FdType.NETLINK;
        }
        // sysdig's libsinsp is built with INCLUDE_UNKNOWN_SOCKET_FDS: other families (AF_PACKET...)
        // are tracked as descriptors of unknown type.
        context.fd = addFd(t, fd, info);
    }

    private void inferSendtoFd(Event e, ThreadInfo t) {
        long fd = EventParams.signedAt(e, 0, -1);
        byte[] tuple = EventParams.bytes(e, "tuple"); // libsinsp reads parameter 2, the tuple
        if (fd < 0 || tuple == null || tuple.length == 0) {
            return;
        }
        if (tuple[0] == AF_INET || tuple[0] == AF_INET6) {
            addSocket(t, fd, tuple[0], 2, 17);
        }
    }

    private void parseBindExit(Event e) {
        FdInfo fd = context.fd;
        if (fd == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        byte[] addr = EventParams.bytes(e, "addr");
        if (addr == null || addr.length == 0) {
            return;
        }
        SocketParams.Endpoint local = SocketParams.address(addr);
        if (local != null && local.port() > 0) {
            fd.type = local.ipv4() ? FdType.IPV4_SERVSOCK : FdType.IPV6_SERVSOCK;
            fd.sip = local.ip();
            fd.sport = local.port();
            fd.flags |= FdInfo.FLAG_ROLE_SERVER;
        }
        fd.name = ParamRenderer.sockaddr(addr, false);
    }

    private void parseConnectEnter(Event e) {
        FdInfo fd = context.fd;
        if (fd == null || e.paramCount() < 2) {
            return;
        }
        byte[] addr = EventParams.bytes(e, "addr");
        if (addr == null || addr.length == 0) {
            return;
        }
        SocketParams.Endpoint remote = SocketParams.address(addr);
        if (remote != null) {
            if (remote.ipv4()) {
                becomeIpv4(fd);
            } else {
                fd.type = FdType.IPV6_SOCK;
            }
            fd.dip = remote.ip();
            fd.dport = remote.port();
        } else {
            fd.name = ParamRenderer.sockaddr(addr, false);
            SocketParams.setUnixEnds(fd, addr);
        }
    }

    private void parseConnectExit(Event e) {
        FdInfo fd = context.fd;
        if (fd == null) {
            return;
        }
        long res = EventParams.signedAt(e, 0, 0);
        if (res < 0 && res != -EINPROGRESS) {
            return;
        }
        fd.flags |= FdInfo.FLAG_SOCKET_CONNECTED;
        byte[] tuple = EventParams.bytes(e, "tuple");
        if (tuple == null || tuple.length == 0) {
            return;
        }
        fillClientSocketInfo(fd, tuple);
    }

    private void fillClientSocketInfo(FdInfo fd, byte[] tuple) {
        int family = tuple[0];
        if (family == AF_INET || family == AF_INET6) {
            SocketParams.Tuple ends = SocketParams.tuple(tuple);
            if (ends == null) {
                return;
            }
            if (ends.ipv4()) {
                becomeIpv4(fd);
            } else {
                fd.type = ends.socketType();
            }
            boolean changed = setAddresses(fd, ends);
            if (changed && fd.isRoleServer() && fd.isUdp()) {
                swapAddresses(fd);
            }
            fd.name = Addresses.tupleName(fd);
        } else {
            fd.name = ParamRenderer.socktuple(tuple, fd.l4proto);
            SocketParams.setUnixEnds(fd, tuple);
        }
        if (fd.isRoleNone()) {
            fd.flags |= FdInfo.FLAG_ROLE_CLIENT;
        }
    }

    /**
     * An IPv6 socket that turns out to talk IPv4 (a v4-mapped address): libsinsp only changes the
     * fd's type, and its socket info is a C union, so the IPv4 view's protocol byte (offset 12) is
     * byte 12 of the IPv6 source address stored before: zero for a socket() of this capture (which
     * clears those bytes), so fd.l4proto becomes unknown and fd.name {@code <unknown>}. Falco shares
     * this; we reproduce it so fields and rules agree.
     */
    private static void becomeIpv4(FdInfo fd) {
        if (fd.type == FdType.IPV6_SOCK || fd.type == FdType.IPV6_SERVSOCK) {
            fd.l4proto = fd.sip != null && fd.sip.length == 16 ? fd.sip[12] & 0xff : FdInfo.L4_UNKNOWN;
        }
        fd.type = FdType.IPV4_SOCK;
    }

    private static boolean setAddresses(FdInfo fd, SocketParams.Tuple ends) {
        return setAddresses(fd, ends.sip(), ends.sport(), ends.dip(), ends.dport());
    }

    /** libsinsp's update_ipv4/6_addresses_and_ports: false when the tuple is already known. */
    private static boolean setAddresses(FdInfo fd, byte[] sip, int sport, byte[] dip, int dport) {
        if (fd.sip != null && fd.dip != null && fd.sip.length == sip.length) {
            boolean same = java.util.Arrays.equals(sip, fd.sip) && sport == fd.sport
                    && java.util.Arrays.equals(dip, fd.dip) && dport == fd.dport;
            boolean swapped = java.util.Arrays.equals(dip, fd.sip) && dport == fd.sport
                    && java.util.Arrays.equals(sip, fd.dip) && sport == fd.dport;
            if (same || swapped) {
                return false;
            }
        }
        boolean changed = false;
        if (fd.sip == null || !java.util.Arrays.equals(fd.sip, sip)) {
            fd.sip = sip;
            changed = true;
        }
        if (fd.sport != sport) {
            fd.sport = sport;
            changed = true;
        }
        if (fd.dip == null || isZero(fd.dip) || fd.dip.length != dip.length) {
            fd.dip = dip;
            changed = true;
        }
        if (fd.dport == 0) {
            fd.dport = dport;
            changed = true;
        }
        return changed;
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void swapAddresses(FdInfo fd) {
        byte[] ip = fd.sip;
        int port = fd.sport;
        fd.sip = fd.dip;
        fd.sport = fd.dport;
        fd.dip = ip;
        fd.dport = port;
    }

    private void parseAcceptExit(Event e, ThreadInfo t) {
        if (t == null) {
            return;
        }
        long fd = EventParams.signedAt(e, 0, -1);
        if (fd < 0) {
            return;
        }
        t.lastEventFd = fd;
        byte[] tuple = EventParams.bytes(e, "tuple");
        if (tuple == null || tuple.length == 0) {
            return;
        }
        FdInfo info = new FdInfo();
        SocketParams.Tuple ends = SocketParams.tuple(tuple);
        if (ends != null) {
            info.type = ends.socketType();
            setAddresses(info, ends);
            info.l4proto = FdInfo.L4_TCP;
        } else if (tuple[0] == AF_UNIX) {
            info.type = FdType.UNIX_SOCK;
            SocketParams.setUnixEnds(info, tuple);
        } else {
            return;
        }
        info.name = ParamRenderer.socktuple(tuple, info.l4proto);
        info.nameRaw = info.name;
        info.flags = FdInfo.FLAG_ROLE_SERVER | FdInfo.FLAG_SOCKET_CONNECTED;
        context.fd = addFd(t, fd, info);
    }

    private void parseCloseExit(Event e, ThreadInfo t) {
        long res = EventParams.signedAt(e, 0, -1);
        if (res >= 0) {
            if (context.fd == null || t == null) {
                return;
            }
            scheduleFdRemoval(t, t.lastEventFd);
        } else if (context.fd != null) {
            context.fd.flags &= ~FdInfo.FLAG_CLOSE_IN_PROGRESS;
        }
    }

    private void scheduleFdRemoval(ThreadInfo t, long fd) {
        if (fdsToRemoveOwner != null && fdsToRemoveOwner != t) {
            applyPendingRemovals();
        }
        fdsToRemoveOwner = t;
        fdsToRemove.add(fd);
    }

    private void parsePipeExit(Event e, ThreadInfo t) {
        if (t == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        long fd1 = EventParams.signed(e, "fd1", -1);
        long fd2 = EventParams.signed(e, "fd2", -1);
        long ino = EventParams.unsigned(e, "ino", 0);
        for (long fd : new long[] {fd1, fd2}) {
            FdInfo info = new FdInfo(FdType.FIFO, "");
            info.ino = ino;
            context.fd = addFd(t, fd, info);
        }
    }

    private void parseSocketpairExit(Event e, ThreadInfo t) {
        if (t == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        long fd1 = EventParams.signed(e, "fd1", -1);
        long fd2 = EventParams.signed(e, "fd2", -1);
        long source = EventParams.unsigned(e, "source", 0);
        long peer = EventParams.unsigned(e, "peer", 0);
        FdInfo first = new FdInfo(FdType.UNIX_SOCK, "");
        first.unixSource = source;
        first.unixDest = peer;
        FdInfo second = first.copy();
        context.fd = addFd(t, fd1, first);
        addFd(t, fd2, second);
    }

    private void parseDupExit(Event e, ThreadInfo t) {
        if (t == null) {
            return;
        }
        long res = EventParams.signedAt(e, 0, -1);
        if (res < 0 || context.fd == null) {
            return;
        }
        FdInfo copy = context.fd.copy();
        // dup3 with O_CLOEXEC marks only the new descriptor close-on-exec; dup/dup2 clear it.
        long flags = EventParams.unsigned(e, "flags", 0);
        copy.openFlags = (copy.openFlags & ~O_CLOEXEC) | ((flags & 1) != 0 ? O_CLOEXEC : 0);
        context.fd = addFd(t, res, copy);
    }

    private void parseFcntlExit(Event e, ThreadInfo t) {
        long res = EventParams.signedAt(e, 0, -1);
        Event enter = context.enter;
        if (enter == null || t == null || res < 0 || context.fd == null) {
            return;
        }
        // libsinsp only reaches here for F_DUPFD and F_DUPFD_CLOEXEC (the driver drops other commands' results).
        long cmd = EventParams.unsigned(enter, "cmd", -1);
        if (cmd == 1 || cmd == 2) {
            context.fd = addFd(t, res, context.fd.copy());
        }
    }

    private void parseChdirExit(Event e, ThreadInfo t) {
        if (t == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        setCwd(t, nullToEmpty(EventParams.string(e, "path")));
    }

    private void parseFchdirExit(Event e, ThreadInfo t) {
        if (EventParams.signedAt(e, 0, -1) < 0 || context.fd == null || t == null) {
            return;
        }
        setCwd(t, context.fd.name);
    }

    private void setCwd(ThreadInfo t, String path) {
        ThreadInfo main = mainThread(t);
        if (main == null) {
            return;
        }
        String cwd = PathResolver.concatenate(main.cwd, path);
        if (cwd.isEmpty() || !cwd.endsWith("/")) {
            cwd = cwd + "/";
        }
        main.cwd = cwd;
    }

    private void setIdFromEnter(Event e, ThreadInfo t, int enterIndex, boolean user) {
        Event enter = context.enter;
        if (t == null || enter == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        long id = EventParams.signedAt(enter, enterIndex, -1) & 0xffffffffL;
        if (enterIndex == 1 && id == 0xffffffffL) {
            return;
        }
        if (user) {
            t.uid = id;
        } else {
            t.gid = id;
        }
    }

    private void parseSetpgidExit(Event e, ThreadInfo t) {
        Event enter = context.enter;
        if (t == null || enter == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        long pid = EventParams.signed(enter, "pid", 0);
        long pgid = EventParams.signed(enter, "pgid", 0);
        ThreadInfo target = pid == 0 ? t : threads.get(pid);
        if (target != null) {
            target.vpgid = pgid == 0 ? target.vpid : pgid;
        }
    }

    private void parseRlimitExit(Event e, ThreadInfo t) {
        Event enter = context.enter;
        if (t == null || enter == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        if (EventParams.unsigned(enter, "resource", -1) == RLIMIT_NOFILE) {
            long cur = EventParams.signed(e, "cur", -1);
            ThreadInfo main = mainThread(t);
            if (cur != -1 && main != null) {
                main.fdLimit = cur;
            }
        }
    }

    private void parsePrlimitExit(Event e, ThreadInfo t) {
        Event enter = context.enter;
        if (enter == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        if (EventParams.unsigned(enter, "resource", -1) == RLIMIT_NOFILE) {
            long cur = EventParams.signed(e, "newcur", -1);
            if (cur != -1) {
                long pid = EventParams.signed(enter, "pid", 0);
                ThreadInfo target = lookupOrCreate(pid == 0 ? e.threadId() : pid, true);
                ThreadInfo main = target == null ? null : mainThread(target);
                if (main != null) {
                    main.fdLimit = cur;
                }
            }
        }
    }

    private void parseMemoryExit(Event e, ThreadInfo t) {
        if (t == null) {
            return;
        }
        t.vmSizeKb = EventParams.unsigned(e, "vm_size", t.vmSizeKb);
        t.vmRssKb = EventParams.unsigned(e, "vm_rss", t.vmRssKb);
        t.vmSwapKb = EventParams.unsigned(e, "vm_swap", t.vmSwapKb);
    }

    private void parseContextSwitch(Event e, ThreadInfo t) {
        if (t == null) {
            return;
        }
        t.pfMajor = EventParams.unsigned(e, "pgft_maj", t.pfMajor);
        t.pfMinor = EventParams.unsigned(e, "pgft_min", t.pfMinor);
        ThreadInfo main = mainThread(t);
        if (main != null) {
            main.vmSizeKb = EventParams.unsigned(e, "vm_size", main.vmSizeKb);
            main.vmRssKb = EventParams.unsigned(e, "vm_rss", main.vmRssKb);
            main.vmSwapKb = EventParams.unsigned(e, "vm_swap", main.vmSwapKb);
        }
    }

    private void parseCapsetExit(Event e, ThreadInfo t) {
        if (t == null || EventParams.signedAt(e, 0, -1) < 0) {
            return;
        }
        t.capInheritable = EventParams.unsigned(e, "cap_inheritable", t.capInheritable);
        t.capPermitted = EventParams.unsigned(e, "cap_permitted", t.capPermitted);
        t.capEffective = EventParams.unsigned(e, "cap_effective", t.capEffective);
    }

    private void parseReadWriteExit(Event e, String name) {
        FdInfo fd = context.fd;
        ThreadInfo t = context.thread;
        if (fd == null || t == null) {
            return;
        }
        long res = EventParams.signedAt(e, 0, -1);
        if (res < 0) {
            return;
        }
        if (fd.type == FdType.IPV4_SOCK || fd.type == FdType.IPV6_SOCK) {
            fd.flags |= FdInfo.FLAG_SOCKET_CONNECTED;
        }
        boolean incoming = name.startsWith("recv");
        byte[] tuple = null;
        boolean tcp = fd.isTcp();
        if ((name.equals("recvfrom") || name.equals("recvmsg")) && (fd.name.isEmpty() || !tcp)) {
            tuple = EventParams.bytes(e, "tuple");
        } else if ((name.equals("sendto") || name.equals("sendmsg")) && (fd.name.isEmpty() || !tcp)) {
            Event enter = context.enter;
            if (enter == null) {
                return;
            }
            tuple = EventParams.bytes(enter, "tuple");
            if (tuple == null) {
                tuple = EventParams.bytes(enter, "addr");
            }
        }
        if (tuple == null || tuple.length == 0) {
            return;
        }
        if (updateFd(fd, tuple)) {
            if (fd.type == FdType.IPV4_SOCK || fd.type == FdType.IPV6_SOCK) {
                if (fd.isRoleNone()) {
                    guessRole(t, fd, incoming);
                }
                if (incoming ? fd.isRoleClient() : fd.isRoleServer()) {
                    swapAddresses(fd);
                }
                fd.name = Addresses.tupleName(fd);
            } else {
                fd.name = ParamRenderer.socktuple(tuple, fd.l4proto);
            }
        }
    }

    /** libsinsp's update_fd for the tuple of recvfrom/sendto and friends. */
    private boolean updateFd(FdInfo fd, byte[] tuple) {
        SocketParams.Tuple ends = SocketParams.tuple(tuple);
        if (ends != null) {
            if (ends.ipv4()) {
                becomeIpv4(fd);
            } else if (fd.type == FdType.IPV6_SERVSOCK) {
                // libsinsp writes the tuple into its socket union: the server address takes the tuple's
                // source address while the server port (stored where the tuple keeps its destination
                // address, untouched once set) stays; the socket is then named by the tuple.
                fd.sip = ends.sip();
                return true;
            }
            // An IPv6 tuple leaves the type the socket call gave the fd.
            if (!setAddresses(fd, ends)) {
                return false;
            }
        } else if (tuple[0] == AF_UNIX) {
            fd.type = FdType.UNIX_SOCK;
            SocketParams.setUnixEnds(fd, tuple);
            return true;
        } else {
            return false;
        }
        if ((fd.type == FdType.IPV4_SOCK || fd.type == FdType.IPV6_SOCK) && fd.l4proto == FdInfo.L4_UNKNOWN) {
            fd.l4proto = FdInfo.L4_UDP;
        }
        interfaces.fillMissingEnd(fd);
        return true;
    }

    /**
     * libsinsp's set_net_role_by_guessing: server when the process "is bound to" the destination
     * port and does not "use" the source port as a client, client when it is not bound to it,
     * otherwise by direction. Both tests look only at IPv4 descriptors, and read the ports through
     * the IPv4 view of libsinsp's socket-info union, also for an IPv6 socket (see {@link #v4Port}).
     */
    private void guessRole(ThreadInfo t, FdInfo fd, boolean incoming) {
        Map<Long, FdInfo> table = fdTable(t);
        int dport = v4Port(fd, false);
        int sport = v4Port(fd, true);
        boolean bound = false;
        boolean usesClientPort = false;
        if (table != null) {
            for (FdInfo other : table.values()) {
                // libsinsp's is_bound_to_port: an IPv4 server socket on the port, or an IPv4 socket whose
                // destination it is (the fd itself included, once update_fd named it)
                if ((other.type == FdType.IPV4_SOCK && other.dport == dport)
                        || (other.type == FdType.IPV4_SERVSOCK && other.sport == dport)) {
                    bound = true;
                }
                if (other.type == FdType.IPV4_SOCK && other.sport == sport) {
                    usesClientPort = true;
                }
            }
        }
        if (bound && !usesClientPort) {
            fd.flags |= FdInfo.FLAG_ROLE_SERVER;
        } else if (!bound) {
            fd.flags |= FdInfo.FLAG_ROLE_CLIENT;
        } else if (fd.isRoleNone()) {
            fd.flags |= incoming ? FdInfo.FLAG_ROLE_SERVER : FdInfo.FLAG_ROLE_CLIENT;
        }
    }

    /**
     * The source or destination port as libsinsp's IPv4 view of the socket union reads it: the
     * port itself for IPv4 sockets; for an IPv6 socket the bytes 8-9 / 10-11 of its source address
     * (which overlay the IPv4 ports).
     */
    static int v4Port(FdInfo fd, boolean source) {
        if (fd.type == FdType.IPV6_SOCK) {
            int at = source ? 8 : 10;
            return fd.sip == null || fd.sip.length < 16 ? 0 : (fd.sip[at] & 0xff) | (fd.sip[at + 1] & 0xff) << 8;
        }
        return source ? fd.sport : fd.dport;
    }

    // ---------------------------------------------------------------- processes

    private void parseCloneExit(Event e, String syscall) {
        long tid = e.threadId();
        long childTid = EventParams.signedAt(e, 0, -1);
        long flags = EventParams.unsigned(e, "flags", 0);
        long vtid = EventParams.signed(e, "vtid", tid);
        long vpid = EventParams.signed(e, "vpid", -1);
        if (childTid < 0) {
            return;
        }
        boolean inContainer = (flags & ThreadInfo.CL_CHILD_IN_PIDNS) != 0 || tid != vtid;
        boolean inverted = false;
        ThreadInfo current = context.thread;
        if (childTid == 0) {
            if (current != null && current.cloneTs != 0 && e.timestampNs() - current.cloneTs > CLONE_STALE_TIME_NS) {
                removeThread(tid, true);
                current = null;
                context.thread = null;
            }
            long parentTid = (flags & ThreadInfo.CL_CLONE_THREAD) != 0
                    ? EventParams.signed(e, "pid", -1) : EventParams.signed(e, "ptid", -1);
            if (current == null) {
                inverted = true;
                childTid = tid;
                tid = parentTid;
            } else {
                if (inContainer) {
                    current.vtid = vtid;
                    current.vpid = vpid;
                }
                return;
            }
        } else if (inContainer) {
            return;
        }
        ThreadInfo parent = lookupOrCreate(tid, true);
        if (parent == null) {
            return;
        }
        boolean validParent = !(parent.comm.equals("<NA>") && parent.uid == 0xffffffffL);
        ThreadInfo existing = threads.get(childTid);
        if (existing != null) {
            if (existing.hasFlag(ThreadInfo.CL_CLONE_INVERTED)) {
                return;
            }
            removeThread(childTid, true);
        }
        ThreadInfo child = new ThreadInfo();
        if (validParent) {
            ThreadInfo base = parent.copyProcessData();
            copyInherited(child, base, flags);
        } else {
            removeThread(tid, true);
            parent = lookupOrCreate(tid, true);
            if (!inverted) {
                // The caller's entry was just replaced: libsinsp's event keeps pointing at the old
                // entry's memory, which the new one takes over, so the event shows the new entry
                // (its name from this event, a fresh latency).
                context.thread = parent;
            }
            String exe = nullToEmpty(EventParams.string(e, "exe"));
            String comm = EventParams.has(e, "comm") ? EventParams.string(e, "comm") : exe;
            parent.comm = comm;
            parent.exe = exe;
            parent.args = EventParams.stringList(e, "args");
        }
        child.tid = childTid;
        child.ptid = tid;
        child.pid = EventParams.signed(e, "pid", childTid);
        child.flags = (int) flags;
        if ((flags & ThreadInfo.CL_CLONE_THREAD) == 0) {
            child.pid = childTid;
            Map<Long, FdInfo> parentFds = fdTable(parent);
            child.fds = new HashMap<>();
            if (parentFds != null) {
                parentFds.forEach((fd, info) -> child.fds.put(fd, info.copy()));
            }
            child.cwd = cwd(parent);
        }
        if (inverted) {
            child.flags |= ThreadInfo.CL_CLONE_INVERTED;
        }
        child.exe = nullToEmpty(EventParams.string(e, "exe"));
        child.comm = EventParams.has(e, "comm") ? EventParams.string(e, "comm") : child.exe;
        child.args = EventParams.stringList(e, "args");
        child.fdLimit = EventParams.signed(e, "fdlimit", child.fdLimit);
        child.pfMajor = EventParams.unsigned(e, "pgft_maj", 0);
        child.pfMinor = EventParams.unsigned(e, "pgft_min", 0);
        child.vmSizeKb = EventParams.unsigned(e, "vm_size", 0);
        child.vmRssKb = EventParams.unsigned(e, "vm_rss", 0);
        child.vmSwapKb = EventParams.unsigned(e, "vm_swap", 0);
        child.uid = EventParams.unsigned(e, "uid", child.uid);
        child.gid = EventParams.unsigned(e, "gid", child.gid);
        if (inContainer) {
            child.vtid = vtid;
            child.vpid = vpid;
        } else {
            child.vtid = child.tid;
            child.vpid = child.pid;
        }
        if (EventParams.has(e, "cgroups")) {
            child.cgroups = parseCgroups(EventParams.stringList(e, "cgroups"));
            child.containerId = ContainerEvents.containerIdFromCgroups(child.cgroups);
        }
        child.pidnsInitStartTs = EventParams.unsigned(e, "pidns_init_start_ts", child.pidnsInitStartTs);
        child.cloneTs = e.timestampNs();
        addNewThread(child);
    }

    private static void copyInherited(ThreadInfo child, ThreadInfo parent, long flags) {
        child.comm = parent.comm;
        child.exe = parent.exe;
        child.exePath = parent.exePath;
        child.args = parent.args;
        child.root = parent.root;
        child.sid = parent.sid;
        child.vpgid = parent.vpgid;
        child.tty = parent.tty;
        child.loginUid = parent.loginUid;
        child.uid = parent.uid;
        child.gid = parent.gid;
        child.cgroups = parent.cgroups;
        child.containerId = parent.containerId;
        child.capPermitted = parent.capPermitted;
        child.capInheritable = parent.capInheritable;
        child.capEffective = parent.capEffective;
        child.exeIno = parent.exeIno;
        child.exeInoCtime = parent.exeInoCtime;
        child.exeInoMtime = parent.exeInoMtime;
        child.exeWritable = parent.exeWritable;
        child.exeUpperLayer = parent.exeUpperLayer;
        child.exeFromMemfd = parent.exeFromMemfd;
        child.fdLimit = parent.fdLimit;
        if ((flags & ThreadInfo.CL_CLONE_THREAD) == 0) {
            child.env = parent.env;
        }
    }

    /** libsinsp's set_cgroups: "subsys=path" entries, with the kernel's newer subsystem names mapped back. */
    static List<String[]> parseCgroups(List<String> entries) {
        List<String[]> out = new ArrayList<>();
        for (String entry : entries) {
            int eq = entry.lastIndexOf('=');
            if (eq < 0) {
                break;
            }
            String subsys = entry.substring(0, eq).replaceFirst("_cgroup", "");
            subsys = switch (subsys) {
                case "perf" -> "perf_event";
                case "mem" -> "memory";
                case "io" -> "blkio";
                default -> subsys;
            };
            out.add(new String[] {subsys, entry.substring(eq + 1)});
        }
        return out;
    }

    private void parseExecveExit(Event e, String syscall, ThreadInfo t) {
        long res = EventParams.signedAt(e, 0, -1);
        if (res < 0 || t == null) {
            return;
        }
        t.exe = nullToEmpty(EventParams.string(e, "exe"));
        t.comm = EventParams.has(e, "comm") ? EventParams.string(e, "comm") : t.exe;
        t.args = EventParams.stringList(e, "args");
        t.pid = EventParams.signed(e, "pid", t.pid);
        if (t.ptid == -1) {
            t.ptid = EventParams.signed(e, "ptid", -1);
        }
        t.fdLimit = EventParams.signed(e, "fdlimit", t.fdLimit);
        t.pfMajor = EventParams.unsigned(e, "pgft_maj", t.pfMajor);
        t.pfMinor = EventParams.unsigned(e, "pgft_min", t.pfMinor);
        t.vmSizeKb = EventParams.unsigned(e, "vm_size", t.vmSizeKb);
        t.vmRssKb = EventParams.unsigned(e, "vm_rss", t.vmRssKb);
        t.vmSwapKb = EventParams.unsigned(e, "vm_swap", t.vmSwapKb);
        if (EventParams.has(e, "env")) {
            t.env = EventParams.stringList(e, "env");
        }
        if (EventParams.has(e, "cgroups")) {
            t.cgroups = parseCgroups(EventParams.stringList(e, "cgroups"));
            t.containerId = ContainerEvents.containerIdFromCgroups(t.cgroups);
        }
        t.tty = EventParams.signed(e, "tty", t.tty);
        Event enter = context.enter;
        if (enter != null) {
            if (syscall.equals("execve")) {
                String filename = nullToEmpty(EventParams.string(enter, "filename"));
                t.exePath = filename.startsWith("<NA>") ? "<NA>" : PathResolver.concatenate(t.cwd, filename);
            } else {
                long dirfd = EventParams.signed(enter, "dirfd", AT_FDCWD);
                String pathname = nullToEmpty(EventParams.string(enter, "pathname"));
                long atFlags = EventParams.unsigned(enter, "flags", 0);
                String dir = directoryFor(t, pathname, dirfd);
                if ((atFlags & 1) != 0 && pathname.isEmpty()) {
                    pathname = dir;
                }
                t.exePath = PathResolver.concatenate(dir, pathname);
            }
        }
        t.vpgid = EventParams.signed(e, "pgid", t.vpgid);
        t.loginUid = EventParams.unsigned(e, "loginuid", t.loginUid);
        long execFlags = EventParams.unsigned(e, "flags", 0);
        t.capInheritable = EventParams.unsigned(e, "cap_inheritable", t.capInheritable);
        t.capPermitted = EventParams.unsigned(e, "cap_permitted", t.capPermitted);
        t.capEffective = EventParams.unsigned(e, "cap_effective", t.capEffective);
        t.exeIno = EventParams.unsigned(e, "exe_ino", t.exeIno);
        t.exeInoCtime = EventParams.unsigned(e, "exe_ino_ctime", t.exeInoCtime);
        t.exeInoMtime = EventParams.unsigned(e, "exe_ino_mtime", t.exeInoMtime);
        // Newer drivers report the credentials after exec (setuid binaries) and a trusted path.
        t.uid = EventParams.unsigned(e, "uid", t.uid);
        t.gid = EventParams.unsigned(e, "gid", t.gid);
        String trusted = EventParams.string(e, "trusted_exepath");
        if (trusted != null && !trusted.isEmpty()) {
            t.exePath = trusted;
        }
        boolean inverted = t.hasFlag(ThreadInfo.CL_CLONE_INVERTED);
        int keep = t.flags & ThreadInfo.CL_IS_MAIN_THREAD;
        t.flags = ThreadInfo.CL_ACTIVE | keep | ThreadInfo.CL_NAME_CHANGED;
        if (inverted) {
            t.flags |= ThreadInfo.CL_CLONE_INVERTED;
        }
        if (EventParams.has(e, "flags")) {
            t.exeWritable = (execFlags & 1) != 0;
            t.exeUpperLayer = (execFlags & 2) != 0;
            t.exeFromMemfd = (execFlags & 4) != 0;
        }
        t.lastExecTs = e.timestampNs();
        if (closeOnExec) {
            dropCloseOnExecFds(t);
        }
    }

    /** Descriptors opened with O_CLOEXEC do not survive a successful execve (kernel semantics). */
    private void dropCloseOnExecFds(ThreadInfo t) {
        Map<Long, FdInfo> table = fdTable(t);
        if (table != null) {
            table.values().removeIf(fd -> (fd.openFlags & O_CLOEXEC) != 0 && fd.type.isFile());
        }
    }
}
