package io.peregrine.shipper.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.probe.ProbeBinary;
import io.peregrine.shipper.proc.ContainerIds;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process in a cgroup named like a Docker container (made for the test, removed after): sysdig
 * 0.29.3 derives the same container.id from our capture as ContainerIds does from the same cgroups.
 */
class CaptureContainerSysdigTest {

    private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");

    @Test
    void sysdigAndWeDeriveTheSameContainerIdFromADockerCgroup(@TempDir Path dir) throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        assumeTrue(Files.isDirectory(MEMORY_CGROUPS), "needs the cgroup v1 memory hierarchy");
        String fullId = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(32));
        Path capture = dir.resolve("container.scap");
        Path dockerDir = MEMORY_CGROUPS.resolve("docker");
        boolean createdParent = !Files.exists(dockerDir);
        Path cgroup = dockerDir.resolve(fullId);
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(capture, List.of("execve", "clone", "clone3", "vfork", "fork", "openat",
                        "procexit"), 0, Duration.ofSeconds(60)));
            } catch (IOException e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        try {
            Files.createDirectories(cgroup);
            Process bash = new ProcessBuilder("bash", "-c", "read x; cat /etc/hostname > /dev/null").start();
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(bash.pid()));
            try (OutputStream in = bash.getOutputStream()) {
                in.write('\n');
            }
            assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
        } finally {
            live.stop();
            t.join(30_000);
            Files.deleteIfExists(cgroup);
            if (createdParent) {
                Files.deleteIfExists(dockerDir);
            }
        }
        if (result.get(0) instanceof Exception e) {
            throw e;
        }

        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", "*%container.id",
                "proc.name=cat and evt.type=openat and evt.dir=< and fd.name=/etc/hostname").redirectErrorStream(true)
                .start();
        List<String> ids = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor()).isZero();

        String ours = null;
        try (ScapReader r = ScapReader.open(capture)) {
            for (Event e; (e = r.next()) != null; ) {
                if (e.type() == EventTable.id("PPME_SYSCALL_EXECVE_19_X") && e.paramString(13).equals("cat")) {
                    ours = ContainerIds.fromCgroups(splitNul(e.paramBytes(14)));
                }
            }
        }
        assertThat(ours).isEqualTo(fullId.substring(0, 12));
        assertThat(ids).containsExactly(ours);
    }

    private static List<String> splitNul(byte[] b) {
        List<String> out = new ArrayList<>();
        for (String s : new String(b, StandardCharsets.UTF_8).split("\0")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

}
