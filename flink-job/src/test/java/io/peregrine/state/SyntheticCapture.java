package io.peregrine.state;

import io.peregrine.capture.FdType;
import io.peregrine.capture.MachineInfo;
import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapInterface;
import io.peregrine.capture.ScapProcess;
import io.peregrine.capture.ScapUser;
import io.peregrine.capture.ScapWriter;
import io.peregrine.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a capture that exercises the syscalls the corpus captures lack (relative and dirfd opens,
 * chdir/fchdir, dup, pipes, UDP and TCP sockets, accept, fork/exec/threads, credential changes,
 * renames, special fds), so that the differential test can hold Peregrine's state engine against
 * sysdig on them too. The events are what a kernel would plausibly emit, not a recording.
 */
public final class SyntheticCapture {

    private static final long SHELL = 100;
    private static final long SERVER = 300;
    private static final long CHILD = 200;
    private static final long THREAD = 101;

    private static final String CONTAINERD_ID = "cd5e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";

    private final List<Event> events = new ArrayList<>();
    private long now = 1_700_000_000_000_000_000L;

    private SyntheticCapture() {
    }

    /** Writes the capture to {@code path}. */
    public static void write(Path path) throws IOException {
        SyntheticCapture s = new SyntheticCapture();
        s.script();
        try (ScapWriter w = ScapWriter.create(path)) {
            w.machineInfo(new MachineInfo(2, 8L << 30, 32768, "synthetic", 0, 0, 0, 0));
            w.processes(processes());
            w.interfaces(List.of(
                    new ScapInterface("lo", new byte[] {127, 0, 0, 1}, new byte[] {-1, 0, 0, 0}, new byte[] {127, -1, -1, -1}, 0),
                    new ScapInterface("eth0", new byte[] {10, 0, 0, 5}, new byte[] {-1, -1, -1, 0}, new byte[] {10, 0, 0, -1}, 0)));
            w.users(List.of(new ScapUser(0, 0, "root", "/root", "/bin/bash"),
                    new ScapUser(1000, 1000, "alice", "/home/alice", "/bin/bash")),
                    List.of(new ScapGroup(0, "root"), new ScapGroup(1000, "alice")));
            for (Event e : s.events) {
                w.write(e);
            }
        }
    }

    private static List<ScapProcess> processes() {
        List<ScapProcess> list = new ArrayList<>();
        list.add(ScapProcess.builder().tid(1).pid(1).ptid(0).sid(1).vpgid(1).comm("systemd").exe("/sbin/init")
                .exepath("/usr/lib/systemd/systemd").cwd("/").fdlimit(1024).vtid(1).vpid(1).build());
        list.add(ScapProcess.builder().tid(50).pid(50).ptid(1).sid(50).vpgid(50).comm("sshd").exe("/usr/sbin/sshd")
                .exepath("/usr/sbin/sshd").cwd("/").fdlimit(1024).vtid(50).vpid(50).build());
        list.add(ScapProcess.builder().tid(SHELL).pid(SHELL).ptid(50).sid(SHELL).vpgid(SHELL).comm("bash").exe("-bash")
                .exepath("/usr/bin/bash").args(List.of("--login")).cwd("/home/alice/").fdlimit(1024).uid(1000)
                .gid(1000).loginuid(1000).vtid(SHELL).vpid(SHELL)
                .cgroups(List.of("cpu=/user.slice", "memory=/user.slice"))
                .fds(List.of(ScapFd.named(0, 11, FdType.FILE, "/dev/pts/0"), ScapFd.named(1, 11, FdType.FILE, "/dev/pts/0"),
                        ScapFd.named(2, 11, FdType.FILE, "/dev/pts/0"),
                        ScapFd.socket(3, 12, new byte[] {10, 0, 0, 5}, 22, new byte[] {10, 0, 0, 9}, 51000, ScapFd.L4_TCP)))
                .build());
        list.add(ScapProcess.builder().tid(SERVER).pid(SERVER).ptid(1).sid(SERVER).vpgid(SERVER).comm("nginx")
                .exe("nginx").exepath("/usr/sbin/nginx").args(List.of("-g", "daemon off;")).cwd("/").fdlimit(4096)
                .vtid(SERVER).vpid(SERVER)
                .fds(List.of(ScapFd.serverSocket(6, 20, new byte[] {0, 0, 0, 0}, 80, ScapFd.L4_TCP))).build());
        // A containerised process with a second thread, both from the process list.
        String cgroup = "/kubepods/besteffort/pod1234/" + CONTAINERD_ID;
        int threadFlags = (1 << 13) | 1 | (1 << 15);
        list.add(ScapProcess.builder().tid(700).pid(700).ptid(650).sid(700).vpgid(1).comm("java").exe("java")
                .exepath("/opt/java/bin/java").args(List.of("-jar", "app.jar")).env(List.of("JAVA_HOME=/opt/java"))
                .cwd("/app").fdlimit(65536).uid(185).gid(0).vtid(1).vpid(1).loginuid(-1)
                .cgroups(List.of("cpu=" + cgroup, "memory=" + cgroup))
                .fds(List.of(ScapFd.file(3, 30, "/app/app.jar", 1, 0x803),
                        ScapFd.socket(4, 31, new byte[] {10, 1, 0, 2}, 8080, new byte[] {10, 1, 0, 9}, 40000,
                                ScapFd.L4_TCP)))
                .build());
        list.add(ScapProcess.builder().tid(701).pid(700).ptid(650).sid(700).vpgid(1).comm("java").exe("java")
                .exepath("/opt/java/bin/java").args(List.of("-jar", "app.jar")).cwd("/app").fdlimit(65536).uid(185)
                .gid(0).vtid(2).vpid(1).flags(threadFlags).cgroups(List.of("cpu=" + cgroup, "memory=" + cgroup))
                .build());
        list.add(ScapProcess.builder().tid(650).pid(650).ptid(1).sid(650).vpgid(650).comm("containerd-shim")
                .exe("/usr/bin/containerd-shim").exepath("/usr/bin/containerd-shim").cwd("/").fdlimit(1024)
                .vtid(650).vpid(650).build());
        return list;
    }

