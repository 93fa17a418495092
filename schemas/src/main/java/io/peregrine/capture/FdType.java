package io.peregrine.capture;

/** libscap's fd types ({@code scap_fd_type}), with their numeric codes; codes are stable across versions. */
public enum FdType {
    UNKNOWN(0), FILE(1), DIRECTORY(2), IPV4_SOCK(3), IPV6_SOCK(4), IPV4_SERVSOCK(5), IPV6_SERVSOCK(6),
    FIFO(7), UNIX_SOCK(8), EVENT(9), UNSUPPORTED(10), SIGNALFD(11), EVENTPOLL(12), INOTIFY(13),
    TIMERFD(14), NETLINK(15), FILE_V2(16), BPF(17), USERFAULTFD(18), IOURING(19), MEMFD(20), PIDFD(21);

    private static final FdType[] BY_CODE = values();

    private final int code;

    FdType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with libscap code {@code code}, or {@code null} for a code this version does not know. */
    public static FdType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether the on-disk entry is just a name (files, pipes, eventfds... everything but sockets and FILE_V2). */
    public boolean nameOnly() {
        return switch (this) {
            case FILE, DIRECTORY, FIFO, EVENT, UNSUPPORTED, SIGNALFD, EVENTPOLL, INOTIFY, TIMERFD, NETLINK, BPF,
                    USERFAULTFD, IOURING, MEMFD, PIDFD -> true;
            default -> false;
        };
    }

    /** Types whose entries sysdig 0.29.3 (libs e5c53d64) can read; later ones are newer libs'. */
    public boolean knownToSysdig0293() {
        return code <= FILE_V2.code;
    }
}
