package io.peregrine.shipper.proc;

import io.peregrine.capture.ScapFd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's sockets by inode, from /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix}, so that
 * {@code socket:[ino]} fds become typed entries as in libscap's /proc scan.
 */
final class SocketTable {

    private static final int TCP_LISTEN = 0x0A;

    private final Map<Long, Entry> byInode = new HashMap<>();

    /** A socket as the capture's fd list describes it (without the fd number). */
    record Entry(boolean ipv6, boolean listening, byte[] sip, int sport, byte[] dip, int dport, int l4proto,
            boolean unix, long unixSource, String path) {

        ScapFd toFd(long fd, long ino) {
            if (unix) {
                return ScapFd.unixSocket(fd, ino, unixSource, 0, path);
            }
            return listening ? ScapFd.serverSocket(fd, ino, sip, sport, l4proto)
                    : ScapFd.socket(fd, ino, sip, sport, dip, dport, l4proto);
        }
    }

    static SocketTable read(Path procRoot) {
        SocketTable t = new SocketTable();
        t.readInet(procRoot.resolve("net/tcp"), false, ScapFd.L4_TCP);
        t.readInet(procRoot.resolve("net/tcp6"), true, ScapFd.L4_TCP);
        t.readInet(procRoot.resolve("net/udp"), false, ScapFd.L4_UDP);
        t.readInet(procRoot.resolve("net/udp6"), true, ScapFd.L4_UDP);
        t.readInet(procRoot.resolve("net/raw"), false, ScapFd.L4_RAW);
        t.readInet(procRoot.resolve("net/raw6"), true, ScapFd.L4_RAW);
        t.readUnix(procRoot.resolve("net/unix"));
        return t;
    }

    Entry get(long inode) {
        return byInode.get(inode);
    }

    private void readInet(Path file, boolean v6, int proto) {
        for (String line : lines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue;
            }
            try {
                String[] local = f[1].split(":");
                String[] remote = f[2].split(":");
                int state = Integer.parseInt(f[3], 16);
                long inode = Long.parseLong(f[9]);
                boolean listening = proto == ScapFd.L4_TCP ? state == TCP_LISTEN
                        : remote[1].equals("0000") && isZero(remote[0]);
                byte[] sip = addr(local[0]);
                byte[] dip = addr(remote[0]);
                if (v6 && v4Mapped(sip, dip)) { // libscap reports v4-mapped IPv6 sockets as IPv4
                    sip = Arrays.copyOfRange(sip, 12, 16);
                    dip = Arrays.copyOfRange(dip, 12, 16);
                }
                byInode.put(inode, new Entry(sip.length == 16, listening, sip, Integer.parseInt(local[1], 16),
                        dip, Integer.parseInt(remote[1], 16), proto, false, 0, ""));
            } catch (RuntimeException e) {
                // a line in a format we do not know: skip it, the fd stays untyped
            }
        }
    }

    private void readUnix(Path file) {
        for (String line : lines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 7 || !f[0].endsWith(":")) {
                continue;
            }
            try {
                long kernelAddr = Long.parseUnsignedLong(f[0].substring(0, f[0].length() - 1), 16);
                long inode = Long.parseLong(f[6]);
                String path = f.length > 7 ? f[7] : "";
                byInode.put(inode, new Entry(false, false, null, 0, null, 0, 0, true, kernelAddr, path));
            } catch (RuntimeException e) {
                // skip
            }
        }
    }

    /** /proc/net prints each 32-bit word of an address as a host-order hex number. */
    static byte[] addr(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            long v = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            for (int i = 0; i < 4; i++) {
                out[word * 4 + i] = (byte) (v >>> (8 * i));
            }
        }
        return out;
    }

    private static boolean v4Mapped(byte[] a, byte[] b) {
        return (isMapped(a) || isZero(a)) && (isMapped(b) || isZero(b)) && (isMapped(a) || isMapped(b));
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static boolean isZero(byte[] a) {
        for (byte x : a) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
