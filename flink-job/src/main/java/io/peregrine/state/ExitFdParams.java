package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an exit event carries its fd, for events whose enter event has none (libs 9.1.0's exit-only
 * events such as fchown or fchownat): libsinsp takes the fd from this exit parameter when the enter
 * event left none (libscap's get_exit_event_fd_location). A location past the event's parameters
 * (the older, shorter layouts of the same event) means no fd, as in libsinsp. Only events newer than
 * sysdig 0.29.3's table use it: its libsinsp never looked at exits, and it stays our oracle for those.
 */
final class ExitFdParams {

    private static final Map<Integer, Integer> LOCATION = build();

    private ExitFdParams() {
    }

    /** The fd the exit event names, or -1 when it names none. */
    static long fd(Event e) {
        if (e.type() <= EventTable.lastOracleId()) {
            return -1;
        }
        Integer at = LOCATION.get(e.type());
        if (at == null || at >= e.paramCount() || e.paramLength(at) == 0) {
            return -1;
        }
        return e.paramLong(at, true);
    }

    private static Map<Integer, Integer> build() {
        Map<Integer, Integer> m = new HashMap<>();
        put(m, 1, List.of("PPME_SYSCALL_SETNS_X", "PPME_SOCKET_LISTEN_X", "PPME_SOCKET_SHUTDOWN_X",
                "PPME_SYSCALL_FCHDIR_X", "PPME_SYSCALL_LSEEK_X", "PPME_SYSCALL_LLSEEK_X", "PPME_SYSCALL_IOCTL_3_X",
                "PPME_SYSCALL_FSTAT_X", "PPME_SYSCALL_CLOSE_X", "PPME_SYSCALL_GETDENTS_X", "PPME_SYSCALL_GETDENTS64_X",
                "PPME_SYSCALL_FLOCK_X", "PPME_SYSCALL_COPY_FILE_RANGE_X", "PPME_SYSCALL_FCNTL_X",
                "PPME_SYSCALL_DUP_1_X", "PPME_SYSCALL_DUP2_X", "PPME_SYSCALL_DUP3_X", "PPME_SYSCALL_NEWFSTATAT_X",
                "PPME_SYSCALL_FCHOWNAT_X", "PPME_SYSCALL_FCHMODAT_X", "PPME_SYSCALL_MKDIRAT_X",
                "PPME_SYSCALL_UNLINKAT_2_X", "PPME_SYSCALL_MKNODAT_X", "PPME_SOCKET_SENDMMSG_X",
                "PPME_SOCKET_RECVMMSG_X", "PPME_SYSCALL_IO_URING_REGISTER_X", "PPME_SYSCALL_IO_URING_ENTER_X",
                "PPME_SOCKET_SETSOCKOPT_X", "PPME_SOCKET_GETSOCKOPT_X", "PPME_SYSCALL_FSCONFIG_X",
                "PPME_SYSCALL_FINIT_MODULE_X", "PPME_SYSCALL_FCHMOD_X", "PPME_SYSCALL_FCHOWN_X"));
        put(m, 2, List.of("PPME_SYSCALL_READ_X", "PPME_SYSCALL_PREAD_X", "PPME_SOCKET_BIND_X", "PPME_SYSCALL_WRITE_X",
                "PPME_SYSCALL_PWRITE_X", "PPME_SOCKET_RECV_X", "PPME_SOCKET_SEND_X", "PPME_SOCKET_SENDTO_X",
                "PPME_SOCKET_SENDMSG_X", "PPME_SYSCALL_SENDFILE_X", "PPME_SYSCALL_SPLICE_X", "PPME_SYSCALL_WRITEV_X",
                "PPME_SYSCALL_PWRITEV_X", "PPME_SOCKET_CONNECT_X", "PPME_SYSCALL_SYMLINKAT_X"));
        put(m, 3, List.of("PPME_SOCKET_RECVFROM_X", "PPME_SYSCALL_READV_X", "PPME_SYSCALL_PREADV_X"));
        put(m, 5, List.of("PPME_SOCKET_RECVMSG_X"));
        put(m, 8, List.of("PPME_SYSCALL_MMAP_X", "PPME_SYSCALL_MMAP2_X"));
        return Map.copyOf(m);
    }

    private static void put(Map<Integer, Integer> m, int location, List<String> enumNames) {
        for (String name : enumNames) {
            try {
                m.put(EventTable.id(name), location);
            } catch (IllegalArgumentException notInOurTable) {
                // an event of a libs version newer than our table: nothing to look up
            }
        }
    }
}
