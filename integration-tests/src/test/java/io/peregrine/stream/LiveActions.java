package io.peregrine.stream;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The suspicious things the live tests do on this host, each as a real child process (the probe
 * ignores the test JVM itself, which runs the shipper). Every action leaves a marker (a random
 * token) in a command line or file name so its alert can be told apart from the host's own noise,
 * and {@link #close()} undoes everything: temp files, the binaries copied below /usr/local/bin, the
 * simulated container's cgroups.
 *
 * <p>The simulated container is a cgroup named like a Docker container ({@code /docker/<64 hex>})
 * under the v1 {@code pids} controller and the v2 hierarchy at {@code /sys/fs/cgroup/unified} (or
 * {@code /sys/fs/cgroup} on a pure v2 host), plus fresh pid, mount and UTS namespaces from
 * {@code unshare}.
 */
final class LiveActions implements AutoCloseable {

    final String marker;
    final String containerId;
    final Path tmp;
    private final List<Path> cgroups = new ArrayList<>();
    private final List<Path> createdDockerDirs = new ArrayList<>();
    private final List<Path> toRemove = new ArrayList<>();
    private final Map<String, String> outcomes = new LinkedHashMap<>();
    private final ServerSocket listener;
    private final Thread acceptor;

    LiveActions() throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[32];
        random.nextBytes(id);
        containerId = HexFormat.of().formatHex(id);
        marker = "pgit" + containerId.substring(40, 48);
        tmp = Files.createTempDirectory("pg-live-" + marker + "-");
        listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptAndDrop, "live-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The 12-digit container id Falco prints. */
    String shortContainerId() {
        return containerId.substring(0, 12);
    }

    /** What each action's commands printed and how they exited (for failure messages). */
    Map<String, String> outcomes() {
        return outcomes;
    }

    /** Runs every action once. */
    void performAll() throws Exception {
        String t = tmp.toString();
        String m = marker;
        run("read /etc/shadow", "cat /etc/shadow " + t + "/" + m + "-none >/dev/null 2>&1; true");
        String binFile = "/bin/" + m + "-dropped";
        toRemove.add(Path.of(binFile));
        run("write below /bin", "touch " + binFile + "; rm -f " + binFile + "; true");
        shellInContainer();
        String etcFile = "/etc/" + m + ".conf";
        toRemove.add(Path.of(etcFile));
        run("write below /etc", "touch " + etcFile + "; rm -f " + etcFile + "; true");
        String fakeUname = copy("/usr/bin/curl", "uname");
        run("system binary connects out",
                fakeUname + " -s -m 2 -o /dev/null http://192.0.2.1:9/" + m + " >/dev/null 2>&1; true");
        run("symlink over /etc/shadow", "ln -s /etc/shadow " + t + "/" + m + "-shadow; true");
        // Into a UTS namespace of our own: entering pid 1's may be refused in sandboxes.
        run("setns via nsenter", "unshare --uts sleep 10 & p=$!; sleep 0.5; nsenter -t $p -u true " + m
                + "; kill $p; wait $p 2>/dev/null; true");
        run("chmod /etc/shadow", "chmod \"$(stat -c %a /etc/shadow)\" /etc/shadow; : " + m);
        run("chown /etc/shadow", "chown \"$(stat -c %u:%g /etc/shadow)\" /etc/shadow; : " + m);
        // A file the test creates below a binary directory: chown(2) by path, then fchown(2) by fd.
        String ownedFile = "/usr/local/bin/" + m + "-owned";
        toRemove.add(Path.of(ownedFile));
        run("chown and fchown below /usr/local/bin", "mkdir -p /usr/local/bin && touch " + ownedFile
                + " && perl -e 'chown 0, 0, $ARGV[0] or die \"chown: $!\"; open(my $f, \"<\", $ARGV[0]) or die;"
                + " chown 0, 0, $f or die \"fchown: $!\"' " + ownedFile + "; rm -f " + ownedFile + "; true");
        String devFile = "/dev/" + m + "-hidden";
        toRemove.add(Path.of(devFile));
        run("file created in /dev", "touch " + devFile + "; rm -f " + devFile + "; true");
        run("ptrace attach", "sleep 20 & p=$!; perl -e 'syscall(101, 16, $ARGV[0], 0, 0) == 0 or exit 1;"
                + " waitpid($ARGV[0], 2); syscall(101, 17, $ARGV[0], 0, 0); exit 0' $p " + m
                + "; kill $p; wait $p 2>/dev/null; true");
        Path bogusModule = Files.writeString(tmp.resolve(m + ".ko"), "not a kernel module\n");
        run("kernel module load attempt", "perl -e 'my $params = \"\"; open(my $f, \"<\", $ARGV[0]) or die;"
                + " syscall(313, fileno($f), $params, 0); print \"finit_module: $!\\n\"' " + bogusModule + " " + m + "; true");
        String log = "/var/log/" + m + ".log";
        toRemove.add(Path.of(log));
        run("log truncation", "echo entry >> " + log + "; : > " + log + "; rm -f " + log + "; true");
        String nc = copy("/bin/sh", "nc");
        run("shell spawned by a network tool", nc + " -c 'bash -c \"true " + m + "\"; true'; true");
        String mysqld = copy("/bin/sh", "mysqld");
        run("database server spawns a shell", mysqld + " -c 'sh -c \"id >/dev/null; true " + m + "\"; true'; true");
        run("stratum cmdline", "sh -c ': stratum+tcp://pool." + m + ".example:3333; true'; true");
        String copied = "/usr/local/bin/" + m + "-ls";
        toRemove.add(Path.of(copied));
        toRemove.add(Path.of(copied + "-renamed"));
        run("coreutils copy renamed and removed in a bin dir",
                "cp /bin/ls " + copied + " && mv " + copied + " " + copied + "-renamed && rm -f " + copied + "-renamed; true");
        run("reverse shell on the host", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort()
                + "; exec 0<&3 1>&3; true " + m + "'; true");
    }

    /**
     * Moves a shell into the fake Docker cgroups, unshares pid, mount and UTS namespaces, and runs
     * an interactive-looking shell there that also redirects its streams to a socket.
     */
    private void shellInContainer() throws Exception {
        List<Path> procs = new ArrayList<>();
        for (Path root : List.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup/unified"))) {
            if (Files.isDirectory(root)) {
                Path dir = root.resolve("docker").resolve(containerId);
                if (!Files.exists(dir.getParent())) {
                    createdDockerDirs.add(dir.getParent());
                }
                Files.createDirectories(dir);
                cgroups.add(dir);
                procs.add(dir.resolve("cgroup.procs"));
            }
        }
        if (procs.isEmpty() && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            Path dir = Path.of("/sys/fs/cgroup/docker").resolve(containerId);
            Files.createDirectories(dir);
            cgroups.add(dir);
            procs.add(dir.resolve("cgroup.procs"));
        }
        StringBuilder join = new StringBuilder();
        for (Path p : procs) {
            join.append("echo $$ > ").append(p).append("; ");
        }
        String inside = "sh -c \"true " + marker + "\"; mount --version >/dev/null; dpkg --version >/dev/null;"
                + " exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort()
                + "; exec 0<&3 1>&3; true";
        run("shell in a container", join + "exec unshare --fork --pid --mount --uts --mount-proc bash -c '" + inside + "'");
        // A bogus module image: the kernel refuses it (or has no module support), the attempt is still seen.
        String insmod = "perl -e \"my @a = (q(not a module), q()); syscall(175, \\$a[0], 12, \\$a[1]);"
                + " print qq(init_module: \\$!)\" " + marker;
        run("kernel module load in a container", join + "exec unshare --fork --pid --mount --uts --mount-proc bash -c '"
                + insmod + "'");
    }

    private String copy(String binary, String name) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path target = bin.resolve(name);
        Files.copy(Path.of(binary), target);
        target.toFile().setExecutable(true);
        return target.toString();
    }

    private void run(String name, String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!done) {
            p.destroyForcibly();
        }
        outcomes.put(name, (done ? "exit " + p.exitValue() : "timed out") + (out.isEmpty() ? "" : ": " + out));
    }

    private void acceptAndDrop() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                s.getInputStream().readAllBytes();
            } catch (IOException e) {
                // closed, or the peer went away: nothing to keep
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Path p : toRemove) {
            Files.deleteIfExists(p);
        }
        // A cgroup can go only once its processes have exited: wait for them.
        for (Path dir : cgroups) {
            for (int i = 0; i < 100 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException busy) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        for (Path docker : createdDockerDirs) {
            try {
                Files.deleteIfExists(docker);
            } catch (IOException ignored) {
                // something else made containers there meanwhile: leave it
            }
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
