package io.peregrine.shipper.proc;

import io.peregrine.capture.MachineInfo;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapInterface;
import io.peregrine.capture.ScapUser;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The host-wide tables a capture starts with: machine info, network interfaces, users and groups. */
public final class HostTables {

    private HostTables() {
    }

    /** This machine, with {@code bootTsEpochNs} as its boot time. */
    public static MachineInfo machine(long bootTsEpochNs) {
        long memKb = 0;
        for (String line : lines(Paths.get("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        long maxPid = 0;
        try {
            maxPid = Long.parseLong(Files.readString(Paths.get("/proc/sys/kernel/pid_max")).trim());
        } catch (IOException | NumberFormatException e) {
            // unknown: 0, as libscap leaves it when it cannot read it
        }
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memKb * 1024, maxPid, hostname(),
                bootTsEpochNs, 0, 0, 0);
    }

    public static String hostname() {
        try {
            return Files.readString(Paths.get("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** IPv4 and IPv6 addresses of every interface that is up. */
    public static List<ScapInterface> interfaces() {
        List<ScapInterface> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                    InetAddress ip = a.getAddress();
                    int bits = ip instanceof Inet4Address ? 32 : 128;
                    byte[] mask = prefixMask(a.getNetworkPrefixLength(), bits / 8);
                    byte[] bcast = a.getBroadcast() == null ? new byte[bits / 8] : a.getBroadcast().getAddress();
                    out.add(new ScapInterface(nif.getName(), ip.getAddress(), mask, bcast, 0));
                }
            }
        } catch (IOException e) {
            // no interfaces readable: an empty list, sysdig copes
        }
        return out;
    }

    public static List<ScapUser> users() {
        List<ScapUser> out = new ArrayList<>();
        for (String line : lines(Paths.get("/etc/passwd"))) {
            String[] f = line.split(":", -1);
            if (f.length >= 7) {
                try {
                    out.add(new ScapUser(Long.parseLong(f[2]), Long.parseLong(f[3]), f[0], f[5], f[6]));
                } catch (NumberFormatException e) {
                    // a malformed line: skip it
                }
            }
        }
        return out;
    }

    public static List<ScapGroup> groups() {
        List<ScapGroup> out = new ArrayList<>();
        for (String line : lines(Paths.get("/etc/group"))) {
            String[] f = line.split(":", -1);
            if (f.length >= 3) {
                try {
                    out.add(new ScapGroup(Long.parseLong(f[2]), f[0]));
                } catch (NumberFormatException e) {
                    // skip
                }
            }
        }
        return out;
    }

    private static byte[] prefixMask(int prefix, int bytes) {
        byte[] m = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int bits = Math.max(0, Math.min(8, prefix - 8 * i));
            m[i] = (byte) (0xff << (8 - bits));
        }
        return m;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }
}
