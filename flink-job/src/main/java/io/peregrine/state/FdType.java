package io.peregrine.state;

/** File-descriptor kinds in libscap's numbering ({@code scap_fd_type}), with libsinsp's names. */
public enum FdType {
    UNKNOWN(0, "<NA>", 'o'),
    FILE(1, "file", 'f'),
    DIRECTORY(2, "directory", 'd'),
    IPV4_SOCK(3, "ipv4", '4'),
    IPV6_SOCK(4, "ipv6", '6'),
    IPV4_SERVSOCK(5, "ipv4", '4'),
    IPV6_SERVSOCK(6, "ipv6", '6'),
    FIFO(7, "pipe", 'p'),
    UNIX_SOCK(8, "unix", 'u'),
    EVENT(9, "event", 'e'),
    UNSUPPORTED(10, "<NA>", 'X'),
    SIGNALFD(11, "signalfd", 's'),
    EVENTPOLL(12, "eventpoll", 'l'),
    INOTIFY(13, "inotify", 'i'),
    TIMERFD(14, "timerfd", 't'),
    NETLINK(15, "netlink", 'n'),
    FILE_V2(16, "file", 'f');

    private static final FdType[] BY_ID = values();

    private final int scapId;
    private final String typeName;
    private final char typeChar;

    FdType(int scapId, String typeName, char typeChar) {
        this.scapId = scapId;
        this.typeName = typeName;
        this.typeChar = typeChar;
    }

    public int scapId() {
        return scapId;
    }

    /** What {@code fd.type} prints. */
    public String typeName() {
        return typeName;
    }

    /** What {@code fd.typechar} prints and the letter in {@code <f>/etc/passwd}. */
    public char typeChar() {
        return typeChar;
    }

    public boolean isIpSocket() {
        return this == IPV4_SOCK || this == IPV6_SOCK;
    }

    public boolean isServerSocket() {
        return this == IPV4_SERVSOCK || this == IPV6_SERVSOCK;
    }

    public boolean isFile() {
        return this == FILE || this == FILE_V2;
    }

    /** The type with libscap's id, UNKNOWN for ids outside the table. */
    public static FdType ofScapId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : UNKNOWN;
    }
}