    private long tick() {
        return now += 1_500;
    }

    private void enter(long tid, String name, Map<String, ?> params) {
        try {
            events.add(TestEvents.enter(tick(), tid, name, params));
        } catch (IllegalArgumentException unknownToThisTable) {
            // An event sysdig 0.29.3's table lacks: leave it out.
        }
    }

    private void exit(long tid, String name, Map<String, ?> params) {
        try {
            events.add(TestEvents.exit(tick(), tid, name, params));
        } catch (IllegalArgumentException unknownToThisTable) {
            // As above.
        }
    }

    private static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private void openat(long tid, long dirfd, String name, long flags, long mode, long fd) {
        enter(tid, "openat", p("dirfd", dirfd, "name", name, "flags", flags, "mode", mode));
        exit(tid, "openat", p("fd", fd, "dirfd", dirfd, "name", name, "flags", flags, "mode", mode, "dev", 0x803L));
    }

    private void close(long tid, long fd, long res) {
        enter(tid, "close", p("fd", fd));
        exit(tid, "close", p("res", res));
    }

    private void script() {
        long rdonly = 1;
        long wronly = 2;
        long creat = 1 << 2;
        long directory = 1 << 10;
        long cloexec = 1 << 12;
        // Relative and absolute opens, reads, a failed open, close.
        openat(SHELL, -100, "notes.txt", rdonly, 0, 4);
        enter(SHELL, "read", p("fd", 4L, "size", 100L));
        exit(SHELL, "read", p("res", 5L, "data", "hello".getBytes()));
        openat(SHELL, -100, "/root/secret", rdonly, 0, -13);
        close(SHELL, 4, 0);
        // chdir, directory fds, fchdir and dirfd-relative paths.
        enter(SHELL, "chdir", p());
        exit(SHELL, "chdir", p("res", 0L, "path", "../bob/./docs"));
        openat(SHELL, -100, "/var/log", rdonly | directory, 0, 5);
        openat(SHELL, 5, "syslog", rdonly, 0, 7);
        enter(SHELL, "fchdir", p("fd", 5L));
        exit(SHELL, "fchdir", p("res", 0L));
        openat(SHELL, -100, "auth.log", wronly | creat, 0640, 8);
        // dup of a file.
        enter(SHELL, "dup", p("fd", 7L));
        exit(SHELL, "dup", p("res", 9L));
        // A pipe.
        enter(SHELL, "pipe", p());
        exit(SHELL, "pipe", p("res", 0L, "fd1", 10L, "fd2", 11L, "ino", 4242L));
        enter(SHELL, "write", p("fd", 11L, "size", 3L));
        exit(SHELL, "write", p("res", 3L, "data", "abc".getBytes()));
        // UDP: socket, sendto with an address, recvfrom.
        enter(SHELL, "socket", p("domain", 2L, "type", 2L, "proto", 0L));
        exit(SHELL, "socket", p("fd", 12L));
        byte[] dns = TestEvents.ipv4Tuple(new int[] {0, 0, 0, 0}, 0, new int[] {8, 8, 8, 8}, 53);
        enter(SHELL, "sendto", p("fd", 12L, "size", 30L, "tuple", dns));
        exit(SHELL, "sendto", p("res", 30L, "data", new byte[30]));
        byte[] reply = TestEvents.ipv4Tuple(new int[] {8, 8, 8, 8}, 53, new int[] {10, 0, 0, 5}, 40000);
        enter(SHELL, "recvfrom", p("fd", 12L, "size", 512L));
        exit(SHELL, "recvfrom", p("res", 60L, "data", new byte[60], "tuple", reply));
        // TCP: socket, connect in progress, then connected.
        enter(SHELL, "socket", p("domain", 2L, "type", 1L, "proto", 6L));
        exit(SHELL, "socket", p("fd", 13L));
        byte[] web = new byte[] {2, 93, (byte) 184, (byte) 216, 34, (byte) 0xbb, 0x01};
        enter(SHELL, "connect", p("fd", 13L, "addr", web));
        exit(SHELL, "connect", p("res", -115L, "tuple", TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 41000,
                new int[] {93, 184, 216, 34}, 443)));
        enter(SHELL, "write", p("fd", 13L, "size", 4L));
        exit(SHELL, "write", p("res", 4L, "data", "GET ".getBytes()));
        // A unix socket pair and eventfd/signalfd/timerfd/inotify descriptors.
        enter(SHELL, "socketpair", p("domain", 1L, "type", 1L, "proto", 0L));
        exit(SHELL, "socketpair", p("res", 0L, "fd1", 14L, "fd2", 15L, "source", 0xffff8880aa00L, "peer", 0xffff8880bb00L));
        enter(SHELL, "eventfd", p("initval", 0L, "flags", 0L));
        exit(SHELL, "eventfd", p("res", 16L));
        enter(SHELL, "signalfd", p("fd", -1L, "mask", 0L, "flags", 0L));
        exit(SHELL, "signalfd", p("res", 17L));
        enter(SHELL, "timerfd_create", p("clockid", 1L, "flags", 0L));
        exit(SHELL, "timerfd_create", p("res", 18L));
        enter(SHELL, "inotify_init", p("flags", 0L));
        exit(SHELL, "inotify_init", p("res", 19L));
        // Credentials and sessions.
        enter(SHELL, "setuid", p("uid", 0L));
        exit(SHELL, "setuid", p("res", -1L));
        enter(SHELL, "setresgid", p("rgid", 1000L, "egid", 27L, "sgid", 1000L));
        exit(SHELL, "setresgid", p("res", 0L));
        // Renames and unlinks relative to directory fds.
        enter(SHELL, "renameat", p());
        exit(SHELL, "renameat", p("res", 0L, "olddirfd", 5L, "oldpath", "syslog.1", "newdirfd", -100L,
                "newpath", "old.log"));
        enter(SHELL, "unlinkat", p());
        exit(SHELL, "unlinkat", p("res", 0L, "dirfd", 5L, "name", "syslog.2", "flags", 0L));
        // An executable file created with creat.
        enter(SHELL, "creat", p("name", "run.sh", "mode", 0755L));
        exit(SHELL, "creat", p("fd", 20L, "name", "run.sh", "mode", 0755L));
        // A thread sharing the fd table.
        long threadFlags = (1 << 13) | 1 | (1 << 15);
        enter(SHELL, "clone", p());
        exit(SHELL, "clone", p("res", THREAD, "exe", "-bash", "args", List.of("--login"), "tid", SHELL, "pid", SHELL,
                "ptid", 50L, "cwd", "", "fdlimit", 1024L, "comm", "bash", "flags", threadFlags, "uid", 1000L, "gid", 1000L,
                "vtid", SHELL, "vpid", SHELL));
        exit(THREAD, "clone", p("res", 0L, "exe", "-bash", "args", List.of("--login"), "tid", THREAD, "pid", SHELL,
                "ptid", SHELL, "cwd", "", "fdlimit", 1024L, "comm", "bash", "flags", threadFlags, "uid", 1000L,
                "gid", 1000L, "vtid", THREAD, "vpid", SHELL));
        openat(THREAD, -100, "/etc/hosts", rdonly, 0, 21);
        enter(THREAD, "procexit", p("status", 0L));
        // fork + exec of a child that opens a close-on-exec file before exec'ing again.
        enter(SHELL, "clone", p());
        exit(SHELL, "clone", p("res", CHILD, "exe", "-bash", "args", List.of("--login"), "tid", SHELL, "pid", SHELL,
                "ptid", 50L, "cwd", "", "fdlimit", 1024L, "comm", "bash", "flags", 0L, "uid", 1000L, "gid", 1000L,
                "vtid", SHELL, "vpid", SHELL));
        exit(CHILD, "clone", p("res", 0L, "exe", "-bash", "args", List.of("--login"), "tid", CHILD, "pid", CHILD,
                "ptid", SHELL, "cwd", "", "fdlimit", 1024L, "comm", "bash", "flags", 0L, "uid", 1000L, "gid", 1000L,
                "vtid", CHILD, "vpid", CHILD));
        enter(CHILD, "execve", p("filename", "/usr/bin/curl"));
        exit(CHILD, "execve", p("res", 0L, "exe", "curl", "args", List.of("-s", "https://example.com"), "tid", CHILD,
                "pid", CHILD, "ptid", SHELL, "cwd", "", "fdlimit", 1024L, "comm", "curl", "env",
                List.of("HOME=/home/alice", "LANG=C"), "cgroups", List.of("cpu=/user.slice", "memory=/user.slice")));
        openat(CHILD, -100, "/etc/ssl/certs/ca.pem", rdonly | cloexec, 0, 22);
        enter(CHILD, "read", p("fd", 22L, "size", 10L));
        exit(CHILD, "read", p("res", 10L, "data", "-----BEGIN".getBytes()));
        enter(CHILD, "execve", p("filename", "sh"));
        exit(CHILD, "execve", p("res", 0L, "exe", "sh", "args", List.of("-c", "id"), "tid", CHILD, "pid", CHILD,
                "ptid", SHELL, "cwd", "", "fdlimit", 1024L, "comm", "sh"));
        enter(CHILD, "read", p("fd", 22L, "size", 10L));
        exit(CHILD, "read", p("res", -9L, "data", new byte[0]));
        enter(CHILD, "procexit", p("status", 0L));
        // The server accepts a connection, reads and closes it.
        enter(SERVER, "accept", p());
        exit(SERVER, "accept", p("fd", 7L, "tuple", TestEvents.ipv4Tuple(new int[] {10, 0, 0, 9}, 52000,
                new int[] {10, 0, 0, 5}, 80), "queuepct", 0L));
        enter(SERVER, "read", p("fd", 7L, "size", 1024L));
        exit(SERVER, "read", p("res", 16L, "data", "GET / HTTP/1.1\r\n".getBytes()));
        close(SERVER, 7, 0);
        enter(SHELL, "setsid", p());
        exit(SHELL, "setsid", p("res", SHELL));
        close(SHELL, 99, -9);
        moreSyscalls();
        container();
        processEdgeCases();
        threadsAndNamespaces();
        serversAndFailures();
        containerisedThreads();
        sessions();
    }

    private void sessions() {
        // A session whose leader is gone: proc.sname falls back to the eldest ancestor in the session.
        long tmux = 900;
        long shell2 = 901;
        long tool = 902;
        enter(SHELL, "clone", p());
        exit(SHELL, "clone", cloneParams(tmux, SHELL, SHELL, 50, "tmux", 0));
        exit(tmux, "clone", cloneParams(0, tmux, tmux, SHELL, "tmux", 0));
        enter(tmux, "setsid", p());
        exit(tmux, "setsid", p("res", tmux));
        enter(tmux, "clone", p());
        exit(tmux, "clone", cloneParams(shell2, tmux, tmux, SHELL, "zsh", 0));
        exit(shell2, "clone", cloneParams(0, shell2, shell2, tmux, "zsh", 0));
        enter(shell2, "execve", p("filename", "/bin/zsh"));
        exit(shell2, "execve", p("res", 0L, "exe", "-zsh", "args", List.of(), "tid", shell2, "pid", shell2,
                "ptid", tmux, "cwd", "", "fdlimit", 1024L, "comm", "zsh"));
        enter(tmux, "procexit", p("status", 0L));
        enter(shell2, "clone", p());
        exit(shell2, "clone", cloneParams(tool, shell2, shell2, tmux, "zsh", 0));
        exit(tool, "clone", cloneParams(0, tool, tool, shell2, "zsh", 0));
        enter(tool, "execve", p("filename", "/usr/bin/sudo"));
        exit(tool, "execve", p("res", 0L, "exe", "sudo", "args", List.of("-i"), "tid", tool, "pid", tool,
                "ptid", shell2, "cwd", "", "fdlimit", 1024L, "comm", "sudo", "flags", 1L, "pgid", tool,
                "loginuid", 1000L, "tty", 34816L));
        enter(tool, "setuid", p("uid", 0L));
        exit(tool, "setuid", p("res", 0L));
        enter(tool, "openat", p("dirfd", -100L, "name", "/etc/sudoers", "flags", 1L, "mode", 0L));
        exit(tool, "openat", p("fd", 3L, "dirfd", -100L, "name", "/etc/sudoers", "flags", 1L, "mode", 0L, "dev", 0x803L));
    }

    private void containerisedThreads() {
        String json = "{\"container\":{\"id\":\"cd5e0f1a2b3c\",\"image\":\"docker.io/library/openjdk:17\","
                + "\"imagerepo\":\"docker.io/library/openjdk\",\"imagetag\":\"17\",\"name\":\"app\","
                + "\"labels\":{\"io.kubernetes.pod.name\":\"app-0\",\"io.kubernetes.pod.namespace\":\"default\"},"
                + "\"privileged\":true,\"type\":7}}";
        events.add(0, TestEvents.enter(now - 2_000_000, -1, "container", p("json", json)));
        enter(701, "read", p("fd", 3L, "size", 4096L));
        exit(701, "read", p("res", 4096L, "data", new byte[100]));
        enter(701, "write", p("fd", 4L, "size", 5L));
        exit(701, "write", p("res", 5L, "data", "HTTP/".getBytes()));
        enter(700, "openat", p("dirfd", -100L, "name", "logs/app.log", "flags", 6L, "mode", 0644L));
        exit(700, "openat", p("fd", 5L, "dirfd", -100L, "name", "logs/app.log", "flags", 6L, "mode", 0644L, "dev", 0x803L));
        enter(701, "close", p("fd", 5L));
        exit(701, "close", p("res", 0L));
        enter(701, "procexit", p("status", 0L));
        enter(700, "read", p("fd", 4L, "size", 10L));
        exit(700, "read", p("res", 10L, "data", "0123456789".getBytes()));
    }

    private void serversAndFailures() {
        // A UDP server on IPv6 and a TCP server on IPv4 (accepting an IPv4-mapped peer).
        enter(SERVER, "socket", p("domain", 10L, "type", 2L, "proto", 17L));
        exit(SERVER, "socket", p("fd", 11L));
        // A concrete address: bound to [::], sysdig 0.29.3 files the socket as IPv4 (it counts the
        // all-zero address as IPv4-mapped) and later reads IPv6 tuples through its IPv4 union members.
        byte[] any6 = new byte[19];
        any6[0] = 10;
        any6[1] = 0x20;
        any6[2] = 0x01;
        any6[16] = 1;
        any6[17] = 0x35;
        enter(SERVER, "bind", p("fd", 11L));
        exit(SERVER, "bind", p("res", 0L, "addr", any6));
        byte[] from = ipv6Tuple(7, 50000, 1, 53);
        enter(SERVER, "recvfrom", p("fd", 11L, "size", 512L));
        exit(SERVER, "recvfrom", p("res", 20L, "data", new byte[20], "tuple", from));
        enter(SERVER, "sendto", p("fd", 11L, "size", 40L, "tuple", ipv6Tuple(1, 53, 7, 50000)));
        exit(SERVER, "sendto", p("res", 40L, "data", new byte[40]));
        byte[] mapped = new byte[37];
        mapped[0] = 10;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 0xff;
        mapped[13] = 10;
        mapped[16] = 9;
        mapped[17] = (byte) 0x10;
        mapped[18] = (byte) 0xc3;
        mapped[29] = (byte) 0xff;
        mapped[30] = (byte) 0xff;
        mapped[31] = 10;
        mapped[34] = 5;
        mapped[35] = 80;
        enter(SERVER, "accept", p());
        exit(SERVER, "accept", p("fd", 12L, "tuple", mapped, "queuepct", 0L));
        enter(SERVER, "write", p("fd", 12L, "size", 3L));
        exit(SERVER, "write", p("res", -32L, "data", "200".getBytes()));
        // Failures that change nothing: execve, clone, open, socket, chdir.
        enter(SHELL, "execve", p("filename", "/nonexistent"));
        exit(SHELL, "execve", p("res", -2L, "exe", "", "args", List.of(), "tid", SHELL, "pid", SHELL, "ptid", 50L,
                "cwd", "", "fdlimit", 1024L, "comm", ""));
        enter(SHELL, "clone", p());
        exit(SHELL, "clone", cloneParams(-11, SHELL, SHELL, 50, "logrotate", 0));
        enter(SHELL, "open", p("name", "nope", "flags", 1L, "mode", 0L));
        exit(SHELL, "open", p("fd", -2L, "name", "nope", "flags", 1L, "mode", 0L, "dev", 0L));
        enter(SHELL, "socket", p("domain", 2L, "type", 3L, "proto", 1L));
        exit(SHELL, "socket", p("fd", -1L));
        enter(SHELL, "chdir", p());
        exit(SHELL, "chdir", p("res", -2L, "path", "/missing"));
        // A raw ICMP socket and an unsupported family.
        enter(SHELL, "socket", p("domain", 2L, "type", 3L, "proto", 1L));
        exit(SHELL, "socket", p("fd", 41L));
        enter(SHELL, "sendto", p("fd", 41L, "size", 64L, "tuple", TestEvents.ipv4Tuple(new int[] {0, 0, 0, 0}, 0,
                new int[] {8, 8, 4, 4}, 0)));
        exit(SHELL, "sendto", p("res", 64L, "data", new byte[64]));
        enter(SHELL, "socket", p("domain", 17L, "type", 3L, "proto", 768L));
        exit(SHELL, "socket", p("fd", 42L));
        enter(SHELL, "read", p("fd", 42L, "size", 100L));
        exit(SHELL, "read", p("res", 60L, "data", new byte[60]));
    }

    private void threadsAndNamespaces() {
        long app = 600;
        long appThread = 601;
        long nsChild = 602;
        long threadFlags = (1 << 13) | 1 | (1 << 15);
        enter(SERVER, "clone", p());
        exit(SERVER, "clone", cloneParams(app, SERVER, SERVER, 1, "nginx", 0));
        exit(app, "clone", cloneParams(0, app, app, SERVER, "nginx", 0));
        enter(app, "clone", p());
        exit(app, "clone", cloneParams(appThread, app, app, SERVER, "nginx", threadFlags));
        exit(appThread, "clone", cloneParams(0, appThread, app, app, "nginx", threadFlags));
        // A non-main thread execs: the process becomes single-threaded under the thread's id.
        enter(appThread, "execve", p("filename", "/usr/bin/python3"));
        exit(appThread, "execve", p("res", 0L, "exe", "python3", "args", List.of("app.py"), "tid", app, "pid", app,
                "ptid", SERVER, "cwd", "", "fdlimit", 1024L, "comm", "python3"));
        enter(app, "chdir", p());
        exit(app, "chdir", p("res", 0L, "path", "srv/app/"));
        enter(app, "fchdir", p("fd", 77L));
        exit(app, "fchdir", p("res", -9L));
        enter(app, "openat", p("dirfd", -100L, "name", "run.py", "flags", (long) ((1 << 2) | 2), "mode", 0755L));
        exit(app, "openat", p("fd", 4L, "dirfd", -100L, "name", "run.py", "flags", (long) ((1 << 2) | 2), "mode", 0755L,
                "dev", 0x10303L));
        enter(app, "dup", p("fd", 4L));
        exit(app, "dup", p("res", 5L));
        close(app, 4, 0);
        enter(app, "read", p("fd", 5L, "size", 8L));
        exit(app, "read", p("res", 8L, "data", "#!/usr/b".getBytes()));
        enter(app, "fcntl", p("fd", 5L, "cmd", 9L));
        exit(app, "fcntl", p("res", 40L));
        enter(app, "setresuid", p("ruid", 33L, "euid", 33L, "suid", 33L));
        exit(app, "setresuid", p("res", 0L));
        enter(app, "setgid", p("gid", 33L));
        exit(app, "setgid", p("res", 0L));
        // A child in a new pid namespace (its clone exit carries the namespace ids).
        long newPid = 1 << 29;
        enter(app, "clone", p());
        exit(app, "clone", cloneParams(nsChild, app, app, SERVER, "python3", newPid));
        Map<String, Object> child = cloneParams(0, nsChild, nsChild, app, "python3", newPid);
        child.put("vtid", 1L);
        child.put("vpid", 1L);
        exit(nsChild, "clone", child);
        enter(nsChild, "openat", p("dirfd", -100L, "name", "/proc/self/status", "flags", 1L, "mode", 0L));
        exit(nsChild, "openat", p("fd", 3L, "dirfd", -100L, "name", "/proc/self/status", "flags", 1L, "mode", 0L,
                "dev", 4L));
        enter(nsChild, "procexit", p("status", 0L));
        enter(app, "procexit", p("status", 0L));
        enter(app, "read", p("fd", 5L, "size", 1L));
    }

    private Map<String, Object> cloneParams(long res, long tid, long pid, long ptid, String comm, long flags) {
        return p("res", res, "exe", comm, "args", List.of(), "tid", tid, "pid", pid, "ptid", ptid, "cwd", "",
                "fdlimit", 1024L, "comm", comm, "flags", flags, "uid", 1000L, "gid", 1000L, "vtid", tid, "vpid", pid);
    }

    private void processEdgeCases() {
        long worker = 400;
        long workerThread = 401;
        long vforked = 402;
        long inverted = 403;
        long grandchild = 404;
        long threadFlags = (1 << 13) | 1 | (1 << 15);
        // A new process whose own clone exit arrives before its parent's (libsinsp's inverted clone).
        enter(SHELL, "clone", p());
        exit(worker, "clone", cloneParams(0, worker, worker, SHELL, "worker", 0));
        exit(SHELL, "clone", cloneParams(worker, SHELL, SHELL, 50, "worker", 0));
        openat(worker, -100, "/srv/data", 1, 0, 3);
        // A thread of it, then the main thread exits while the thread lives on.
        enter(worker, "clone", p());
        exit(worker, "clone", cloneParams(workerThread, worker, worker, SHELL, "worker", threadFlags));
        exit(workerThread, "clone", cloneParams(0, workerThread, worker, worker, "worker", threadFlags));
        enter(worker, "procexit", p("status", 0L));
        enter(workerThread, "read", p("fd", 3L, "size", 4L));
        exit(workerThread, "read", p("res", 4L, "data", "data".getBytes()));
        // The surviving thread forks (a new process) and the child execs.
        enter(workerThread, "vfork", p());
        exit(workerThread, "vfork", cloneParams(vforked, workerThread, worker, worker, "worker", 0));
        exit(vforked, "vfork", cloneParams(0, vforked, vforked, workerThread, "worker", 0));
        enter(vforked, "execve", p("filename", "/bin/true"));
        exit(vforked, "execve", p("res", 0L, "exe", "/bin/true", "args", List.of(), "tid", vforked, "pid", vforked,
                "ptid", workerThread, "cwd", "", "fdlimit", 1024L, "comm", "true"));
        enter(vforked, "procexit", p("status", 0L));
        // fork whose parent event never comes, and a grandchild.
        exit(inverted, "fork", cloneParams(0, inverted, inverted, SHELL, "bash", 0));
        enter(inverted, "fork", p());
        exit(inverted, "fork", cloneParams(grandchild, inverted, inverted, SHELL, "bash", 0));
        exit(grandchild, "fork", cloneParams(0, grandchild, grandchild, inverted, "bash", 0));
        // Messages on a UDP socket, a refused connection, a failed dirfd-relative open, an unknown fd.
        enter(grandchild, "socket", p("domain", 2L, "type", 2L, "proto", 0L));
        exit(grandchild, "socket", p("fd", 5L));
        byte[] peer = TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 6000, new int[] {10, 0, 0, 7}, 514);
        enter(grandchild, "sendmsg", p("fd", 5L, "size", 5L, "tuple", peer));
        exit(grandchild, "sendmsg", p("res", 5L, "data", "hello".getBytes()));
        byte[] back = TestEvents.ipv4Tuple(new int[] {10, 0, 0, 7}, 514, new int[] {10, 0, 0, 5}, 6000);
        enter(grandchild, "recvmsg", p("fd", 5L));
        exit(grandchild, "recvmsg", p("res", 2L, "size", 2L, "data", "ok".getBytes(), "tuple", back));
        enter(grandchild, "socket", p("domain", 2L, "type", 1L, "proto", 0L));
        exit(grandchild, "socket", p("fd", 6L));
        enter(grandchild, "connect", p("fd", 6L));
        exit(grandchild, "connect", p("res", -111L, "tuple", TestEvents.ipv4Tuple(new int[] {10, 0, 0, 5}, 47000,
                new int[] {10, 0, 0, 8}, 5432)));
        openat(grandchild, 3, "missing.txt", 1, 0, -2);
        byte[] anywhere = TestEvents.ipv4Tuple(new int[] {0, 0, 0, 0}, 0, new int[] {1, 1, 1, 1}, 53);
        enter(grandchild, "sendto", p("fd", 9L, "size", 10L, "tuple", anywhere));
        exit(grandchild, "sendto", p("res", 10L, "data", new byte[10]));
        enter(grandchild, "procexit", p("status", 1L));
        enter(workerThread, "procexit", p("status", 0L));
        enter(SHELL, "kill", p("pid", worker, "sig", 0L));
        exit(SHELL, "kill", p("res", -3L));
    }

    private static byte[] fdList(long[] fds, int[] flags) {
        byte[] b = new byte[2 + 10 * fds.length];
        b[0] = (byte) fds.length;
        for (int i = 0; i < fds.length; i++) {
            for (int k = 0; k < 8; k++) {
                b[2 + 10 * i + k] = (byte) (fds[i] >>> (8 * k));
            }
            b[2 + 10 * i + 8] = (byte) flags[i];
            b[2 + 10 * i + 9] = (byte) (flags[i] >>> 8);
        }
        return b;
    }

    private static byte[] ipv6Tuple(int lastSrc, int sport, int lastDst, int dport) {
        byte[] b = new byte[37];
        b[0] = 10;
        b[1] = 0x20;
        b[2] = 0x01;
        b[16] = (byte) lastSrc;
        b[17] = (byte) sport;
        b[18] = (byte) (sport >>> 8);
        b[19] = 0x20;
        b[20] = 0x01;
        b[34] = (byte) lastDst;
        b[35] = (byte) dport;
        b[36] = (byte) (dport >>> 8);
        return b;
    }

    private static byte[] unixTuple(long src, long dst, String path) {
        byte[] name = path.getBytes();
        byte[] b = new byte[17 + name.length + 1];
        b[0] = 1;
        for (int k = 0; k < 8; k++) {
            b[1 + k] = (byte) (src >>> (8 * k));
            b[9 + k] = (byte) (dst >>> (8 * k));
        }
        System.arraycopy(name, 0, b, 17, name.length);
        return b;
    }

    private void moreSyscalls() {
        // poll over a TCP, a UDP and a terminal descriptor.
        byte[] fds = fdList(new long[] {13, 12, 0}, new int[] {1, 5, 4});
        enter(SHELL, "poll", p("fds", fds, "timeout", 1000L));
        exit(SHELL, "poll", p("res", 1L, "fds", fds));
        enter(SHELL, "ppoll", p("fds", fds, "timeout", 5_000_000L, "sigmask", 3L));
        exit(SHELL, "ppoll", p("res", 0L, "fds", fds));
        // Signals, limits, memory, scheduling.
        enter(SHELL, "kill", p("pid", SERVER, "sig", 9L));
        exit(SHELL, "kill", p("res", 0L));
        enter(SHELL, "tgkill", p("pid", SERVER, "tid", SERVER, "sig", 15L));
        exit(SHELL, "tgkill", p("res", -3L));
        enter(SHELL, "setrlimit", p("resource", 7L));
        exit(SHELL, "setrlimit", p("res", 0L, "cur", 65536L, "max", 65536L));
        enter(SHELL, "prlimit", p("pid", SERVER, "resource", 7L));
        exit(SHELL, "prlimit", p("res", 0L, "newcur", 8192L, "newmax", 8192L, "oldcur", 4096L, "oldmax", 4096L));
        enter(SHELL, "mmap", p("addr", 0L, "length", 8192L, "prot", 3L, "flags", 10L, "fd", -1L, "offset", 0L));
        exit(SHELL, "mmap", p("res", 0x7f00aa000000L, "vm_size", 9000L, "vm_rss", 4000L, "vm_swap", 12L));
        enter(SHELL, "munmap", p("addr", 0x7f00aa000000L, "length", 8192L));
        exit(SHELL, "munmap", p("res", 0L, "vm_size", 8990L, "vm_rss", 3990L, "vm_swap", 12L));
        enter(SHELL, "switch", p("next", SERVER, "pgft_maj", 3L, "pgft_min", 77L, "vm_size", 8990L, "vm_rss", 3990L,
                "vm_swap", 12L));
        // fcntl F_DUPFD, shutdown, a listening socket, IPv6 and unix connections.
        enter(SHELL, "fcntl", p("fd", 8L, "cmd", 1L));
        exit(SHELL, "fcntl", p("res", 30L));
        enter(SHELL, "shutdown", p("fd", 13L, "how", 1L));
        exit(SHELL, "shutdown", p("res", 0L));
        enter(SHELL, "socket", p("domain", 2L, "type", 1L, "proto", 0L));
        exit(SHELL, "socket", p("fd", 31L));
        enter(SHELL, "bind", p("fd", 31L));
        exit(SHELL, "bind", p("res", 0L, "addr", new byte[] {2, 127, 0, 0, 1, (byte) 0x90, 0x1f}));
        enter(SHELL, "listen", p("fd", 31L, "backlog", 128L));
        exit(SHELL, "listen", p("res", 0L));
        enter(SHELL, "socket", p("domain", 10L, "type", 1L, "proto", 6L));
        exit(SHELL, "socket", p("fd", 32L));
        enter(SHELL, "connect", p("fd", 32L));
        exit(SHELL, "connect", p("res", 0L, "tuple", ipv6Tuple(5, 43000, 9, 443)));
        enter(SHELL, "socket", p("domain", 1L, "type", 1L, "proto", 0L));
        exit(SHELL, "socket", p("fd", 33L));
        enter(SHELL, "connect", p("fd", 33L));
        exit(SHELL, "connect", p("res", 0L, "tuple", unixTuple(0xffff9000L, 0xffff9100L, "/run/docker.sock")));
        enter(SHELL, "write", p("fd", 33L, "size", 2L));
        exit(SHELL, "write", p("res", 2L, "data", "{}".getBytes()));
        // Paths: plain open, openat2, mkdirat, symlinkat, linkat, chroot, setpgid, ptrace.
        enter(SHELL, "open", p("name", "../etc/shadow", "flags", 1L, "mode", 0L));
        exit(SHELL, "open", p("fd", -13L, "name", "../etc/shadow", "flags", 1L, "mode", 0L, "dev", 0L));
        enter(SHELL, "openat2", p("dirfd", 5L, "name", "kern.log", "flags", 2L, "mode", 0L, "resolve", 0L));
        exit(SHELL, "openat2", p("fd", 34L, "dirfd", 5L, "name", "kern.log", "flags", 2L, "mode", 0L, "resolve", 0L));
        enter(SHELL, "mkdirat", p());
        exit(SHELL, "mkdirat", p("res", 0L, "dirfd", 5L, "path", "archive", "mode", 0755L));
        enter(SHELL, "symlinkat", p());
        exit(SHELL, "symlinkat", p("res", 0L, "target", "/etc/passwd", "linkdirfd", -100L, "linkpath", "pw"));
        enter(SHELL, "linkat", p());
        exit(SHELL, "linkat", p("res", 0L, "olddir", 5L, "oldpath", "auth.log", "newdir", -100L, "newpath", "auth.bak",
                "flags", 0L));
        enter(SHELL, "setpgid", p("pid", 0L, "pgid", 0L));
        exit(SHELL, "setpgid", p("res", 0L));
        enter(SHELL, "ptrace", p("request", 16L, "pid", SERVER));
        exit(SHELL, "ptrace", p("res", 0L, "addr", new byte[] {0, 1, 0, 0, 0, 0, 0, 0, 0},
                "data", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0}));
        enter(SHELL, "chroot", p());
        exit(SHELL, "chroot", p("res", 0L, "path", "/srv/jail"));
        // execveat (an absolute path: sysdig 0.29.3 dereferences a null thread, and dies, resolving a
        // relative one against its dirfd).
        enter(SHELL, "execveat", p("dirfd", 5L, "pathname", "/usr/sbin/logrotate", "flags", 0L));
        exit(SHELL, "execveat", p("res", 0L, "exe", "logrotate", "args", List.of("/etc/logrotate.conf"), "tid", SHELL,
                "pid", SHELL, "ptid", 50L, "cwd", "", "fdlimit", 65536L, "comm", "logrotate"));
    }

    private void container() {
        String id = "4f3d2c1b0a99";
        String json = "{\"container\":{\"Mounts\":[{\"Source\":\"/var/run/docker.sock\",\"Destination\":"
                + "\"/var/run/docker.sock\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"rprivate\"}],"
                + "\"id\":\"" + id + "\",\"image\":\"registry.example.com/team/app:1.2\","
                + "\"imagedigest\":\"sha256:abc\",\"imageid\":\"0123456789ab\",\"imagerepo\":"
                + "\"registry.example.com/team/app\",\"imagetag\":\"1.2\",\"ip\":\"172.17.0.3\","
                + "\"labels\":{\"io.kubernetes.pod.name\":\"web-1\",\"io.kubernetes.pod.namespace\":"
                + "\"prod\",\"io.kubernetes.pod.uid\":\"uid-1\"},\"name\":\"k8s_app_web-1\","
                + "\"privileged\":false,\"type\":0}}";
        // Leading, as container engines write them: sysdig applies it while opening the capture and
        // never prints it (a stand-in thread of a printed container event has uninitialised ids).
        events.add(0, TestEvents.enter(now - 1_000_000, -1, "container", p("json", json)));
        String cgroup = "/docker/" + id + "1111222233334444555566667777888899990000aaaabbbbccccdddd";
        long containerPid = 500;
        enter(SERVER, "clone", p());
        exit(SERVER, "clone", p("res", containerPid, "exe", "nginx", "args", List.of("-g", "daemon off;"), "tid", SERVER,
                "pid", SERVER, "ptid", 1L, "cwd", "", "fdlimit", 4096L, "comm", "nginx", "flags", 0L,
                "cgroups", List.of("cpu=" + cgroup, "memory=" + cgroup), "vtid", SERVER, "vpid", SERVER));
        exit(containerPid, "clone", p("res", 0L, "exe", "nginx", "args", List.of("-g", "daemon off;"), "tid",
                containerPid, "pid", containerPid, "ptid", SERVER, "cwd", "", "fdlimit", 4096L, "comm", "nginx",
                "flags", 0L, "cgroups", List.of("cpu=" + cgroup, "memory=" + cgroup), "vtid", containerPid,
                "vpid", containerPid));
        openat(containerPid, -100, "/var/run/docker.sock", 3, 0, 9);
        enter(containerPid, "socket", p("domain", 2L, "type", 2L, "proto", 17L));
        exit(containerPid, "socket", p("fd", 10L));
        byte[] out = TestEvents.ipv4Tuple(new int[] {172, 17, 0, 3}, 5000, new int[] {10, 0, 0, 5}, 53);
        enter(containerPid, "sendto", p("fd", 10L, "size", 4L, "tuple", out));
        exit(containerPid, "sendto", p("res", 4L, "data", "ping".getBytes()));
    }
}
