package io.peregrine.shipper.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.event.FlagTables;
import io.peregrine.shipper.probe.ProbeBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live capture (root, this kernel) read back by sysdig 0.29.3: for the same events, sysdig's
 * field values equal the ones we derive from our own decoding of the capture.
 */
class CaptureSysdigTest {

    private static final String SEP = "\u00a6";

    @TempDir
    static Path dir;
    private static Path capture;
    private static long catPid;
    private static long echoPid;
    private static long bashPid;
    private static int port;
    private static LiveCapture.Summary summary;

    @BeforeAll
    static void captureSomeActions() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        capture = dir.resolve("live.scap");
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(capture, List.of("openat", "execve", "connect", "procexit", "clone", "clone3", "vfork", "fork", "socket", "write",
                        "close"), 0, Duration.ofSeconds(30)));
            } catch (IOException e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        catPid = run("cat", "/etc/shadow");
        echoPid = run("/bin/echo", "capture-marker");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            port = server.getLocalPort();
            Thread acceptor = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client closes first
                }
            });
            acceptor.start();
            bashPid = run("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port);
            acceptor.join(5000);
        }
        Thread.sleep(300);
        live.stop();
        t.join(20_000);
        assertThat(result).hasSize(1);
        if (result.get(0) instanceof Exception e) {
            throw e;
        }
        summary = (LiveCapture.Summary) result.get(0);
    }

    @Test
    void sysdigReadsTheCaptureAndAgreesOnTheShadowOpen() throws Exception {
        List<String[]> rows = sysdig("%evt.type" + SEP + "%proc.name" + SEP + "%proc.pname" + SEP + "%fd.name" + SEP
                + "%evt.arg.flags" + SEP + "%proc.exe" + SEP + "%evt.dir",
                "proc.pid=" + catPid + " and evt.type=openat and evt.dir=< and fd.name=/etc/shadow");
        assertThat(rows).hasSize(1);
        String[] r = rows.get(0);

        Event ours = ourEvent(e -> e.threadId() == catPid && e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_X")
                && e.paramString(2).equals("/etc/shadow"));
        assertThat(r[0]).isEqualTo(ours.info().name());
        assertThat(r[1]).isEqualTo(ourComm(catPid));
        assertThat(r[2]).isEqualTo(ourSnapshotComm(ProcessHandle.current().pid()));
        assertThat(r[3]).isEqualTo(ours.paramString(2));
        assertThat(r[4]).isEqualTo(FlagTables.render("file_flags", ours.paramLong(3, false)));
        assertThat(r[5]).isEqualTo("cat");
    }

    @Test
    void sysdigAgreesOnTheExecveArguments() throws Exception {
        List<String[]> rows = sysdig("%evt.type" + SEP + "%proc.name" + SEP + "%proc.args" + SEP + "%proc.exe" + SEP
                + "%proc.ppid" + SEP + "%proc.cwd", "proc.pid=" + echoPid + " and evt.type=execve and evt.dir=<");
        Event ours = ourEvent(e -> e.threadId() == echoPid && e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X")
                && e.paramString(1).equals("/bin/echo"));
        String[] r = rows.get(rows.size() - 1);
        assertThat(r[0]).isEqualTo("execve");
        assertThat(r[1]).isEqualTo(ours.paramString(13));
        assertThat(r[2]).isEqualTo(ours.paramString(2));
        assertThat(r[3]).isEqualTo(ours.paramString(1));
        assertThat(Long.parseLong(r[4])).isEqualTo(ours.paramLong(5, true));
        assertThat(r[5]).isEqualTo(ours.paramString(6) + "/");
    }

    @Test
    void sysdigShowsTheWrittenDataOfTheSnaplen() throws Exception {
        List<String[]> rows = sysdig("%evt.type" + SEP + "%evt.rawres" + SEP + "%evt.arg.data",
                "proc.pid=" + echoPid + " and evt.type=write and evt.dir=<");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r[1]).isEqualTo(Integer.toString("capture-marker\n".length()));
            assertThat(r[2]).startsWith("capture-marker");
        });
    }

    @Test
    void sysdigAgreesOnTheConnectTuple() throws Exception {
        List<String[]> rows = sysdig("%evt.type" + SEP + "%fd.name" + SEP + "%fd.sip" + SEP + "%fd.sport" + SEP
                + "%fd.cip" + SEP + "%fd.l4proto" + SEP + "%proc.name",
                // bash may first reach nscd or other local daemons over unix sockets: only the TCP connect counts.
                "proc.pid=" + bashPid + " and evt.type=connect and evt.dir=< and fd.l4proto=tcp");
        assertThat(rows).hasSize(1);
        String[] r = rows.get(0);
        assertThat(r[1]).startsWith("127.0.0.1:").endsWith("->127.0.0.1:" + port);
        assertThat(r[2]).isEqualTo("127.0.0.1");
        assertThat(r[3]).isEqualTo(Integer.toString(port));
        assertThat(r[5]).isEqualTo("tcp");
        assertThat(r[6]).isEqualTo("bash");
    }

    @Test
    void everyEventWeWroteIsReadBySysdig() throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "*%evt.num").redirectErrorStream(true)
                .start();
        long lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        assertThat(p.waitFor()).isZero();
        assertThat(lines).isEqualTo(summary.events());
        assertThat(summary.drops()).isZero();
    }

    private static List<String[]> sysdig(String format, String filter) throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "*" + format, filter)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String[]> rows = new ArrayList<>();
        out.lines().filter(l -> l.contains(SEP)).forEach(l -> rows.add(l.split(SEP, -1)));
        return rows;
    }

    private static Event ourEvent(java.util.function.Predicate<Event> what) throws IOException {
        try (ScapReader r = ScapReader.open(capture)) {
            for (Event e; (e = r.next()) != null; ) {
                if (what.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no such event in " + capture);
    }

    /** The comm our execve exit carries for pid (its last execve). */
    private static String ourComm(long pid) throws IOException {
        String comm = null;
        try (ScapReader r = ScapReader.open(capture)) {
            for (Event e; (e = r.next()) != null; ) {
                if (e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X")) {
                    comm = e.paramString(13);
                }
            }
        }
        return comm;
    }

    private static String ourSnapshotComm(long pid) throws IOException {
        try (ScapReader r = ScapReader.open(capture)) {
            return r.processes().stream().filter(p -> p.tid() == pid).map(ScapProcess::comm).findFirst()
                    .orElseThrow();
        }
    }

    private static long run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }
}
