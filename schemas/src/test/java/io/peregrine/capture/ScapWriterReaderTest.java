package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What ScapWriter writes, ScapReader reads back unchanged: the live-capture path of the shipper. */
class ScapWriterReaderTest {

    static final byte[] LOCALHOST = {127, 0, 0, 1};
    static final byte[] REMOTE = {10, 0, 0, 7};
    static final byte[] V6 = new byte[16];

    static ScapProcess shell() {
        return ScapProcess.builder().tid(42).pid(42).ptid(1).sid(42).vpgid(42).comm("bash").exe("/bin/bash")
                .exepath("/usr/bin/bash").args(List.of("-c", "cat /etc/shadow")).env(List.of("HOME=/root", "TERM=xterm"))
                .cwd("/root/").fdlimit(1024).flags(0).uid(0).gid(0).vmsizeKb(1000).vmrssKb(200).vmswapKb(0)
                .pfMajor(3).pfMinor(400).vtid(1).vpid(1).cgroups(List.of("cpu=/docker/abc", "memory=/docker/abc"))
                .root("/").loginuid(1000).exeWritable(true).capInheritable(0).capPermitted(0x3fffffffffL)
                .capEffective(0x3fffffffffL)
                .fds(List.of(ScapFd.file(0, 11, "/dev/pts/0", 2, 0x88),
                        ScapFd.named(3, 12, FdType.DIRECTORY, "/root"),
                        ScapFd.named(4, 13, FdType.FIFO, "pipe:[99]"),
                        ScapFd.socket(5, 14, LOCALHOST, 40000, REMOTE, 443, ScapFd.L4_TCP),
                        ScapFd.serverSocket(6, 15, LOCALHOST, 8080, ScapFd.L4_TCP),
                        ScapFd.socket(7, 16, V6, 1, V6, 2, ScapFd.L4_UDP),
                        ScapFd.unixSocket(8, 17, 0xffff0001L, 0xffff0002L, "/run/docker.sock")))
                .build();
    }

    static Event openExit() {
        byte[] name = "/etc/shadow\0".getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[8 + name.length + 4 + 4 + 4];
        data[0] = 9; // fd 9
        System.arraycopy(name, 0, data, 8, name.length);
        int at = 8 + name.length;
        data[at] = 1; // O_RDONLY
        return new Event(1_700_000_000_000_000_000L, 42, 3, EventTable.id("PPME_SYSCALL_OPEN_X"), data,
                new int[] {0, 8, at, at + 4, at + 8}, new int[] {8, name.length, 4, 4, 4}, Event.FLAG_STATE_ONLY);
    }

    static ScapReader reread(ByteArrayOutputStream bytes) throws Exception {
        return ScapReader.open(new ByteArrayInputStream(bytes.toByteArray()), "written.scap");
    }

    @Test
    void headerTablesComeBackFieldForField() throws Exception {
        MachineInfo machine = new MachineInfo(8, 1L << 34, 4194304, "node-1", 1_690_000_000_000_000_000L, 0, 0, 0);
        List<ScapInterface> ifs = List.of(new ScapInterface("lo", LOCALHOST, new byte[] {-1, 0, 0, 0}, LOCALHOST, 0),
                new ScapInterface("eth0", V6, V6, V6, 1000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ScapWriter w = new ScapWriter(bytes)) {
            w.machineInfo(machine).interfaces(ifs)
                    .users(List.of(new ScapUser(0, 0, "root", "/root", "/bin/bash")), List.of(new ScapGroup(0, "root")))
                    .processes(List.of(shell()));
        }
        try (ScapReader r = reread(bytes)) {
            assertThat(r.machineInfo()).isEqualTo(machine);
            assertThat(r.interfaces()).isEqualTo(ifs);
            assertThat(r.users()).containsExactly(new ScapUser(0, 0, "root", "/root", "/bin/bash"));
            assertThat(r.groups()).containsExactly(new ScapGroup(0, "root"));
            assertThat(r.processes()).hasSize(1);
            ScapProcess read = r.process(42);
            assertThat(read.blockType()).isEqualTo(BlockTypes.PL_V9);
            assertThat(read.withFds(List.of()).toBuilder().blockType(0).build())
                    .isEqualTo(shell().withFds(List.of()));
            assertThat(read.fds()).isEqualTo(shell().fds());
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void eventsKeepTheirHeaderParametersAndFlags() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ScapWriter w = new ScapWriter(bytes)) {
            w.processes(List.of(shell()));
            w.write(openExit());
        }
        try (ScapReader r = reread(bytes)) {
            Event e = r.next();
            Event expected = openExit();
            assertThat(e.timestampNs()).isEqualTo(expected.timestampNs());
            assertThat(e.threadId()).isEqualTo(42);
            assertThat(e.cpu()).isEqualTo(3);
            assertThat(e.type()).isEqualTo(expected.type());
            assertThat(e.flags()).isEqualTo(Event.FLAG_STATE_ONLY);
            assertThat(e.paramCount()).isEqualTo(5);
            assertThat(e.paramLong(0, true)).isEqualTo(9);
            assertThat(e.paramString(1)).isEqualTo("/etc/shadow");
            assertThat(e.paramLong(2, false)).isEqualTo(1);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void headerBlocksAfterTheFirstEventAreRefusedBecauseLibscapWouldNotReadThem() throws Exception {
        ScapWriter w = new ScapWriter(new ByteArrayOutputStream());
        w.write(openExit());
        assertThatThrownBy(() -> w.processes(List.of(shell()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the first event");
    }
}
