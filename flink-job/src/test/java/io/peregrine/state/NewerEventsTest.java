package io.peregrine.state;

import static io.peregrine.state.TestEvents.enter;
import static io.peregrine.state.TestEvents.exit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.fields.extract.SyscallFields;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events the probe sends with libs 9.1.0 layouts (chown family, module calls, prctl: exit-only,
 * their enter events empty) and the vectored and message I/O calls, through the state engine and the
 * fields, as libsinsp reads them.
 */
class NewerEventsTest {

    private static final long SHELL = 100;

    private final FieldCatalog fields = SyscallFields.catalog();
    private StateEngine engine;
    private long now = 1_000_000_000L;

    @BeforeEach
    void shellInAliceHome() {
        engine = new StateEngine(new InMemoryThreadStore());
        ThreadInfo shell = new ThreadInfo();
        shell.tid = SHELL;
        shell.pid = SHELL;
        shell.ptid = 1;
        shell.comm = "bash";
        shell.exe = "bash";
        shell.exePath = "/usr/bin/bash";
        shell.cwd = "/home/alice/";
        engine.addThread(shell);
        engine.finishInitialLoad();
    }

    private EventContext feed(Event e) {
        return engine.process(e);
    }

    /** An exit-only syscall: the empty enter event, then the exit with every parameter. */
    private EventContext exitOnly(String name, Map<String, ?> params) {
        feed(enter(tick(), SHELL, name, Map.of()));
        return feed(exit(tick(), SHELL, name, params));
    }

    private long tick() {
        return now += 1000;
    }

    private Object field(EventContext c, String name) {
        try {
            return fields.resolve(name, null).extract(c);
        } catch (UnknownFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertBuffer(String expected, Object buffer) {
        assertEquals(expected, new String((byte[]) buffer, StandardCharsets.UTF_8));
    }

    private void openat(long dirfd, String path, long fd, long flags) {
        feed(enter(tick(), SHELL, "openat", Map.of("dirfd", dirfd, "name", path, "flags", flags)));
        feed(exit(tick(), SHELL, "openat", Map.of("fd", fd, "dirfd", dirfd, "name", path, "flags", flags)));
    }

    @Test
    void chownNamesItsPathResolvedAgainstTheCwd() {
        EventContext c = exitOnly("chown", Map.of("res", 0L, "path", "notes.txt", "uid", 1000L, "gid", 100L));
        assertEquals("chown", field(c, "evt.type"));
        assertEquals("/home/alice/notes.txt", field(c, "evt.arg.path"));
        assertEquals("1000", field(c, "evt.arg.uid"));
        assertEquals("100", field(c, "evt.arg.gid"));
        assertNull(field(c, "fd.name"), "chown names no fd");
    }

    @Test
    void fchownNamesTheFileBehindItsFd() {
        openat(-100, "/etc/shadow", 3, 1);
        EventContext c = exitOnly("fchown", Map.of("res", 0L, "fd", 3L, "uid", 0L, "gid", 42L));
        assertEquals("/etc/shadow", field(c, "fd.name"));
        assertEquals("fchown", field(c, "evt.type"));
        assertEquals(3L, field(c, "fd.num"));
    }

    @Test
    void fchownatResolvesItsPathnameAgainstTheDirfd() {
        openat(-100, "/etc", 5, 1 | 1 << 10); // O_RDONLY | O_DIRECTORY
        EventContext c = exitOnly("fchownat", Map.of("res", 0L, "dirfd", 5L, "pathname", "shadow", "uid", 0L,
                "gid", 0L, "flags", 0x1000L));
        assertEquals("/etc/shadow", field(c, "evt.arg.pathname"));
        assertEquals("/etc", field(c, "fd.name"), "the fd of fchownat is its dirfd, as in libsinsp");
        assertEquals("AT_EMPTY_PATH", field(c, "evt.arg.flags"));

        EventContext cwd = exitOnly("fchownat", Map.of("res", 0L, "dirfd", -100L, "pathname", "notes.txt",
                "uid", 0L, "gid", 0L, "flags", 0L));
        assertEquals("/home/alice/notes.txt", field(cwd, "evt.arg.pathname"));
    }

    @Test
    void moduleCallsShowTheirArguments() {
        EventContext init = exitOnly("init_module", Map.of("res", -8L, "img",
                "\u007fELF".getBytes(StandardCharsets.ISO_8859_1), "length", 4096L, "uargs", "debug=1"));
        assertEquals("init_module", field(init, "evt.type"));
        assertEquals("4096", field(init, "evt.arg.length"));
        assertEquals("debug=1", field(init, "evt.arg.uargs"));
        assertEquals("ENOEXEC", field(init, "evt.res"));

        openat(-100, "/tmp/rootkit.ko", 4, 1);
        EventContext finit = exitOnly("finit_module", Map.of("res", 0L, "fd", 4L, "uargs", "", "flags", 2L));
        assertEquals("/tmp/rootkit.ko", field(finit, "fd.name"));
        assertEquals("MODULE_INIT_IGNORE_VERMAGIC", field(finit, "evt.arg.flags"));

        EventContext delete = exitOnly("delete_module", Map.of("res", 0L, "name", "rootkit", "flags", 2L));
        assertEquals("rootkit", field(delete, "evt.arg.name"));
        assertEquals("O_NONBLOCK", field(delete, "evt.arg.flags"));
    }

    @Test
    void prctlShowsTheOptionAndTheNewName() {
        EventContext c = exitOnly("prctl", Map.of("res", 0L, "option", 15L, "arg2_str", "kworker/0:1"));
        assertEquals("PR_SET_NAME", field(c, "evt.arg.option"));
        assertEquals("kworker/0:1", field(c, "evt.arg.arg2_str"));
    }

    @Test
    void genericEventsOfASysdigCompatibleCaptureKeepTheSyscallName() {
        int genericE = EventTable.id("PPME_GENERIC_E");
        int genericX = EventTable.id("PPME_GENERIC_X");
        feed(TestEvents.build(tick(), SHELL, EventTable.get(genericE), Map.of("ID", 132L, "nativeID", 92L)));
        EventContext c = feed(TestEvents.build(tick(), SHELL, EventTable.get(genericX), Map.of("ID", 132L)));
        assertEquals("chown", field(c, "evt.type"));
    }

    @Test
    void sendmsgOnAnUnconnectedUdpSocketNamesTheFdByTheTuple() {
        feed(enter(tick(), SHELL, "socket", Map.of("domain", 2L, "type", 2L, "proto", 0L)));
        feed(exit(tick(), SHELL, "socket", Map.of("fd", 6L)));
        byte[] tuple = TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 40000, new int[] {8, 8, 8, 8}, 53);
        feed(enter(tick(), SHELL, "sendmsg", Map.of("fd", 6L, "size", 29L, "tuple", tuple)));
        EventContext c = feed(exit(tick(), SHELL, "sendmsg", Map.of("res", 29L, "data", "query".getBytes())));
        assertEquals("10.0.0.5:40000->8.8.8.8:53", field(c, "fd.name"));
        assertEquals("udp", field(c, "fd.l4proto"));
        assertEquals(53L, field(c, "fd.sport"));
        assertBuffer("query", field(c, "evt.buffer"));
        assertEquals(Boolean.TRUE, field(c, "evt.is_io_write"));
    }

    @Test
    void sendtoOnAFdTheTableLacksInfersAUdpSocketAsLibsinspDoes() {
        byte[] tuple = TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 40000, new int[] {8, 8, 8, 8}, 53);
        feed(enter(tick(), SHELL, "sendto", Map.of("fd", 9L, "size", 5L, "tuple", tuple)));
        EventContext c = feed(exit(tick(), SHELL, "sendto", Map.of("res", 5L, "data", "query".getBytes())));
        assertEquals("10.0.0.5:40000->8.8.8.8:53", field(c, "fd.name"));
        assertEquals("udp", field(c, "fd.l4proto"));
    }

