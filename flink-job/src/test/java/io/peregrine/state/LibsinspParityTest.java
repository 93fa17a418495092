package io.peregrine.state;

import static io.peregrine.state.TestEvents.enter;
import static io.peregrine.state.TestEvents.exit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.OutputFormat;
import io.peregrine.fields.extract.SyscallFields;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What libsinsp (sysdig 0.29.3, and the Falco of that libs) makes of situations live captures
 * show, which Peregrine reproduces so that fields and rules agree: each case was a difference
 * found by the differential test on captures written by our probe.
 */
class LibsinspParityTest {

    private static final long PY = 300;
    private final FieldCatalog fields = SyscallFields.catalog();
    private StateEngine engine;
    private long now = 1_000_000_000L;

    @BeforeEach
    void pythonInTmp() {
        engine = new StateEngine(new InMemoryThreadStore());
        ThreadInfo py = new ThreadInfo();
        py.tid = PY;
        py.pid = PY;
        py.ptid = 1;
        py.comm = "python3";
        py.exe = "python3";
        py.cwd = "/tmp/";
        py.fdLimit = 1024;
        py.fds.put(0L, new FdInfo(FdType.FIFO, ""));
        py.fds.put(4L, new FdInfo(FdType.DIRECTORY, "/"));
        engine.addThread(py);
        engine.finishInitialLoad();
    }

    private long tick() {
        return now += 1000;
    }

    private String field(EventContext c, String name) throws Exception {
        return OutputFormat.compile("*%" + name, fields).format(c);
    }

    @Test
    void anEmptyPathResolvesToTheDirectoryItself() throws Exception {
        // A path the probe could not read at entry arrives as "": libsinsp still joins it to the cwd.
        EventContext c = engine.process(enter(tick(), PY, "openat", Map.of("dirfd", -100L, "name", "", "flags", 1L)));
        assertEquals("dirfd=-100(AT_FDCWD) name=(/tmp) flags=1(O_RDONLY) mode=0 ", field(c, "evt.args"));
        assertEquals("/tmp", field(c, "evt.arg.name"));
    }

    @Test
    void openNamesTheFdAfterTheEnterNameEvenWhenItIsEmpty() throws Exception {
        engine.process(enter(tick(), PY, "openat", Map.of("dirfd", -100L, "name", "", "flags", 3L)));
        EventContext c = engine.process(exit(tick(), PY, "openat", Map.of("fd", 5L, "dirfd", -100L,
                "name", "/dev/null", "flags", 3L)));
        assertEquals("/tmp", field(c, "fd.name"));
    }

    @ParameterizedTest(name = "dirfd {0}, path {1} -> {2}")
    @CsvSource({
        "-100, x,      /tmp/x",
        "4,    x,      //x", // libsinsp appends '/' to the directory's name even when it is "/"
        "9,    x,      <UNKNOWN>/x",
        "9,    /etc/x, /etc/x",
        "-100, '',     /tmp",
    })
    void absolutePathsFollowLibsinsp(long dirfd, String path, String expected) throws Exception {
        engine.process(enter(tick(), PY, "unlinkat", Map.of("dirfd", dirfd, "name", path)));
        EventContext c = engine.process(exit(tick(), PY, "unlinkat", Map.of("res", 0L, "dirfd", dirfd, "name", path)));
        assertEquals(expected, field(c, "evt.abspath"));
    }

    @Test
    void anEventOlderThanThePreviousOneWrapsTheDeltaAsUnsigned() throws Exception {
        OutputFormat delta = OutputFormat.compile("*%evt.deltatime.s %evt.deltatime.ns", fields);
        long t = 2_000_000_000L;
        delta.format(engine.process(enter(t, PY, "brk", Map.of("addr", 0L))));
        EventContext older = engine.process(enter(t - 4151, PY, "brk", Map.of("addr", 0L)));
        assertEquals("18446744073 709547465", delta.format(older));
    }

    @Test
    void onlyThreadsFlaggedCloneThreadCountAsThreadsOfTheirProcess() throws Exception {
        for (long tid : new long[] {301, 302}) {
            ThreadInfo t = new ThreadInfo();
            t.tid = tid;
            t.pid = PY;
            t.comm = "worker";
            t.flags = tid == 301 ? ThreadInfo.CL_CLONE_THREAD | 1 : 0;
            engine.addThread(t);
        }
        engine.finishInitialLoad();
        EventContext c = engine.process(enter(tick(), PY, "brk", Map.of("addr", 0L)));
        assertEquals("2", field(c, "proc.nthreads"));
    }

