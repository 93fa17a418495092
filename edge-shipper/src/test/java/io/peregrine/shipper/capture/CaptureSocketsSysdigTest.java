package io.peregrine.shipper.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.shipper.probe.ProbeBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * IPv6 and Unix-domain connects from child processes (bash's /dev/tcp, a single-file Java client) in
 * a live capture: sysdig 0.29.3 decodes our sockaddrs and socktuples into the expected fd names.
 */
class CaptureSocketsSysdigTest {

    @TempDir
    static Path dir;
    private static Path capture;
    private static int port6;
    private static Path unixPath;

    @BeforeAll
    static void captureConnects() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        capture = dir.resolve("sockets.scap");
        unixPath = dir.resolve("u.sock");
        Path client = Files.writeString(dir.resolve("UnixClient.java"), String.join("\n",
                "import java.net.*; import java.nio.channels.*;",
                "public class UnixClient { public static void main(String[] a) throws Exception {",
                "  try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {",
                "    c.connect(UnixDomainSocketAddress.of(a[0])); } } }"));
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(capture, List.of("connect", "socket", "execve", "clone", "clone3", "vfork",
                        "procexit"), 0, Duration.ofSeconds(60)));
            } catch (IOException e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        try (ServerSocket v6 = new ServerSocket(0, 5, InetAddress.getByName("::1"));
                ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            port6 = v6.getLocalPort();
            unix.bind(UnixDomainSocketAddress.of(unixPath));
            Thread acceptor = new Thread(() -> {
                try (Socket s = v6.accept(); SocketChannel u = unix.accept()) {
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // clients close first
                }
            });
            acceptor.start();
            run("bash", "-c", "exec 3<>/dev/tcp/::1/" + port6);
            run(Path.of(System.getProperty("java.home"), "bin", "java").toString(), client.toString(),
                    unixPath.toString());
            acceptor.join(10_000);
        }
        Thread.sleep(300);
        live.stop();
        t.join(30_000);
        if (result.get(0) instanceof Exception e) {
            throw e;
        }
    }

    @Test
    void ipv6ConnectCarriesBothEndsOfTheLoopback() throws Exception {
        List<String> rows = sysdig("%fd.name" + "|" + "%fd.type" + "|" + "%evt.rawres",
                "proc.name=bash and evt.type=connect and evt.dir=<");
        assertThat(rows).anySatisfy(r -> assertThat(r).matches("::1:\\d+->::1:" + port6 + "\\|ipv6\\|0"));
        assertThat(sysdig("%evt.arg.addr", "proc.name=bash and evt.type=connect and evt.dir=>"))
                .contains("::1:" + port6);
    }

    @Test
    void unixConnectCarriesThePathAndBothKernelEnds() throws Exception {
        List<String> rows = sysdig("%fd.name" + "|" + "%fd.type" + "|" + "%evt.rawres",
                "proc.name=java and evt.type=connect and evt.dir=< and fd.name contains " + unixPath);
        assertThat(rows).anySatisfy(r -> assertThat(r).matches("[0-9a-f]+->[0-9a-f]+ " + unixPath + "\\|unix\\|0"));
    }

    private static List<String> sysdig(String format, String filter) throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "*" + format, filter)
                .redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).toList();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