    @Test
    void recvmsgOnAnUnconnectedUdpSocketNamesTheFdByTheSender() {
        feed(enter(tick(), SHELL, "socket", Map.of("domain", 2L, "type", 2L, "proto", 0L)));
        feed(exit(tick(), SHELL, "socket", Map.of("fd", 6L)));
        byte[] tuple = TestEvents.ipv4Tuple(new int[] {192, 0, 2, 7}, 5353, new int[] {10, 0, 0, 5}, 40001);
        feed(enter(tick(), SHELL, "recvmsg", Map.of("fd", 6L)));
        EventContext c = feed(exit(tick(), SHELL, "recvmsg", Map.of("res", 5L, "size", 5L, "data", "reply".getBytes(),
                "tuple", tuple)));
        // libsinsp's role guess: the socket itself "is bound to" the tuple's destination port and "uses"
        // its source port, so it falls back to "a server starts with a read": named as the tuple is
        assertEquals("192.0.2.7:5353->10.0.0.5:40001", field(c, "fd.name"));
        assertEquals("udp", field(c, "fd.l4proto"));
        assertBuffer("reply", field(c, "evt.buffer"));
        assertEquals(Boolean.TRUE, field(c, "evt.is_io_read"));
    }

    @Test
    void readvAndWritevCarryTheirDataAsTheBuffer() {
        openat(-100, "/var/log/app.log", 3, 3);
        feed(enter(tick(), SHELL, "writev", Map.of("fd", 3L, "size", 11L)));
        EventContext w = feed(exit(tick(), SHELL, "writev", Map.of("res", 11L, "data", "hello world".getBytes())));
        assertBuffer("hello world", field(w, "evt.buffer"));
        assertEquals("/var/log/app.log", field(w, "fd.name"));
        assertEquals(Boolean.TRUE, field(w, "evt.is_io"));
        assertEquals(Boolean.TRUE, field(w, "evt.is_io_write"));

        feed(enter(tick(), SHELL, "readv", Map.of("fd", 3L)));
        EventContext r = feed(exit(tick(), SHELL, "readv", Map.of("res", 5L, "size", 5L, "data", "hello".getBytes())));
        assertBuffer("hello", field(r, "evt.buffer"));
        assertEquals(Boolean.TRUE, field(r, "evt.is_io_read"));
        assertEquals(5L, field(r, "evt.rawres"));
    }
}
