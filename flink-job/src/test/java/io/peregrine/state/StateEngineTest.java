package io.peregrine.state;

import static io.peregrine.state.TestEvents.enter;
import static io.peregrine.state.TestEvents.exit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.extract.SyscallFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state engine as a specification: what each syscall does to the thread and fd tables. */
class StateEngineTest {

    private static final long SHELL = 100;
    private static final long CHILD = 200;
    private static final int O_RDONLY = 1;
    private static final int O_CLOEXEC = 1 << 12;
    private static final long CLONE_FILES = 1;
    private static final long CLONE_THREAD = 1 << 13;

    private final FieldCatalog fields = SyscallFields.catalog();
    private StateEngine engine;
    private long now = 1_000_000_000L;

    @BeforeEach
    void shellWithOneOpenFile() {
        engine = new StateEngine(new InMemoryThreadStore());
        ThreadInfo init = process(1, 0, "systemd", "/");
        ThreadInfo sshd = process(50, 1, "sshd", "/");
        ThreadInfo shell = process(SHELL, 50, "bash", "/home/alice/");
        shell.fds.put(0L, new FdInfo(FdType.FILE, "/dev/pts/0"));
        engine.addThread(init);
        engine.addThread(sshd);
        engine.addThread(shell);
        engine.finishInitialLoad();
    }

    private static ThreadInfo process(long pid, long ppid, String comm, String cwd) {
        ThreadInfo t = new ThreadInfo();
        t.tid = pid;
        t.pid = pid;
        t.ptid = ppid;
        t.comm = comm;
        t.exe = comm;
        t.exePath = "/usr/bin/" + comm;
        t.cwd = cwd;
        return t;
    }

    private EventContext feed(io.peregrine.event.Event e) {
        return engine.process(e);
    }

    private long tick() {
        return now += 1000;
    }

    private Object field(EventContext c, String name, String arg) throws Exception {
        FieldExtractor x = fields.resolve(name, arg);
        return x.extract(c);
    }

    private void open(long tid, String path, long fd, int flags) {
        feed(enter(tick(), tid, "openat", Map.of("dirfd", -100L, "name", path, "flags", (long) flags)));
        feed(exit(tick(), tid, "openat", Map.of("fd", fd, "dirfd", -100L, "name", path, "flags", (long) flags)));
    }

    private void fork(long parent, long child, long flags) {
        feed(enter(tick(), parent, "clone", Map.of()));
        feed(exit(tick(), parent, "clone", Map.of("res", child, "exe", "bash", "tid", parent, "pid", parent,
                "ptid", 50L, "comm", "bash", "flags", flags, "fdlimit", 1024L)));
        feed(exit(tick(), child, "clone", Map.of("res", 0L, "exe", "bash", "tid", child,
                "pid", (flags & CLONE_THREAD) != 0 ? parent : child, "ptid", parent, "comm", "bash", "flags", flags)));
    }

    private void execve(long tid, String exe, List<String> args) {
        feed(enter(tick(), tid, "execve", Map.of("filename", exe)));
        feed(exit(tick(), tid, "execve", Map.of("res", 0L, "exe", exe, "args", args, "tid", tid, "pid", tid,
                "ptid", SHELL, "comm", exe.substring(exe.lastIndexOf('/') + 1), "fdlimit", 1024L)));
    }

    @Test
    void openAddsTheDescriptorWithItsAbsolutePath() throws Exception {
        open(SHELL, "notes.txt", 3, O_RDONLY);
        FdInfo fd = engine.fdTable(engine.threads().get(SHELL)).get(3L);
        assertEquals("/home/alice/notes.txt", fd.name);
        assertEquals("notes.txt", fd.nameRaw);
        assertEquals(FdType.FILE_V2, fd.type);
    }

    @Test
    void exitEventsSeeTheirEnterParametersAndLatency() throws Exception {
        feed(enter(1000, SHELL, "openat", Map.of("dirfd", -100L, "name", "/etc/passwd", "flags", 1L)));
        EventContext c = feed(exit(1500, SHELL, "openat", Map.of("fd", 3L, "dirfd", -100L, "name", "/etc/passwd",
                "flags", 1L)));
        assertEquals(500L, field(c, "evt.latency", null));
        assertEquals("/etc/passwd", field(c, "fd.name", null));
        assertEquals("fd=3(<f>/etc/passwd) dirfd=-100(AT_FDCWD) name=/etc/passwd flags=1(O_RDONLY) mode=0 dev=0 ",
                field(c, "evt.args", null));
    }

    @Test
    void closeRemovesTheDescriptorOnlyAfterItsExitEvent() throws Exception {
        open(SHELL, "/tmp/a", 3, O_RDONLY);
        feed(enter(tick(), SHELL, "close", Map.of("fd", 3L)));
        EventContext closeExit = feed(exit(tick(), SHELL, "close", Map.of("res", 0L)));
        assertEquals("/tmp/a", field(closeExit, "fd.name", null));
        feed(enter(tick(), SHELL, "brk", Map.of("addr", 0L)));
        assertNull(engine.fdTable(engine.threads().get(SHELL)).get(3L));
    }

    @Test
    void forkGivesTheChildACopyOfTheFdTableAndTheParentLink() throws Exception {
        open(SHELL, "/tmp/a", 3, O_RDONLY);
        fork(SHELL, CHILD, 0);
        ThreadInfo child = engine.threads().get(CHILD);
        assertNotNull(child);
        assertEquals(SHELL, child.ptid);
        assertEquals("/tmp/a", engine.fdTable(child).get(3L).name);
        feed(enter(tick(), CHILD, "close", Map.of("fd", 3L)));
        feed(exit(tick(), CHILD, "close", Map.of("res", 0L)));
        feed(enter(tick(), CHILD, "brk", Map.of("addr", 0L)));
        assertNull(engine.fdTable(child).get(3L), "closed in the child");
        assertNotNull(engine.fdTable(engine.threads().get(SHELL)).get(3L), "still open in the parent");
    }

