package io.peregrine.capture;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a capture's fd list (FDL block): an open fd of a process at capture start, with the
 * typed information libscap keeps for it.
 *
 * <p>Which fields apply depends on {@link #type()}: a name for files, directories, pipes and the other
 * name-only kinds ({@link FdType#nameOnly()}); open flags, name and device for {@link FdType#FILE_V2};
 * source/destination address, ports and L4 protocol for connected sockets; for listening
 * ({@code SERVSOCK}) sockets the address and port are in {@code sip}/{@code sport}; for unix sockets
 * the kernel source/destination pointers and the path in {@code name}. Addresses are the raw bytes
 * as libscap stores them (4 or 16, network order). {@code typeCode} keeps a code this version does not
 * know (then {@code type} is {@code null}).
 */
public record ScapFd(long fd, long ino, FdType type, int typeCode, String name, int openFlags, int dev,
        byte[] sip, int sport, byte[] dip, int dport, int l4proto, long unixSource, long unixDest) {

    /** libscap L4 protocol codes ({@code scap_l4_proto}). */
    public static final int L4_UNKNOWN = 0;
    public static final int L4_NA = 1;
    public static final int L4_TCP = 2;
    public static final int L4_UDP = 3;
    public static final int L4_ICMP = 4;
    public static final int L4_RAW = 5;

    private static final byte[] NONE = new byte[0];

    public ScapFd {
        name = name == null ? "" : name;
        sip = sip == null ? NONE : sip;
        dip = dip == null ? NONE : dip;
    }

    /** A name-only fd (file, directory, pipe, eventfd...). */
    public static ScapFd named(long fd, long ino, FdType type, String name) {
        return new ScapFd(fd, ino, type, type.code(), name, 0, 0, null, 0, null, 0, 0, 0, 0);
    }

    /** A regular file with its open flags (PPM_O_* bits) and device (FILE_V2, what libscap writes today). */
    public static ScapFd file(long fd, long ino, String name, int openFlags, int dev) {
        return new ScapFd(fd, ino, FdType.FILE_V2, FdType.FILE_V2.code(), name, openFlags, dev, null, 0, null, 0,
                0, 0, 0);
    }

    /** A connected IPv4 or IPv6 socket (the address length decides which). */
    public static ScapFd socket(long fd, long ino, byte[] sip, int sport, byte[] dip, int dport, int l4proto) {
        FdType type = sip.length == 16 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK;
        return new ScapFd(fd, ino, type, type.code(), "", 0, 0, sip, sport, dip, dport, l4proto, 0, 0);
    }

    /** A listening IPv4 or IPv6 socket. */
    public static ScapFd serverSocket(long fd, long ino, byte[] ip, int port, int l4proto) {
        FdType type = ip.length == 16 ? FdType.IPV6_SERVSOCK : FdType.IPV4_SERVSOCK;
        return new ScapFd(fd, ino, type, type.code(), "", 0, 0, ip, port, null, 0, l4proto, 0, 0);
    }

    /** A unix socket with the kernel's source/destination socket pointers and its path. */
    public static ScapFd unixSocket(long fd, long ino, long source, long dest, String path) {
        return new ScapFd(fd, ino, FdType.UNIX_SOCK, FdType.UNIX_SOCK.code(), path, 0, 0, null, 0, null, 0, 0,
                source, dest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScapFd f && fd == f.fd && ino == f.ino && typeCode == f.typeCode
                && name.equals(f.name) && openFlags == f.openFlags && dev == f.dev
                && Arrays.equals(sip, f.sip) && sport == f.sport && Arrays.equals(dip, f.dip)
                && dport == f.dport && l4proto == f.l4proto && unixSource == f.unixSource
                && unixDest == f.unixDest;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fd, ino, typeCode, name, Arrays.hashCode(sip), sport, Arrays.hashCode(dip), dport);
    }

    @Override
    public String toString() {
        return "ScapFd[fd=" + fd + ", type=" + (type == null ? "code " + typeCode : type) + ", name=" + name
                + (sip.length > 0 ? ", sport=" + sport + ", dport=" + dport : "") + "]";
    }
}
