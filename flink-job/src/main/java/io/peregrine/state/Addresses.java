package io.peregrine.state;

/** Prints addresses and socket tuples the way libsinsp does (glibc inet_ntop, "ip:port->ip:port"). */
public final class Addresses {

    private Addresses() {
    }

    public static String ipv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    /** An address of 4 or 16 bytes. */
    public static String ip(byte[] a) {
        return a.length == 4 ? ipv4(a) : ipv6(a);
    }

    /** glibc's inet_ntop for AF_INET6: longest zero run compressed, embedded IPv4 where glibc prints it. */
    public static String ipv6(byte[] a) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder out = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                out.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
                        .append(a[14] & 0xff).append('.').append(a[15] & 0xff);
                break;
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }

    /** Whether a 16-byte address is IPv4-mapped (::ffff:a.b.c.d) or all zero, as libsinsp tests it. */
    public static boolean isIpv4MappedIpv6(byte[] a, int off) {
        for (int i = 0; i < 10; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        if ((a[off + 10] & 0xff) == 0xff && (a[off + 11] & 0xff) == 0xff) {
            return true;
        }
        for (int i = 10; i < 16; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** "ip:port" for IPv4, "ip6:port" for IPv6 (no brackets, as libsinsp prints). */
    public static String endpoint(byte[] ip, int port) {
        return ip(ip) + ":" + port;
    }

    /** The fd.name libsinsp gives a connected IP socket. */
    public static String tupleName(FdInfo fd) {
        if (fd.type == FdType.IPV4_SOCK) {
            if (fd.l4proto == FdInfo.L4_TCP || fd.l4proto == FdInfo.L4_UDP) {
                return endpoint(v4(fd.sip), fd.sport) + "->" + endpoint(v4(fd.dip), fd.dport);
            }
            if (fd.l4proto == FdInfo.L4_ICMP || fd.l4proto == FdInfo.L4_RAW) {
                return ipv4(v4(fd.sip)) + "->" + ipv4(v4(fd.dip));
            }
            return "<unknown>";
        }
        if (fd.l4proto == FdInfo.L4_TCP || fd.l4proto == FdInfo.L4_UDP) {
            return endpoint(v6(fd.sip), fd.sport) + "->" + endpoint(v6(fd.dip), fd.dport);
        }
        if (fd.l4proto == FdInfo.L4_ICMP) {
            return ipv6(v6(fd.sip)) + "->" + ipv6(v6(fd.dip));
        }
        return "<unknown>";
    }

    static byte[] v4(byte[] a) {
        return a == null ? new byte[4] : a;
    }

    static byte[] v6(byte[] a) {
        return a == null ? new byte[16] : a;
    }
}
