package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                List.of("open", "openat", "execve", "connect", "procexit", "clone", "socket", "chown", "lchown",
                        "fchown", "fchownat", "prctl", "init_module", "finit_module", "delete_module", "sendmsg",
                        "recvmsg", "readv", "writev", "preadv", "pwritev"), 16);
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
    void chownFamilyCarriesPathOrFdAndTheNewOwner(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("owned"), "x");
        // perl's chown is chown(2), with a file handle fchown(2); coreutils chown uses fchownat(2).
        long perlPid = run("perl", "-e", "chown 7, 8, $ARGV[0] or die; open(my $f, '<', $ARGV[0]) or die;"
                + " chown 9, 10, $f or die", file.toString());
        long chownPid = run("chown", "11:12", file.toString());

        Event chown = await(e -> e.threadId() == perlPid && e.type() == EventTable.id("PPME_SYSCALL_CHOWN_X"));
        assertThat(chown.paramLong(0, true)).isZero();
        assertThat(chown.paramString(1)).isEqualTo(file.toString());
        assertThat(chown.paramLong(2, false)).isEqualTo(7);
        assertThat(chown.paramLong(3, false)).isEqualTo(8);
        await(e -> e.threadId() == perlPid && e.type() == EventTable.id("PPME_SYSCALL_CHOWN_E") && e.paramCount() == 0);
        Event fchown = await(e -> e.threadId() == perlPid && e.type() == EventTable.id("PPME_SYSCALL_FCHOWN_X"));
        assertThat(fchown.paramLong(1, true)).isGreaterThanOrEqualTo(3); // the fd of the open handle
        assertThat(fchown.paramLong(2, false)).isEqualTo(9);
        assertThat(fchown.paramLong(3, false)).isEqualTo(10);
        Event fchownat = await(e -> e.threadId() == chownPid && e.type() == EventTable.id("PPME_SYSCALL_FCHOWNAT_X"));
        assertThat(fchownat.paramLong(0, true)).isZero();
        assertThat(fchownat.paramString(2)).isEqualTo(file.toString());
        assertThat(fchownat.paramLong(3, false)).isEqualTo(11);
        assertThat(fchownat.paramLong(4, false)).isEqualTo(12);
    }

    @Test
    void moduleSyscallsAndPrctlCarryTheirArguments(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("bogus.ko"), "not a kernel module");
        // init_module(img, len, "p=1"), finit_module(fd, "q=2", 0), delete_module("pg_no_such_mod", O_NONBLOCK),
        // prctl(PR_SET_NAME, "pg-renamed"): all fail or are harmless, each is still seen.
        // (perl's syscall wants writable scalars for string arguments, hence the variables)
        long pid = run("perl", "-e", "my ($img, $p, $q, $mod, $name) = ('not a kernel module', 'p=1', 'q=2',"
                + " 'pg_no_such_mod', 'pg-renamed'); syscall(175, $img, length($img), $p);"
                + " open(my $f, '<', $ARGV[0]) or die; syscall(313, fileno($f), $q, 0);"
                + " syscall(176, $mod, 2048); syscall(157, 15, $name, 0, 0, 0);"
                + " my $reaper = pack('i', 0); syscall(157, 36, 1, 0, 0, 0); syscall(157, 37, $reaper, 0, 0, 0);",
                image.toString());

        Event init = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_INIT_MODULE_X"));
        assertThat(init.paramLong(0, true)).isNegative();
        assertThat(str(init.paramBytes(1))).isEqualTo("not a kernel module");
        assertThat(init.paramLong(2, false)).isEqualTo(19);
        assertThat(init.paramString(3)).isEqualTo("p=1");
        Event finit = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_FINIT_MODULE_X"));
        assertThat(finit.paramLong(1, true)).isGreaterThanOrEqualTo(3);
        assertThat(finit.paramString(2)).isEqualTo("q=2");
        assertThat(finit.paramLong(3, false)).isZero();
        Event delete = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_DELETE_MODULE_X"));
        assertThat(delete.paramString(1)).isEqualTo("pg_no_such_mod");
        assertThat(delete.paramLong(2, false)).isEqualTo(2); // PPM_DELETE_MODULE_O_NONBLOCK
        Event prctl = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_PRCTL_X")
                && e.paramLong(1, false) == 15);
        assertThat(prctl.paramLong(0, true)).isZero();
        assertThat(prctl.paramString(2)).isEqualTo("pg-renamed");
        assertThat(prctl.paramLong(3, true)).isZero();
        Event setReaper = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_PRCTL_X")
                && e.paramLong(1, false) == 36); // PR_SET_CHILD_SUBREAPER: arg2 itself
        assertThat(setReaper.paramLength(2)).isZero();
        assertThat(setReaper.paramLong(3, true)).isEqualTo(1);
        Event getReaper = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_PRCTL_X")
                && e.paramLong(1, false) == 37); // PR_GET_CHILD_SUBREAPER: the int the kernel wrote
        assertThat(getReaper.paramLong(3, true)).isEqualTo(1);
    }

    @Test
    void vectoredIoCarriesTotalSizeAndTheFirstBytes(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        Path file = dir.resolve("v");
        long pid = run(PYTHON.toString(), "-c", "import os, sys\n"
                + "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
                + "os.writev(fd, [b'hello ', b'vectored ', b'world'])\n"
                + "a, b = bytearray(4), bytearray(100)\n"
                + vectoredSyscall(295, "[a, b]", 0) // os.preadv would use preadv2 (glibc), which libscap
                + vectoredSyscall(296, "[bytearray(b'XY')]", 3) // reports as a generic syscall only
                + "os.lseek(fd, 0, 0)\n"
                + "os.readv(fd, [bytearray(3)])\n", file.toString());

        Event writevE = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_WRITEV_E"));
        assertThat(writevE.paramLong(1, false)).isEqualTo(20);
        Event writev = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_WRITEV_X"));
        assertThat(writev.paramLong(0, true)).isEqualTo(20);
        assertThat(str(writev.paramBytes(1))).isEqualTo("hello vectored world");
        Event preadv = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_PREADV_X"));
        assertThat(preadv.paramLong(0, true)).isEqualTo(20);
        assertThat(preadv.paramLong(1, false)).isEqualTo(20); // min(104 asked, 20 read)
        assertThat(str(preadv.paramBytes(2))).isEqualTo("hello vectored world");
        Event pwritevE = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_PWRITEV_E"));
        assertThat(pwritevE.paramLong(1, false)).isEqualTo(2);
        assertThat(pwritevE.paramLong(2, false)).isEqualTo(3);
        Event readv = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SYSCALL_READV_X"));
        assertThat(readv.paramLong(1, false)).isEqualTo(3);
        assertThat(str(readv.paramBytes(2))).isEqualTo("hel");
    }

    @Test
    void unconnectedUdpSendmsgAndRecvmsgCarryTheTuple() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        long pid = run(PYTHON.toString(), "-c", "import socket\n"
                + "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 0))\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0))\n"
                + "s.sendmsg([b'ping ', b'over udp'], [], 0, r.getsockname())\n"
                + "r.recvmsg(100)\n");

        Event sendE = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SOCKET_SENDMSG_E"));
        assertThat(sendE.paramLong(1, false)).isEqualTo(13);
        byte[] out = sendE.paramBytes(2);
        assertThat(out[0]).isEqualTo((byte) 2);
        assertThat(new byte[] {out[1], out[2], out[3], out[4]}).containsExactly(127, 0, 0, 1);
        int sport = u16(out, 5);
        int dport = u16(out, 11);
        assertThat(sport).isNotZero();
        assertThat(dport).isNotZero().isNotEqualTo(sport);
        Event sendX = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SOCKET_SENDMSG_X"));
        assertThat(str(sendX.paramBytes(1))).isEqualTo("ping over udp");
        Event recvX = await(e -> e.threadId() == pid && e.type() == EventTable.id("PPME_SOCKET_RECVMSG_X"));
        assertThat(recvX.paramLong(0, true)).isEqualTo(13);
        assertThat(recvX.paramLong(1, false)).isEqualTo(13);
        assertThat(str(recvX.paramBytes(2))).isEqualTo("ping over udp");
        byte[] in = recvX.paramBytes(3);
        assertThat(u16(in, 5)).as("source: the sender").isEqualTo(sport);
        assertThat(u16(in, 11)).as("destination: this socket").isEqualTo(dport);
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

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Python lines making the raw preadv/pwritev syscall (number nr) on fd with the given buffers. */
    private static String vectoredSyscall(int nr, String buffers, long pos) {
        return "import ctypes\n"
                + "class Iov(ctypes.Structure): _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]\n"
                + "bufs = " + buffers + "\n"
                + "cb = [(ctypes.c_char * len(x)).from_buffer(x) for x in bufs]\n"
                + "iov = (Iov * len(bufs))(*[Iov(ctypes.addressof(c), len(x)) for c, x in zip(cb, bufs)])\n"
                + "assert ctypes.CDLL(None, use_errno=True).syscall(" + nr + ", fd, iov, len(bufs), ctypes.c_long("
                + pos + "), 0) >= 0\n";
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