    @Test
    void anIpv6SocketConnectedToAMappedAddressLosesItsProtocol() throws Exception {
        engine.process(enter(tick(), PY, "socket", Map.of("domain", 10L, "type", 1L, "proto", 0L)));
        engine.process(exit(tick(), PY, "socket", Map.of("fd", 7L)));
        engine.process(enter(tick(), PY, "connect", Map.of("fd", 7L)));
        byte[] tuple = new byte[37];
        tuple[0] = 10; // AF_INET6, ::ffff:127.0.0.1:53904 -> ::ffff:127.0.0.1:33707
        for (int at : new int[] {1, 19}) {
            tuple[at + 10] = (byte) 0xff;
            tuple[at + 11] = (byte) 0xff;
            tuple[at + 12] = 127;
            tuple[at + 15] = 1;
        }
        tuple[17] = (byte) (53904 & 0xff);
        tuple[18] = (byte) (53904 >> 8);
        tuple[35] = (byte) (33707 & 0xff);
        tuple[36] = (byte) (33707 >> 8);
        EventContext c = engine.process(exit(tick(), PY, "connect", Map.of("res", 0L, "tuple", tuple)));
        assertEquals("<unknown>", field(c, "fd.name"));
        assertEquals("<NA>", field(c, "fd.l4proto"));
        assertEquals("ipv4", field(c, "fd.type"));
    }

    @Test
    void aDatagramReceivedOnABoundSocketKeepsTheLocalEndFirst() throws Exception {
        engine.process(enter(tick(), PY, "socket", Map.of("domain", 2L, "type", 2L, "proto", 0L)));
        engine.process(exit(tick(), PY, "socket", Map.of("fd", 3L)));
        engine.process(enter(tick(), PY, "recvfrom", Map.of("fd", 3L, "size", 10L)));
        byte[] tuple = TestEvents.ipv4Tuple(new int[] {0, 0, 0, 0}, 0, new int[] {127, 0, 0, 1}, 47529);
        EventContext c = engine.process(exit(tick(), PY, "recvfrom", Map.of("res", 5L, "tuple", tuple)));
        // The process "is bound to" 47529 through this very fd and "uses" client port 0: a read makes it the server.
        assertEquals("0.0.0.0:0->127.0.0.1:47529", field(c, "fd.name"));
    }

    @Test
    void anExitWithoutItsEnterLooksAtDescriptorZero() throws Exception {
        // libsinsp's threads start with lastevent_fd 0, so fd fields of an unpaired exit show fd 0.
        EventContext c = engine.process(exit(tick(), PY, "accept", Map.of("fd", -512L)));
        assertEquals("0", field(c, "fd.num"));
        assertEquals("pipe", field(c, "fd.type"));
    }

    @Test
    void aCloneByAnUnknownCallerShowsTheCallerWithTheNameFromTheEvent() throws Exception {
        engine.process(enter(tick(), 777, "clone", Map.of()));
        EventContext c = engine.process(exit(tick(), 777, "clone", Map.of("res", 778L, "exe", "/usr/bin/java",
                "tid", 777L, "pid", 700L, "ptid", 1L, "comm", "flink-metrics", "flags", (long) ThreadInfo.CL_CLONE_THREAD,
                "fdlimit", 1024L, "vtid", 777L, "vpid", 700L)));
        assertEquals("flink-metrics", field(c, "proc.name"));
        assertEquals("0", field(c, "evt.latency"));
    }

    @Test
    void aNumberReusedWhileAnotherThreadClosesItIsDroppedWithTheSetAsideEntryAtThatCloseExit() throws Exception {
        ThreadInfo worker = new ThreadInfo();
        worker.tid = 301;
        worker.pid = PY;
        worker.comm = "python3";
        worker.flags = ThreadInfo.CL_CLONE_THREAD | 1;
        engine.addThread(worker);
        engine.process(enter(tick(), PY, "socket", Map.of("domain", 2L, "type", 1L, "proto", 0L)));
        engine.process(exit(tick(), PY, "socket", Map.of("fd", 5L)));
        engine.process(enter(tick(), 301, "close", Map.of("fd", 5L)));
        engine.process(enter(tick(), PY, "socket", Map.of("domain", 2L, "type", 1L, "proto", 0L)));
        EventContext reused = engine.process(exit(tick(), PY, "socket", Map.of("fd", 5L)));
        assertEquals("4", field(reused, "proc.fdopencount"), "0, 4, the new 5 and the closing 5 set aside");
        engine.process(exit(tick(), 301, "close", Map.of("res", 0L)));
        EventContext after = engine.process(enter(tick(), PY, "brk", Map.of("addr", 0L)));
        // libsinsp's reset() drops the set-aside entry and its close parser then drops 5 as well.
        assertEquals("2", field(after, "proc.fdopencount"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0.35, 0.3", "0.45, 0.5", "1.25, 1.2", "0.05, 0.1", "100, 100.0", "0, 0.0"})
    void doublesPrintLikeCPrintfWithOneDecimal(double value, String expected) {
        assertEquals(expected, CFormat.fixed(value, 1));
    }
}
