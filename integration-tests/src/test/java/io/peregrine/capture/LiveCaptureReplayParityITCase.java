package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.shipper.capture.LiveCapture;
import io.peregrine.shipper.probe.ProbeBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe's message and vectored I/O events (sendmsg/recvmsg on unconnected UDP sockets,
 * writev/readv) and the chown family, captured live by {@code peregrine capture} in its default
 * sysdig-compatible mode, printed by sysdig 0.29.3 and by {@code peregrine replay -p}: the same lines.
 * Needs root, kernel BTF, a built probe, sysdig, perl and /usr/bin/python3; skipped otherwise.
 */
class LiveCaptureReplayParityITCase {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String FILTER = "proc.name in (python3, perl) and evt.type in (socket, bind, sendmsg, recvmsg,"
            + " writev, readv, chown, fchown)";

    @TempDir
    static Path dir;
    private static Path capture;

    @BeforeAll
    static void captureActions() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON);
        capture = dir.resolve("io.scap");
        Path file = dir.resolve("data");
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(capture, List.of("socket", "bind", "sendmsg", "recvmsg", "writev", "readv",
                        "openat", "close", "chown", "fchown", "execve", "clone", "clone3", "procexit"), 0,
                        Duration.ofSeconds(60)));
            } catch (Exception e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        run(PYTHON.toString(), "-c", String.join("\n",
                "import socket, os, sys",
                "r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 0))",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.sendmsg([b'ping ', b'over udp'], [], 0, r.getsockname())",
                "r.recvmsg(100)",
                "r.sendmsg([b'pong'], [], 0, s.getsockname())",
                "s.recvmsg(100)",
                "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)",
                "os.writev(fd, [b'hello ', b'vectored ', b'world'])",
                "os.lseek(fd, 0, 0)",
                "os.readv(fd, [bytearray(5), bytearray(3)])"), file.toString());
        run("perl", "-e", "chown 1, 1, $ARGV[0] or die; open(my $f, '<', $ARGV[0]) or die; chown 2, 2, $f or die",
                file.toString());
        Thread.sleep(300);
        live.stop();
        t.join(30_000);
        if (result.get(0) instanceof Exception e) {
            throw e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "%evt.num %proc.name %evt.type %evt.dir %evt.args",
        "%evt.num %evt.type %evt.dir %fd.num %fd.type %fd.name %fd.l4proto %fd.sport %fd.cport %fd.is_server",
        "%evt.num %evt.type %evt.is_io %evt.is_io_read %evt.is_io_write %evt.buffer %evt.rawres %evt.arg.size",
    })
    void sysdigAndReplayPrintTheSameLines(String format) throws Exception {
        List<String> sysdig = run("sysdig", "-r", capture.toString(), "-p", "*" + format, FILTER);
        List<String> ours = run(System.getProperty("java.home") + "/bin/java", "-cp",
                System.getProperty("java.class.path"), "io.peregrine.cli.PeregrineCli", "replay", "-p", format,
                capture.toString(), FILTER);
        assertThat(sysdig).as("sysdig printed the actions").hasSizeGreaterThanOrEqualTo(20);
        assertThat(ours).containsExactlyElementsOf(sysdig);
    }

    private static List<String> run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return lines;
    }
}
