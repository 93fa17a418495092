package io.peregrine.state;

import java.io.Serializable;

/**
 * One open file descriptor as libsinsp tracks it: its kind, name, open flags and, for sockets,
 * the connection tuple. Plain fields so that it serialises compactly into keyed state.
 */
public final class FdInfo implements Serializable {

    private static final long serialVersionUID = 1L;

    /** libsinsp's role flags and connection state bits ({@code sinsp_fdinfo_t::FLAGS_*}). */
    public static final int FLAG_FROM_PROC = 1;
    public static final int FLAG_ROLE_CLIENT = 1 << 2;
    public static final int FLAG_ROLE_SERVER = 1 << 3;
    public static final int FLAG_CLOSE_IN_PROGRESS = 1 << 4;
    public static final int FLAG_CLOSE_CANCELED = 1 << 5;
    public static final int FLAG_SOCKET_CONNECTED = 1 << 13;
    public static final int FLAG_CONNECTION_PENDING = 1 << 15;
    public static final int FLAG_CONNECTION_FAILED = 1 << 16;

    /** libscap's l4 protocol ids. */
    public static final int L4_UNKNOWN = 0;
    public static final int L4_NA = 1;
    public static final int L4_TCP = 2;
    public static final int L4_UDP = 3;
    public static final int L4_ICMP = 4;
    public static final int L4_RAW = 5;

    public FdType type = FdType.UNKNOWN;
    public String name = "";
    /** The name before this event's parsing changed it ({@code fd.name_changed}). */
    public String oldName = "";
    /** The name exactly as the kernel reported it ({@code fd.nameraw}). */
    public String nameRaw = "";
    public int openFlags;
    public int flags;
    public long ino;
    public int dev;
    public int mountId;

    /** Socket tuple: source/client and destination/server (4 or 16 bytes each), ports, protocol. */
    public byte[] sip;
    public byte[] dip;
    public int sport;
    public int dport;
    public int l4proto;

    /** Unix socket endpoints (kernel addresses). */
    public long unixSource;
    public long unixDest;

    public FdInfo() {
    }

    public FdInfo(FdType type, String name) {
        this.type = type;
        this.name = name;
        this.nameRaw = name;
    }

    /** A deep copy, for fork (each child gets its own table). */
    public FdInfo copy() {
        FdInfo c = new FdInfo();
        c.type = type;
        c.name = name;
        c.oldName = oldName;
        c.nameRaw = nameRaw;
        c.openFlags = openFlags;
        c.flags = flags;
        c.ino = ino;
        c.dev = dev;
        c.mountId = mountId;
        c.sip = sip;
        c.dip = dip;
        c.sport = sport;
        c.dport = dport;
        c.l4proto = l4proto;
        c.unixSource = unixSource;
        c.unixDest = unixDest;
        return c;
    }

    public boolean isRoleNone() {
        return (flags & (FLAG_ROLE_CLIENT | FLAG_ROLE_SERVER)) == 0;
    }

    public boolean isRoleServer() {
        return (flags & FLAG_ROLE_SERVER) != 0;
    }

    public boolean isRoleClient() {
        return (flags & FLAG_ROLE_CLIENT) != 0;
    }

    /**
     * The l4 protocol as libsinsp's get_l4proto reports it: raw sockets always, connected IP
     * sockets only once they have a role, server sockets always, anything else "not applicable".
     */
    public int l4proto() {
        if (type == FdType.IPV4_SOCK || type == FdType.IPV6_SOCK) {
            if (l4proto == L4_RAW) {
                return L4_RAW;
            }
            return isRoleNone() ? L4_NA : l4proto;
        }
        if (type.isServerSocket()) {
            return l4proto;
        }
        return L4_NA;
    }

    /** libsinsp's is_tcp_socket: an IPv4 socket whose protocol is TCP (IPv6 ones never count there). */
    public boolean isTcp() {
        return type == FdType.IPV4_SOCK && l4proto == L4_TCP;
    }

    /** libsinsp's is_udp_socket: an IPv4 socket whose protocol is UDP (IPv6 ones never count there). */
    public boolean isUdp() {
        return type == FdType.IPV4_SOCK && l4proto == L4_UDP;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    public void setFlag(int flag, boolean on) {
        flags = on ? flags | flag : flags & ~flag;
    }
}
