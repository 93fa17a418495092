package io.peregrine.rules;

import io.peregrine.fields.FieldType;
import io.peregrine.rules.load.EventTypeUniverse;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.OutputFormat;
import io.peregrine.rules.testkit.MapFieldResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared Falco corpus as tests see it, and a field resolver and event universe read from it
 * ({@code sysdig -l} and {@code sysdig -L} of sysdig 0.29.3) until the real field catalogue and
 * event table are merged. Field types not printed by {@code sysdig -l} come from the small table
 * below (libsinsp's types for the fields rules compare with numbers, addresses or booleans).
 */
public final class Corpus {

    private static final Map<String, FieldType> TYPES = new HashMap<>();
    private static final Set<String> TAKES_ARGUMENT = Set.of("evt.arg", "evt.rawarg", "evt.type.is", "proc.aname",
            "proc.apid", "proc.env", "container.mount", "container.mount.source", "container.mount.dest",
            "container.mount.mode", "container.mount.rdwr", "container.mount.propagation", "k8s.pod.label",
            "k8s.rc.label", "k8s.svc.label", "k8s.ns.label", "k8s.rs.label", "k8s.deployment.label",
            "mesos.task.label", "marathon.app.label", "span.tag", "evt.around", "thread.cgroup", "evt.abspath");

    static {
        for (String f : List.of("proc.pid", "proc.ppid", "proc.vpid", "proc.pvpid", "proc.sid", "proc.vpgid",
                "proc.tty", "proc.loginshellid", "thread.tid", "thread.vtid", "thread.ptid", "user.uid",
                "user.loginuid", "group.gid", "fd.num", "fd.dev", "fd.dev.major", "fd.dev.minor", "evt.rawres",
                "evt.cpu", "proc.nthreads", "proc.nchilds", "proc.fdopencount", "proc.fdlimit", "proc.vmsize",
                "proc.vmrss", "proc.vmswap", "thread.pfmajor", "thread.pfminor", "proc.apid", "evt.count",
                "fd.ino", "proc.pidns_init_start_ts")) {
            TYPES.put(f, FieldType.INT64);
        }
        for (String f : List.of("evt.num", "evt.buflen", "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns")) {
            TYPES.put(f, FieldType.UINT64);
        }
        for (String f : List.of("evt.latency", "evt.deltatime", "proc.duration", "thread.exectime",
                "thread.totexectime", "proc.stime", "evt.reltime")) {
            TYPES.put(f, FieldType.RELTIME);
        }
        for (String f : List.of("fd.port", "fd.sport", "fd.dport", "fd.lport", "fd.rport")) {
            TYPES.put(f, FieldType.PORT);
        }
        for (String f : List.of("fd.ip", "fd.cip", "fd.sip", "fd.lip", "fd.rip")) {
            TYPES.put(f, FieldType.IPADDR);
        }
        for (String f : List.of("fd.net", "fd.cnet", "fd.snet", "fd.lnet", "fd.rnet")) {
            TYPES.put(f, FieldType.IPNET);
        }
        for (String f : List.of("container.privileged", "proc.is_container_healthcheck",
                "proc.is_container_liveness_probe", "proc.is_container_readiness_probe", "evt.is_io",
                "evt.is_io_read", "evt.is_io_write", "evt.is_wait", "evt.is_syslog", "evt.failed", "fd.connected",
                "evt.is_open_read", "evt.is_open_write", "evt.is_open_exec", "fd.is_server", "thread.ismain",
                "proc.is_exe_writable", "proc.is_exe_upper_layer", "proc.is_sid_leader", "proc.is_vpgid_leader",
                "proc.is_exe_from_memfd")) {
            TYPES.put(f, FieldType.BOOL);
        }
        TYPES.put("evt.buffer", FieldType.BYTES);
    }

    private Corpus() {
    }

    /** The corpus folder ({@code peregrine.corpus}, default ../shared/corpus of the repository). */
    public static Path root() {
        String prop = System.getProperty("peregrine.corpus");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("../shared/corpus"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("/work/shared/corpus") : p.resolve("../shared/corpus").normalize();
    }

    /** The fields of {@code sysdig -l}, typed, as a map-backed resolver. */
    public static MapFieldResolver sysdigFields() {
        MapFieldResolver resolver = new MapFieldResolver();
        Pattern line = Pattern.compile("^([a-z][a-zA-Z0-9_.]*[a-zA-Z0-9_])\\s{2,}");
        try {
            for (String l : Files.readAllLines(root().resolve("sysdig_fields.txt"))) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    String name = m.group(1);
                    FieldType type = TYPES.getOrDefault(name, FieldType.STRING);
                    if (TAKES_ARGUMENT.contains(name)) {
                        resolver.fieldWithArgument(name, type);
                    } else {
                        resolver.field(name, type);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resolver;
    }

    /**
     * The sysdig 0.29.3 fields plus those the newer rulesets use that libsinsp added after it
     * (listed in LANGUAGE_NOTES.md §1), typed as libsinsp types them.
     */
    public static MapFieldResolver newerFields() {
        MapFieldResolver r = sysdigFields();
        for (String f : List.of("thread.cap_effective", "thread.cap_permitted", "thread.cap_inheritable",
                "fd.nameraw", "proc.pexepath", "proc.pexe", "proc.exe_ino.ctime", "proc.exe_ino.mtime")) {
            r.field(f, FieldType.STRING);
        }
        for (String f : List.of("proc.is_exe_upper_layer", "proc.is_exe_from_memfd", "proc.is_vpgid_leader",
                "proc.is_exe_writable", "proc.is_sid_leader")) {
            r.field(f, FieldType.BOOL);
        }
        r.field("container.start_ts", FieldType.ABSTIME);
        r.field("proc.exe_ino", FieldType.INT64);
        r.field("proc.exe_ino.ctime_duration_proc_start", FieldType.RELTIME);
        r.field("proc.exe_ino.ctime_duration_pidns_start", FieldType.RELTIME);
        r.fieldWithArgument("proc.aexepath", FieldType.STRING);
        r.fieldWithArgument("proc.aexe", FieldType.STRING);
        return r;
    }

    /** The event types of {@code sysdig -L}, ids numbered in listing order. */
    public static EventTypeUniverse sysdigEvents() {
        Map<String, List<Integer>> ids = new HashMap<>();
        Pattern line = Pattern.compile("^([<>]) ([a-z_0-9]+)\\(");
        int next = 0;
        try {
            for (String l : Files.readAllLines(root().resolve("sysdig_events.txt"))) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    ids.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(next++);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, int[]> out = new HashMap<>();
        ids.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new EventTypeUniverse(out, next);
    }

    /** Syscall rules against the sysdig fields plus the newer ones, and the sysdig event table. */
    public static LoaderConfig config() {
        return new LoaderConfig(Map.of("syscall", newerFields()), sysdigEvents(), OutputFormat.DEFAULT_CONTAINER_INFO);
    }

    /** Syscall rules against exactly the fields of sysdig 0.29.3 (newer fields are unknown). */
    public static LoaderConfig sysdigConfig() {
        return new LoaderConfig(Map.of("syscall", sysdigFields()), sysdigEvents(), OutputFormat.DEFAULT_CONTAINER_INFO);
    }
}
