package io.peregrine.shipper.proc;

import io.peregrine.capture.FdType;
import io.peregrine.capture.ScapFd;
import io.peregrine.capture.ScapProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshots the process and fd tables from /proc, as libscap's /proc scan does at capture start:
 * every thread with its credentials, command line, environment, cwd, cgroups and memory figures,
 * and each process's open fds typed (files with their open flags, directories, pipes, IPv4/IPv6
 * client and server sockets, unix sockets, eventfds...). Processes that exit mid-scan are skipped.
 */
public final class ProcScanner {

    private final Path proc;

    public ProcScanner() {
        this(Paths.get("/proc"));
    }

    /** A scanner over another /proc (tests use a fake tree). */
    public ProcScanner(Path procRoot) {
        this.proc = procRoot;
    }

    /** Every thread of every process, main threads carrying their process's fds; sorted by tid. */
    public List<ScapProcess> scan() {
        SocketTable sockets = SocketTable.read(proc);
        Map<Long, ScapProcess> threads = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, ProcScanner::isPidDir)) {
            for (Path dir : dirs) {
                try {
                    scanProcess(dir, sockets, threads);
                } catch (IOException | RuntimeException e) {
                    // gone while we looked, or unreadable: libscap skips those too
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(threads.values());
    }

    /** One process (its main thread, with fds), or null if it is gone. */
    public ScapProcess process(long pid) {
        try {
            Map<Long, ScapProcess> threads = new TreeMap<>();
            scanProcess(proc.resolve(Long.toString(pid)), SocketTable.read(proc), threads);
            return threads.get(pid);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isPidDir(Path p) {
        String n = p.getFileName().toString();
        return !n.isEmpty() && n.chars().allMatch(Character::isDigit);
    }

    private void scanProcess(Path dir, SocketTable sockets, Map<Long, ScapProcess> out) throws IOException {
        Stat stat = Stat.read(dir.resolve("stat"));
        Map<String, String> status = status(dir.resolve("status"));
        // /proc/<tid> of a non-leader thread (a lookup by tid) describes its thread group: its process is the Tgid.
        long pid = field(status, "Tgid", 0) > 0 ? field(status, "Tgid", 0) : Long.parseLong(dir.getFileName().toString());
        ScapProcess.Builder base = ScapProcess.builder().pid(pid);
        List<String> cmdline = nulList(dir.resolve("cmdline"));
        String comm = readTrim(dir.resolve("comm"));
        base.ptid(stat.ppid).pgid(stat.pgrp).vpgid(stat.pgrp).sid(stat.session).tty(stat.ttyNr)
                .pfMajor(stat.majflt).pfMinor(stat.minflt)
                .comm(comm)
                .exe(cmdline.isEmpty() ? comm : cmdline.get(0))
                .args(cmdline.isEmpty() ? List.of() : cmdline.subList(1, cmdline.size()))
                .env(nulList(dir.resolve("environ")))
                .exepath(link(dir.resolve("exe")))
                .cwd(link(dir.resolve("cwd")))
                .root(link(dir.resolve("root")))
                .cgroups(cgroups(dir.resolve("cgroup")))
                .loginuid(parseLong(readTrim(dir.resolve("loginuid")), -1) & 0xffffffffL)
                .fdlimit(fdLimit(dir.resolve("limits")))
                .uid(field(status, "Uid", 1)).gid(field(status, "Gid", 1))
                .vmsizeKb(kb(status, "VmSize")).vmrssKb(kb(status, "VmRSS")).vmswapKb(kb(status, "VmSwap"))
                .capInheritable(hex(status, "CapInh")).capPermitted(hex(status, "CapPrm"))
                .capEffective(hex(status, "CapEff"))
                .vpid(last(status, "NStgid", pid));
        List<ScapFd> fds = fds(dir, sockets);
        Path tasks = dir.resolve("task");
        try (DirectoryStream<Path> tids = Files.newDirectoryStream(tasks, ProcScanner::isPidDir)) {
            for (Path t : tids) {
                long tid = Long.parseLong(t.getFileName().toString());
                Map<String, String> tstatus = tid == pid ? status : status(t.resolve("status"));
                String tcomm = tid == pid ? comm : readTrim(t.resolve("comm"));
                out.put(tid, base.tid(tid).comm(tcomm).vtid(last(tstatus, "NSpid", tid))
                        .flags(threadFlags(tid, pid)).fds(tid == pid ? fds : List.of()).build());
            }
        } catch (IOException e) {
            out.put(pid, base.tid(pid).vtid(last(status, "NSpid", pid)).fds(fds).build());
        }
    }

    /**
     * libscap's assumption for threads found in /proc: any thread but the main one was cloned with
     * CLONE_THREAD | CLONE_FILES. libsinsp counts a process's threads (proc.nthreads, proc.nchilds)
     * and shares the fd table by these flags, so without them sysdig sees single-threaded processes.
     */
    static int threadFlags(long tid, long pid) {
        return tid == pid ? 0 : CloneFlags.THREAD | CloneFlags.FILES;
    }

    private List<ScapFd> fds(Path dir, SocketTable sockets) {
        List<ScapFd> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"), ProcScanner::isPidDir)) {
            for (Path f : fds) {
                long fd = Long.parseLong(f.getFileName().toString());
                String target = link(f);
                if (target.isEmpty()) {
                    continue;
                }
                ScapFd entry = describe(fd, target, dir, sockets);
                if (entry != null) {
                    out.add(entry);
                }
            }
        } catch (IOException e) {
            // no permission or gone: no fds
        }
        out.sort((a, b) -> Long.compare(a.fd(), b.fd()));
        return out;
    }

    private ScapFd describe(long fd, String target, Path dir, SocketTable sockets) {
        long ino = bracketNumber(target);
        if (target.startsWith("socket:[")) {
            SocketTable.Entry s = sockets.get(ino);
            return s == null ? null : s.toFd(fd, ino);
        }
        if (target.startsWith("pipe:[")) {
            return ScapFd.named(fd, ino, FdType.FIFO, "");
        }
        if (target.startsWith("anon_inode:")) {
            String kind = target.substring("anon_inode:".length());
            FdType type = kind.contains("eventfd") ? FdType.EVENT : kind.contains("eventpoll") ? FdType.EVENTPOLL
                    : kind.contains("inotify") ? FdType.INOTIFY : kind.contains("timerfd") ? FdType.TIMERFD
                    : kind.contains("signalfd") ? FdType.SIGNALFD : kind.contains("bpf") ? FdType.BPF
                    : FdType.UNSUPPORTED;
            return ScapFd.named(fd, 0, type, "");
        }
        if (!target.startsWith("/")) {
            return ScapFd.named(fd, 0, FdType.UNSUPPORTED, target);
        }
        Map<String, String> info = status(dir.resolve("fdinfo").resolve(Long.toString(fd)));
        long flags = parseOctal(info.getOrDefault("flags", "0"));
        long inode = parseLong(info.getOrDefault("ino", "0"), 0);
        if (Files.isDirectory(Paths.get(target))) {
            return ScapFd.named(fd, inode, FdType.DIRECTORY, target);
        }
        return ScapFd.file(fd, inode, target, OpenFlags.toPpm(flags), 0);
    }

    /** libscap's cgroups list: {@code controller=path} for each controller of each hierarchy. */
    static List<String> cgroups(Path file) {
        List<String> out = new ArrayList<>();
        String unified = null;
        for (String line : lines(file)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[1].isEmpty()) {
                unified = f[2];
                continue;
            }
            for (String controller : f[1].split(",")) {
                if (!controller.startsWith("name=")) {
                    out.add(controller + "=" + f[2]);
                }
            }
        }
        if (out.isEmpty() && unified != null) {
            out.add("cpu=" + unified); // a v2-only host: one entry carries the unified path
        }
        return out;
    }

    private record Stat(long ppid, long pgrp, long session, long ttyNr, long minflt, long majflt) {
        static Stat read(Path p) throws IOException {
            String s = Files.readString(p);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new Stat(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[7]), Long.parseLong(f[9]));
        }
    }

    private static Map<String, String> status(Path p) {
        Map<String, String> m = new TreeMap<>();
        for (String line : lines(p)) {
            int c = line.indexOf(':');
            if (c > 0) {
                m.put(line.substring(0, c), line.substring(c + 1).trim());
            }
        }
        return m;
    }

    private static long field(Map<String, String> status, String key, int index) {
        String v = status.get(key);
        if (v == null) {
            return 0;
        }
        String[] f = v.split("\\s+");
        return index < f.length ? parseLong(f[index], 0) : 0;
    }

    private static long last(Map<String, String> status, String key, long dflt) {
        String v = status.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        String[] f = v.split("\\s+");
        return parseLong(f[f.length - 1], dflt);
    }

    private static long kb(Map<String, String> status, String key) {
        return field(status, key, 0);
    }

    private static long hex(Map<String, String> status, String key) {
        String v = status.get(key);
        return v == null ? 0 : Long.parseUnsignedLong(v, 16);
    }

    private static long fdLimit(Path limits) {
        for (String line : lines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return f[0].equals("unlimited") ? -1 : parseLong(f[0], 0);
            }
        }
        return 0;
    }

    private static List<String> nulList(Path p) {
        try {
            String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            if (s.isEmpty()) {
                return List.of();
            }
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String readTrim(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long bracketNumber(String s) {
        int a = s.indexOf('[');
        int b = s.indexOf(']');
        return a >= 0 && b > a ? parseLong(s.substring(a + 1, b), 0) : 0;
    }

    private static long parseLong(String s, long dflt) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static long parseOctal(String s) {
        try {
            return Long.parseLong(s.trim(), 8);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
