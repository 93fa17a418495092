package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events newer than sysdig 0.29.3's table become the generic events its own driver would record. */
class SysdigCompatibilityTest {

    private static Event event(String enumName) {
        return new Event(123, 45, 1, EventTable.id(enumName), new byte[] {1, 2, 3, 4}, new int[] {0}, new int[] {4});
    }

    @ParameterizedTest(name = "{0} -> PPM_SC {1}, x86_64 nr {2}")
    @CsvSource({
        "PPME_SYSCALL_CHOWN, 132, 92",
        "PPME_SYSCALL_LCHOWN, 118, 94",
        "PPME_SYSCALL_FCHOWN, 127, 93",
        "PPME_SYSCALL_FCHOWNAT, 200, 260",
        "PPME_SYSCALL_PRCTL, 106, 157",
        "PPME_SYSCALL_INIT_MODULE, 76, 175",
        "PPME_SYSCALL_FINIT_MODULE, 314, 313",
        "PPME_SYSCALL_DELETE_MODULE, 77, 176",
    })
    void newerEventsBecomeGenericSyscallEvents(String event, int ppmSc, int nativeId) {
        Event enter = SysdigCompatibility.downgrade(event(event + "_E"));
        assertThat(enter.type()).isEqualTo(EventTable.id("PPME_GENERIC_E"));
        assertThat(enter.paramCount()).isEqualTo(2);
        assertThat(enter.paramLong(0, false)).isEqualTo(ppmSc);
        assertThat(enter.paramLong(1, false)).isEqualTo(nativeId);
        assertThat(enter.timestampNs()).isEqualTo(123);
        assertThat(enter.threadId()).isEqualTo(45);
        assertThat(enter.cpu()).isEqualTo(1);

        Event exit = SysdigCompatibility.downgrade(event(event + "_X"));
        assertThat(exit.type()).isEqualTo(EventTable.id("PPME_GENERIC_X"));
        assertThat(exit.paramCount()).isEqualTo(1);
        assertThat(exit.paramLong(0, false)).isEqualTo(ppmSc);
    }

    @ParameterizedTest
    @CsvSource({"PPME_SYSCALL_OPENAT_2_X", "PPME_SOCKET_SENDMSG_E", "PPME_GENERIC_X"})
    void eventsSysdigReadsStayAsTheyAre(String event) {
        Event e = event(event);
        assertThat(SysdigCompatibility.downgrade(e)).isSameAs(e);
    }

    @ParameterizedTest
    @CsvSource({"PPME_SYSCALL_EPOLL_CREATE1_X", "PPME_SYSCALL_MLOCK2_X"})
    void newerEventsWithoutAGenericFormAreLeftOut(String event) {
        assertThat(SysdigCompatibility.downgrade(event(event))).isNull();
    }
}
