package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.event.ParamInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every event layout the probe can emit matches libscap's event table (schemas' EventTable: ids of
 * libs e5c53d64, and of libs 9.1.0 for the events sysdig 0.29.3 lacks): the
 * loader's {@code --synthetic} mode encodes one enter and one exit event per supported syscall
 * without touching the kernel.
 */
class ProbeLayoutTest {

    @Test
    void everyEventTheProbeEmitsHasLibscapsParameterCountAndWidths() throws Exception {
        Path binary = ProbeBinary.locate().orElse(null);
        assumeTrue(binary != null, "probe loader not built (make -C probe)");
        Process p = new ProcessBuilder(binary.toString(), "--synthetic").redirectErrorStream(false).start();
        List<String> problems = new ArrayList<>();
        TreeSet<String> covered = new TreeSet<>();
        TreeSet<String> newer = new TreeSet<>();
        int events = 0;
        try (FrameReader r = new FrameReader(p.getInputStream())) {
            for (ProbeFrame f = r.next(); f != null; f = r.next()) {
                if (!(f instanceof ProbeFrame.EventFrame ef)) {
                    continue;
                }
                events++;
                Event e = ef.event();
                EventInfo info = EventTable.get(e.type());
                if (info == null) {
                    problems.add("type " + e.type() + " is not in libscap's table");
                    continue;
                }
                if (e.type() > EventTable.lastOracleId()) {
                    newer.add(info.name());
                }
                covered.add(info.name());
                if (e.paramCount() != info.params().size()) {
                    problems.add(EventTable.enumName(e.type()) + ": " + e.paramCount() + " params, libscap has "
                            + info.params().size());
                    continue;
                }
                for (int i = 0; i < e.paramCount(); i++) {
                    ParamInfo pi = info.params().get(i);
                    int width = pi.type().size();
                    if (width > 0 && e.paramLength(i) != width) {
                        problems.add(EventTable.enumName(e.type()) + "." + pi.name() + ": " + e.paramLength(i)
                                + " bytes, libscap " + pi.type() + " is " + width);
                    }
                }
            }
        }
        assertThat(p.waitFor()).isZero();
        assertThat(problems).isEmpty();
        assertThat(events).isGreaterThan(100);
        assertThat(covered).contains("open", "openat", "openat2", "creat", "execve", "execveat", "clone", "clone3",
                "fork", "vfork", "connect", "accept", "bind", "listen", "socket", "sendto", "recvfrom", "close",
                "dup", "rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir",
                "symlink", "symlinkat", "link", "linkat", "chmod", "fchmod", "fchmodat", "setuid", "setgid",
                "setresuid", "setresgid", "setns", "unshare", "mount", "umount", "ptrace", "bpf", "procexit",
                "chdir", "fchdir", "pipe", "socketpair", "kill", "syscall", "read", "write", "pread", "pwrite", "sendmsg",
                "recvmsg", "readv", "writev", "preadv", "pwritev");
        // Only these come with libs 9.1.0 ids (a capture for sysdig 0.29.3 turns them into generic events).
        assertThat(newer).containsExactlyInAnyOrder("chown", "lchown", "fchown", "fchownat", "prctl", "init_module",
                "finit_module", "delete_module");
    }
}
