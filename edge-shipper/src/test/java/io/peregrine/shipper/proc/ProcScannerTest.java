package io.peregrine.shipper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.capture.FdType;
import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapProcess;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /proc scan on this machine's real /proc, checked against what this JVM knows about itself. */
class ProcScannerTest {

    @Test
    void snapshotsThisJvmWithItsOpenFilesAndListeningSocket(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("held-open.txt"), "x");
        try (FileInputStream in = new FileInputStream(file.toFile());
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            long pid = ProcessHandle.current().pid();
            ScapProcess me = new ProcScanner().process(pid);

            assertThat(me).isNotNull();
            assertThat(me.tid()).isEqualTo(pid);
            assertThat(me.comm()).isEqualTo("java");
            assertThat(me.exepath()).endsWith("/java");
            assertThat(me.ptid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
            assertThat(me.cwd()).isEqualTo(Path.of("").toAbsolutePath().toString());
            assertThat(me.cgroups()).isNotEmpty().allMatch(c -> c.contains("=/"));
            assertThat(me.fds()).anySatisfy(fd -> {
                assertThat(fd.type()).isEqualTo(FdType.FILE_V2);
                assertThat(fd.name()).isEqualTo(file.toRealPath().toString());
                assertThat(fd.openFlags() & 3).isEqualTo(1); // PPM_O_RDONLY
            });
            assertThat(me.fds()).anySatisfy(fd -> {
                assertThat(fd.type()).isEqualTo(FdType.IPV4_SERVSOCK);
                assertThat(fd.sip()).containsExactly(127, 0, 0, 1);
                assertThat(fd.sport()).isEqualTo(server.getLocalPort());
                assertThat(fd.l4proto()).isEqualTo(ScapFd.L4_TCP);
            });
        }
    }

    @Test
    void scansEveryThreadOfEveryProcess() {
        List<ScapProcess> all = new ProcScanner().scan();
        long pid = ProcessHandle.current().pid();
        assertThat(all).anyMatch(p -> p.tid() == 1);
        assertThat(all.stream().filter(p -> p.pid() == pid).count()).isGreaterThan(1); // the JVM's threads
        assertThat(all.stream().filter(p -> p.pid() == pid && p.tid() != pid)).allMatch(t -> t.fds().isEmpty());
    }

    @Test
    void flagsEveryThreadButTheMainOneAsSharingItsProcessLikeLibscap() {
        // libsinsp counts threads (proc.nthreads) and shares fd tables by CLONE_THREAD | CLONE_FILES.
        long pid = ProcessHandle.current().pid();
        List<ScapProcess> mine = new ProcScanner().scan().stream().filter(p -> p.pid() == pid).toList();
        assertThat(mine).filteredOn(p -> p.tid() == pid).singleElement().matches(p -> p.flags() == 0);
        assertThat(mine).filteredOn(p -> p.tid() != pid).isNotEmpty().allMatch(p -> p.flags() == ((1 << 13) | 1));
    }

    @Test
    void looksUpAThreadByItsTidWithinItsProcess() {
        long pid = ProcessHandle.current().pid();
        long tid = new ProcScanner().scan().stream().filter(p -> p.pid() == pid && p.tid() != pid)
                .findFirst().orElseThrow().tid();
        ScapProcess thread = new ProcScanner().process(tid);
        assertThat(thread).isNotNull();
        assertThat(thread.tid()).isEqualTo(tid);
        assertThat(thread.pid()).isEqualTo(pid);
        assertThat(thread.flags()).isEqualTo((1 << 13) | 1);
    }

    @Test
    void turnsProcCgroupLinesIntoLibscapEntries(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("cgroup"),
                "9:name=systemd:/\n4:memory:/docker/abc\n2:cpu,cpuacct:/x\n0::/\n");
        assertThat(ProcScanner.cgroups(f)).containsExactly("memory=/docker/abc", "cpu=/x", "cpuacct=/x");
    }
}
