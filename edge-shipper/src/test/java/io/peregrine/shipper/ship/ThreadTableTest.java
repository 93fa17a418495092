package io.peregrine.shipper.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.proc.CloneFlags;
import io.peregrine.shipper.proc.ContainerIds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadTableTest {

    private static final String DOCKER = "memory=/docker/" + "ab".repeat(32);

    @Test
    void aForkedChildInheritsItsProcessBlockAndAnExecUpdatesIt() {
        ThreadTable t = new ThreadTable(null, List.of(proc(1, 0, "init", "memory=/"), proc(100, 1, "bash", DOCKER)));

        t.apply(processEvent("PPME_SYSCALL_CLONE_20_X", 200, 0, 200, 100, "bash", DOCKER));
        assertThat(t.get(200).comm()).isEqualTo("bash");
        assertThat(t.containerOf(200)).isEqualTo("abababababab");

        t.apply(new Event(1, 200, 0, EventTable.id("PPME_SYSCALL_EXECVE_19_E"), str("./bin/../bin/cat"),
                new int[] {0}, new int[] {str("./bin/../bin/cat").length}));
        t.apply(processEvent("PPME_SYSCALL_EXECVE_19_X", 200, 0, 200, 100, "cat", DOCKER));
        assertThat(t.get(200).comm()).isEqualTo("cat");
        assertThat(t.get(200).exepath()).isEqualTo("/bin/cat"); // filename resolved against the cwd "/"
        assertThat(t.ancestors(200)).extracting(ScapProcess::comm).containsExactly("bash", "init");

        t.remove(200);
        assertThat(t.get(200)).isNull();
        assertThat(t.containerOf(200)).isEqualTo(ContainerIds.HOST);
    }

    @Test
    void theParentSideOfACloneRecordsAChildNotSeenYet() {
        ThreadTable t = new ThreadTable(null, List.of(proc(100, 1, "bash", "memory=/")));
        t.apply(processEvent("PPME_SYSCALL_CLONE_20_X", 100, 300, 100, 1, "bash", "memory=/"));
        assertThat(t.get(300).pid()).isEqualTo(300);
        assertThat(t.get(300).ptid()).isEqualTo(100);
        assertThat(t.get(300).flags() & CloneFlags.INVERTED).as("created by the parent's event").isZero();
    }

    @Test
    void aChildCreatedByItsOwnCloneExitIsFlaggedInvertedSoItsParentsLaterExitLeavesItAlone() {
        ThreadTable t = new ThreadTable(null, List.of(proc(100, 1, "sh", "memory=/")));
        t.apply(processEvent("PPME_SYSCALL_CLONE_20_X", 300, 0, 300, 100, "sh", "memory=/"));
        assertThat(t.get(300).flags() & CloneFlags.INVERTED).isEqualTo(CloneFlags.INVERTED);

        t.apply(processEvent("PPME_SYSCALL_CLONE_20_X", 100, 300, 100, 1, "sh", "memory=/")); // the parent, late
        assertThat(t.get(300).flags() & CloneFlags.INVERTED).isEqualTo(CloneFlags.INVERTED);
    }

    @Test
    void aThreadsProcessIsItsMainThreadThenItsOtherThreads() {
        ThreadTable t = new ThreadTable(null, List.of(proc(1, 0, "init", "memory=/"), proc(50, 1, "java", "memory=/"),
                thread(53, 50), thread(51, 50), proc(60, 1, "other", "memory=/")));
        assertThat(t.processThreads(53)).extracting(ScapProcess::tid).containsExactly(50L, 51L);
        assertThat(t.processThreads(50)).extracting(ScapProcess::tid).containsExactly(51L, 53L);
        assertThat(new ThreadTableView(t).related(53)).extracting(ScapProcess::tid).containsExactly(50L, 51L, 1L);
        t.remove(51);
        assertThat(t.processThreads(53)).extracting(ScapProcess::tid).containsExactly(50L);
    }

    @Test
    void ancestryStopsAtALoop() {
        ThreadTable t = new ThreadTable(null, List.of(proc(5, 6, "a", "memory=/"), proc(6, 5, "b", "memory=/")));
        assertThat(t.ancestors(5)).extracting(ScapProcess::tid).containsExactly(6L);
    }

    private static ScapProcess thread(long tid, long pid) {
        return ScapProcess.builder().tid(tid).pid(pid).ptid(1).comm("java").cgroups(List.of("memory=/")).build();
    }

    private static ScapProcess proc(long tid, long ptid, String comm, String cgroup) {
        return ScapProcess.builder().tid(tid).pid(tid).ptid(ptid).comm(comm).cgroups(List.of(cgroup)).build();
    }

    /** A clone/execve exit with the 20 parameters libscap gives them (only the ones we read filled). */
    private static Event processEvent(String type, long tid, long res, long pid, long ptid, String comm, String cgroup) {
        byte[][] p = new byte[20][];
        for (int i = 0; i < 20; i++) {
            p[i] = new byte[0];
        }
        p[0] = le(res);
        p[1] = str("/bin/" + comm);
        p[3] = le(tid);
        p[4] = le(pid);
        p[5] = le(ptid);
        p[6] = str("/");
        p[7] = le(1024);
        p[13] = str(comm);
        p[14] = str(cgroup);
        p[15] = new byte[4];
        p[16] = new byte[4];
        p[17] = new byte[4];
        p[18] = le(tid);
        p[19] = le(pid);
        int total = 0;
        for (byte[] b : p) {
            total += b.length;
        }
        byte[] data = new byte[total];
        int[] off = new int[20];
        int[] len = new int[20];
        int o = 0;
        for (int i = 0; i < 20; i++) {
            System.arraycopy(p[i], 0, data, o, p[i].length);
            off[i] = o;
            len[i] = p[i].length;
            o += p[i].length;
        }
        return new Event(1, tid, 0, EventTable.id(type), data, off, len);
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] str(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }
}