    @Test
    void threadsWithCloneFilesShareTheMainThreadsTable() {
        fork(SHELL, CHILD, CLONE_FILES | CLONE_THREAD);
        open(CHILD, "/tmp/shared", 5, O_RDONLY);
        assertEquals("/tmp/shared", engine.fdTable(engine.threads().get(SHELL)).get(5L).name);
        assertEquals(1, engine.threads().get(SHELL).nchilds);
    }

    @Test
    void execveReplacesTheProgramAndKeepsTheParent() throws Exception {
        fork(SHELL, CHILD, 0);
        execve(CHILD, "/bin/cat", List.of("/etc/shadow"));
        EventContext c = feed(enter(tick(), CHILD, "brk", Map.of("addr", 0L)));
        assertEquals("cat", field(c, "proc.name", null));
        assertEquals("cat /etc/shadow", field(c, "proc.cmdline", null));
        assertEquals("bash", field(c, "proc.pname", null));
        assertEquals("sshd", field(c, "proc.aname", "2"));
        assertEquals(50L, field(c, "proc.apid", "2"));
        assertEquals(List.of("bash", "sshd", "systemd"), field(c, "proc.aname", null));
    }

    @Test
    void closesOnExecDropsCloexecFds() {
        fork(SHELL, CHILD, 0);
        open(CHILD, "/etc/ld.so.cache", 3, O_RDONLY | O_CLOEXEC);
        open(CHILD, "/tmp/keep", 4, O_RDONLY);
        execve(CHILD, "/bin/cat", List.of());
        var table = engine.fdTable(engine.threads().get(CHILD));
        assertNull(table.get(3L));
        assertNotNull(table.get(4L));
    }

    @Test
    void procexitRemovesTheThreadAfterItsOwnEvent() throws Exception {
        fork(SHELL, CHILD, 0);
        EventContext exitEvent = feed(enter(tick(), CHILD, "procexit", Map.of("status", 0L)));
        assertEquals("bash", field(exitEvent, "proc.name", null));
        feed(enter(tick(), SHELL, "brk", Map.of("addr", 0L)));
        assertNull(engine.threads().get(CHILD));
        assertEquals(3, engine.threads().size());
    }

    @Test
    void deferredRemovalsCanBeAppliedWithoutWaitingForTheNextEvent() throws Exception {
        // A keyed engine stores its tables at the end of a batch: nothing may wait for an event that
        // comes only after a restore.
        fork(SHELL, CHILD, 0);
        feed(enter(tick(), CHILD, "procexit", Map.of("status", 0L)));
        assertNotNull(engine.threads().get(CHILD), "libsinsp removes it at the next event");
        engine.applyDeferredRemovals();
        assertNull(engine.threads().get(CHILD));
    }

    @Test
    void failedSyscallsChangeNothing() {
        feed(enter(tick(), SHELL, "openat", Map.of("dirfd", -100L, "name", "/root/x", "flags", 1L)));
        feed(exit(tick(), SHELL, "openat", Map.of("fd", -13L, "dirfd", -100L, "name", "/root/x", "flags", 1L)));
        assertEquals(1, engine.fdTable(engine.threads().get(SHELL)).size());
    }

    @Test
    void setuidChangesTheUserOfTheThread() throws Exception {
        feed(enter(tick(), SHELL, "setuid", Map.of("uid", 1000L)));
        EventContext c = feed(exit(tick(), SHELL, "setuid", Map.of("res", 0L)));
        assertEquals(1000L, field(c, "user.uid", null));
    }

    @Test
    void connectedSocketsAreNamedByTheirTuple() throws Exception {
        feed(enter(tick(), SHELL, "socket", Map.of("domain", 2L, "type", 1L, "proto", 0L)));
        feed(exit(tick(), SHELL, "socket", Map.of("fd", 7L)));
        feed(enter(tick(), SHELL, "connect", Map.of("fd", 7L)));
        byte[] tuple = TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 34567, new int[] {93, 184, 216, 34}, 443);
        EventContext c = feed(exit(tick(), SHELL, "connect", Map.of("res", 0L, "tuple", tuple)));
        assertEquals("10.0.0.5:34567->93.184.216.34:443", field(c, "fd.name", null));
        assertEquals("tcp", field(c, "fd.l4proto", null));
        assertEquals(443L, field(c, "fd.sport", null));
        assertTrue((Boolean) field(c, "fd.connected", null));
    }

    @Test
    void threadsWithoutEventsExpireSoTheTableStaysBounded() {
        feed(enter(tick(), 4242, "brk", Map.of("addr", 0L)));
        long later = now + 60_000_000_000L;
        feed(enter(later, SHELL, "brk", Map.of("addr", 0L)));
        assertEquals(1, engine.expireInactive(later, 30_000_000_000L));
        assertNull(engine.threads().get(4242));
        assertNotNull(engine.threads().get(SHELL));
    }

    @Test
    void unknownThreadsAreInventedAsLibsinspDoes() throws Exception {
        EventContext c = feed(enter(tick(), 4242, "brk", Map.of("addr", 0L)));
        assertEquals("<NA>", field(c, "proc.name", null));
        assertEquals(4294967295L, field(c, "user.uid", null));
        assertFalse(engine.threads().get(4242).isMainThread() == false);
    }
}
