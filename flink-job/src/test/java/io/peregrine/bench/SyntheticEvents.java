package io.peregrine.bench;

import io.peregrine.rules.load.EventTypeUniverse;
import io.peregrine.rules.testkit.MapEvalContext;
import java.util.List;
import java.util.Random;

/**
 * A plausible stream of syscall events for benchmarks: weighted like a busy Linux host (mostly
 * file opens, reads, writes and closes; some execs, connects and accepts), with process, user,
 * container and file values drawn from small realistic pools, and a few suspicious events
 * (shell in a container, reads of /etc/shadow, writes below /etc) so that rules do fire.
 */
final class SyntheticEvents {

    /** One event: its type id and its field values. */
    record Event(int type, MapEvalContext context) {
    }

    private static final List<String> PROCS = List.of("nginx", "java", "python3", "node", "postgres", "sshd",
            "systemd", "containerd", "kubelet", "bash", "sh", "curl", "ls", "cat", "grep", "cron", "dockerd");
    private static final List<String> LIBS = List.of("/usr/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.cache",
            "/usr/lib/locale/locale-archive", "/proc/self/status", "/sys/fs/cgroup/cpu.max", "/etc/hosts",
            "/etc/resolv.conf", "/etc/nsswitch.conf", "/var/log/nginx/access.log", "/tmp/tmp.X1b2c3",
            "/home/app/data/cache.db", "/etc/passwd", "/dev/null", "/usr/share/zoneinfo/UTC");
    private static final List<String> SENSITIVE = List.of("/etc/shadow", "/etc/sudoers", "/root/.ssh/id_rsa");
    private static final List<String> USERS = List.of("root", "www-data", "postgres", "app", "nobody");
    private static final List<String> CONTAINERS = List.of("host", "3ad7b26ded6d", "8e5c2b1f90aa", "f00dbabe1234");

    private final Random random;
    private final EventTypeUniverse universe;

    SyntheticEvents(Random random, EventTypeUniverse universe) {
        this.random = random;
        this.universe = universe;
    }

    Event next() {
        int roll = random.nextInt(100);
        if (roll < 30) {
            return open("openat", pick(LIBS), random.nextInt(10) < 8);
        }
        if (roll < 35) {
            return open("open", pick(LIBS), true);
        }
        if (roll < 37) {
            return open("openat", pick(SENSITIVE), random.nextBoolean());
        }
        if (roll < 38) {
            return open("openat", "/etc/cron.d/job" + random.nextInt(5), false);
        }
        if (roll < 50) {
            return simple(random.nextBoolean() ? "read" : "write");
        }
        if (roll < 62) {
            return simple("close");
        }
        if (roll < 72) {
            return exec();
        }
        if (roll < 80) {
            return network("connect");
        }
        if (roll < 84) {
            return network("accept");
        }
        if (roll < 88) {
            return simple("clone");
        }
        if (roll < 91) {
            return simple("mmap");
        }
        if (roll < 94) {
            return rename();
        }
        if (roll < 97) {
            return simple("setuid");
        }
        return simple(random.nextBoolean() ? "unlinkat" : "chmod");
    }

    private Event open(String call, String file, boolean read) {
        MapEvalContext ctx = base(call);
        ctx.put("fd.name", file).put("fd.nameraw", file).put("fd.typechar", "f").put("fd.type", "file")
                .put("fd.directory", file.substring(0, Math.max(1, file.lastIndexOf('/'))))
                .put("fd.filename", file.substring(file.lastIndexOf('/') + 1))
                .put("evt.arg[flags]", read ? "O_RDONLY|O_CLOEXEC" : "O_WRONLY|O_CREAT|O_TRUNC")
                .put("evt.is_open_read", read).put("evt.is_open_write", !read)
                .put("evt.rawres", 3L + random.nextInt(60)).put("evt.res", "SUCCESS").put("fd.num", 5L);
        return new Event(exitId(call), ctx);
    }

    private Event exec() {
        MapEvalContext ctx = base("execve");
        String name = ctx.get("proc.name").toString();
        ctx.put("proc.cmdline", name + " -c 'echo hello'").put("proc.args", "-c 'echo hello'")
                .put("proc.exepath", "/usr/bin/" + name).put("proc.exe", "/usr/bin/" + name)
                .put("proc.pexe", "/usr/bin/bash").put("proc.pexepath", "/usr/bin/bash")
                .put("proc.aname[2]", "containerd-shim").put("proc.aname[3]", "containerd")
                .put("proc.aname[4]", "systemd").put("proc.is_exe_upper_layer", random.nextInt(20) == 0)
                .put("proc.is_exe_from_memfd", false).put("evt.res", "SUCCESS").put("evt.rawres", 0L)
                .put("proc.is_vpgid_leader", true).put("proc.tty", (long) random.nextInt(2) * 34816);
        return new Event(exitId("execve"), ctx);
    }

    private Event network(String call) {
        MapEvalContext ctx = base(call);
        ctx.put("fd.typechar", "4").put("fd.type", "ipv4").put("fd.l4proto", "tcp")
                .put("fd.sip", new byte[] {10, 0, (byte) random.nextInt(4), (byte) random.nextInt(250)})
                .put("fd.cip", new byte[] {(byte) 172, 17, 0, 2})
                .put("fd.sport", (long) List.of(80, 443, 5432, 6379, 4444).get(random.nextInt(5)))
                .put("fd.rport", 443L).put("fd.lport", 43512L).put("fd.name", "172.17.0.2:43512->10.0.0.5:443")
                .put("evt.rawres", 0L).put("evt.res", "SUCCESS").put("fd.connected", true);
        return new Event(exitId(call), ctx);
    }

    private Event rename() {
        MapEvalContext ctx = base("renameat2");
        ctx.put("evt.arg[oldpath]", "/tmp/a" + random.nextInt(9)).put("evt.arg[newpath]", "/var/lib/app/b")
                .put("evt.rawres", 0L).put("evt.res", "SUCCESS");
        return new Event(exitId("renameat2"), ctx);
    }

    private Event simple(String call) {
        MapEvalContext ctx = base(call);
        ctx.put("fd.name", pick(LIBS)).put("fd.typechar", "f").put("evt.rawres", 0L).put("evt.res", "SUCCESS");
        return new Event(exitId(call), ctx);
    }

    private MapEvalContext base(String type) {
        String proc = pick(PROCS);
        String container = pick(CONTAINERS);
        String user = pick(USERS);
        return MapEvalContext.of("evt.type", type, "evt.dir", "<", "evt.num", (long) random.nextInt(1_000_000),
                "proc.name", proc, "proc.pname", pick(PROCS), "proc.cmdline", proc + " --serve",
                "proc.pcmdline", "containerd-shim -namespace k8s.io", "proc.exepath", "/usr/bin/" + proc,
                "proc.sname", "bash", "proc.cwd", "/", "proc.pid", 1000L + random.nextInt(30000),
                "proc.ppid", 1L, "proc.aname[1]", pick(PROCS),
                "user.name", user, "user.uid", user.equals("root") ? 0L : 1000L, "user.loginuid", -1L,
                "user.loginname", "", "group.gid", 0L, "group.name", "root",
                "container.id", container, "container.image.repository",
                container.equals("host") ? null : "docker.io/library/" + proc,
                "container.privileged", false, "k8s.ns.name", container.equals("host") ? null : "default");
    }

    private int exitId(String name) {
        int[] ids = universe.ids(name);
        return ids.length == 0 ? 1 : ids[ids.length - 1];
    }

    private <T> T pick(List<T> pool) {
        return pool.get(random.nextInt(pool.size()));
    }
}
