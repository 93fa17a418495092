package io.peregrine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.extract.SyscallFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job keys state by (host, container), so a container's first process has its parents under
 * another key: the table accepts their snapshots and answers ancestry fields from them.
 */
class AncestryTest {

    private final FieldCatalog fields = SyscallFields.catalog();

    private static ThreadInfo snapshot(long pid, String comm) {
        ThreadInfo t = new ThreadInfo();
        t.tid = pid;
        t.pid = pid;
        t.comm = comm;
        t.exe = comm;
        t.exePath = "/usr/bin/" + comm;
        return t;
    }

    @Test
    void ancestryFieldsWalkIntoAttachedSnapshots() throws Exception {
        StateEngine containerTable = new StateEngine(new InMemoryThreadStore());
        ThreadInfo entrypoint = snapshot(700, "nginx");
        entrypoint.ptid = 650;
        entrypoint.containerId = "9dbcbd0c435f";
        containerTable.addThread(entrypoint);

        containerTable.attachAncestry(700, List.of(snapshot(650, "containerd-shim"), snapshot(1, "systemd")));

        EventContext c = containerTable.process(TestEvents.enter(1000, 700, "brk", Map.of("addr", 0L)));
        assertEquals("containerd-shim", fields.resolve("proc.pname", null).extract(c));
        assertEquals(650L, fields.resolve("proc.ppid", null).extract(c));
        assertEquals("systemd", fields.resolve("proc.aname", "2").extract(c));
        assertEquals(1L, fields.resolve("proc.apid", "2").extract(c));
        assertEquals("/usr/bin/containerd-shim", fields.resolve("proc.pexepath", null).extract(c));
        assertEquals(List.of("containerd-shim", "systemd"), fields.resolve("proc.aname", null).extract(c));
        assertNull(fields.resolve("proc.aname", "3").extract(c));
    }

    @Test
    void acceptsProcessSnapshotsAsShippedOrCaptured() throws Exception {
        StateEngine table = new StateEngine(new InMemoryThreadStore());
        ThreadInfo entrypoint = snapshot(700, "nginx");
        entrypoint.ptid = 650;
        table.addThread(entrypoint);
        table.attachAncestrySnapshots(700, List.of(
                io.peregrine.capture.ScapProcess.builder().tid(650).pid(650).ptid(1).comm("runc").exe("runc").build(),
                io.peregrine.capture.ScapProcess.builder().tid(1).pid(1).ptid(0).comm("systemd").exe("init").build()));
        EventContext c = table.process(TestEvents.enter(1000, 700, "brk", Map.of("addr", 0L)));
        assertEquals("runc", fields.resolve("proc.pname", null).extract(c));
        assertEquals("systemd", fields.resolve("proc.aname", "2").extract(c));
    }

    @Test
    void snapshotsNeverShadowProcessesOfTheTableItself() {
        StateEngine table = new StateEngine(new InMemoryThreadStore());
        ThreadInfo parent = snapshot(650, "bash");
        ThreadInfo child = snapshot(700, "cat");
        child.ptid = 650;
        table.addThread(parent);
        table.addThread(child);
        table.attachAncestry(700, List.of(snapshot(650, "stale-name")));
        assertEquals("bash", table.parent(table.threads().get(700)).comm);
    }
}
