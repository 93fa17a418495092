package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real probe on this kernel (needs root, BTF and a built loader): actions performed by child
 * processes show up as libscap events with the right parameters.
 */
class ProbeLiveTest {

    private static ProbeProcess probe;
    private static final List<ProbeFrame> FRAMES = new CopyOnWriteArrayList<>();
    private static Thread reader;

    @BeforeAll
    static void startProbe() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, /sys/kernel/btf/vmlinux and make -C probe");
        probe = ProbeProcess.start(ProbeBinary.require(),
                List.of("open", "openat", "execve", "connect", "procexit", "clone", "socket"), 16);
        ProbeFrame first;
        while (!((first = probe.frames().next()) instanceof ProbeFrame.Types)) {
            assertThat(first).isNotNull();
        }
        reader = new Thread(() -> {
            try {
                for (ProbeFrame f = probe.frames().next(); f != null; f = probe.frames().next()) {
                    FRAMES.add(f);
                }
            } catch (Exception e) {
                FRAMES.add(new ProbeFrame.ProbeError(e.toString()));
            }
        }, "probe-reader");
        reader.start();
    }

    @AfterAll
    static void stopProbe() throws Exception {
        if (probe != null) {
            probe.stop();
            reader.join(10_000);
            probe.close();
        }
    }

    @Test
    void openingEtcShadowShowsAsOpenatWithPathAndReadFlags() throws Exception {
        long pid = run("cat", "/etc/shadow");

        Event exit = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_X")
                && e.paramString(2).equals("/etc/shadow"));
        assertThat(exit.paramLong(0, true)).isGreaterThanOrEqualTo(0); // fd
        assertThat(exit.paramLong(1, true)).isEqualTo(-100); // AT_FDCWD
        assertThat(exit.paramLong(3, false) & 3).isEqualTo(1); // PPM_O_RDONLY
        await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_OPENAT_2_E")
                && e.paramString(1).equals("/etc/shadow"));
    }

    @Test
    void execveOfAKnownBinaryCarriesExeArgsCommAndParent() throws Exception {
        long pid = run("/bin/echo", "peregrine-live-marker");

        // The JVM spawns through jspawnhelper, which then execs the target in the same process.
        Event exit = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X")
                && e.paramString(1).equals("/bin/echo"));
        assertThat(exit.paramLong(0, true)).isZero();
        assertThat(exit.paramString(1)).isEqualTo("/bin/echo");
        assertThat(exit.paramString(2)).isEqualTo("peregrine-live-marker");
        assertThat(exit.paramLong(4, true)).isEqualTo(pid); // pid
        assertThat(exit.paramLong(5, true)).isEqualTo(ProcessHandle.current().pid()); // ptid: this JVM
        assertThat(exit.paramString(13)).isEqualTo("echo"); // comm
        assertThat(exit.paramString(14)).contains("=/"); // cgroups: subsys=path
        await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_E")
                && e.paramString(0).equals("/bin/echo"));
        await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_PROCEXIT_1_E"));
    }

    @Test
    void connectToLoopbackCarriesTheSockaddrAndTheTuple() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = server.getLocalPort();
            Thread acceptor = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // the client closes first
                }
            });
            acceptor.start();
            long pid = run("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port);
            acceptor.join(5000);

            // bash may first reach nscd or other local daemons over unix sockets: wait for the AF_INET one.
            Event enter = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SOCKET_CONNECT_E")
                    && isInet(e.paramBytes(1)));
            byte[] addr = enter.paramBytes(1);
            assertThat(addr[0]).isEqualTo((byte) 2); // AF_INET
            assertThat(new byte[] {addr[1], addr[2], addr[3], addr[4]}).containsExactly(127, 0, 0, 1);
            assertThat(u16(addr, 5)).isEqualTo(port);

            Event exit = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SOCKET_CONNECT_X")
                    && isInet(e.paramBytes(1)));
            assertThat(exit.paramLong(0, true)).isZero();
            byte[] tuple = exit.paramBytes(1);
            assertThat(tuple[0]).isEqualTo((byte) 2);
            assertThat(new byte[] {tuple[1], tuple[2], tuple[3], tuple[4]}).containsExactly(127, 0, 0, 1); // source
            assertThat(u16(tuple, 5)).isNotZero(); // ephemeral source port
            assertThat(new byte[] {tuple[7], tuple[8], tuple[9], tuple[10]}).containsExactly(127, 0, 0, 1);
            assertThat(u16(tuple, 11)).isEqualTo(port);
        }
    }

    @Test
    void statsFramesReportRecordsAndDropCounters() throws Exception {
        probe.requestStats();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Optional<ProbeFrame.Stats> stats = Optional.empty();
        while (stats.isEmpty() && System.nanoTime() < deadline) {
            stats = FRAMES.stream().filter(ProbeFrame.Stats.class::isInstance).map(ProbeFrame.Stats.class::cast)
                    .reduce((a, b) -> b);
            Thread.sleep(50);
        }
        assertThat(stats).isPresent();
        assertThat(stats.get().counters()).containsKeys("records", "drops_ring_full", "drops_too_big",
                "syscalls_seen", "frames_out", "encode_errors");
        assertThat(stats.get().get("encode_errors")).isZero();
    }

    private static long run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.pid();
    }

    private static boolean isInet(byte[] sockaddr) {
        return sockaddr != null && sockaddr.length > 0 && sockaddr[0] == 2;
    }

    private static Event await(Predicate<Event> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (ProbeFrame f : new ArrayList<>(FRAMES)) {
                if (f instanceof ProbeFrame.EventFrame ef && what.test(ef.event())) {
                    return ef.event();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such event among " + FRAMES.size() + " frames");
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
