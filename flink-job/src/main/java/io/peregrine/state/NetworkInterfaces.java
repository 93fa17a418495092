package io.peregrine.state;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The machine's network interfaces, for libsinsp's guesses about sockets: which end of a tuple is
 * local ({@code fd.lip}, {@code fd.is_server}) and which source address an unbound UDP socket
 * really uses ({@code sinsp_network_interfaces}).
 */
public final class NetworkInterfaces implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final byte[] IPV4_LOOPBACK = {127, 0, 0, 1};
    private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private final List<byte[][]> ipv4 = new ArrayList<>();
    private final List<byte[]> ipv6 = new ArrayList<>();

    /** Adds an interface address; {@code netmask} may be null (then the address alone is matched). */
    public void add(byte[] address, byte[] netmask) {
        if (address == null) {
            return;
        }
        if (address.length == 4) {
            ipv4.add(new byte[][] {address.clone(), netmask == null || netmask.length != 4 ? new byte[] {-1, -1, -1, -1}
                    : netmask.clone()});
        } else if (address.length == 16) {
            ipv6.add(address.clone());
        }
    }

    /** libsinsp's is_ipv4/6addr_in_local_machine, for a thread on the host or in container {@code container}. */
    public boolean isLocal(byte[] address, ContainerInfo container, boolean inContainer) {
        if (address == null) {
            return false;
        }
        if (address.length == 16) {
            if (inContainer) {
                return false;
            }
            for (byte[] a : ipv6) {
                if (sameSubnet(a, address)) {
                    return true;
                }
            }
            return false;
        }
        if (inContainer && container != null && container.ip != null && Arrays.equals(container.ip, address)) {
            return true;
        }
        for (byte[][] a : ipv4) {
            if (Arrays.equals(a[0], address)) {
                return true;
            }
        }
        return false;
    }

    /** libsinsp's update_fd: fills a missing (all-zero) end of an IP tuple with the likely interface address. */
    void fillMissingEnd(FdInfo fd) {
        if (fd.type != FdType.IPV4_SOCK && fd.type != FdType.IPV6_SOCK) {
            return;
        }
        boolean v4 = fd.type == FdType.IPV4_SOCK;
        byte[] sip = fd.sip == null ? new byte[v4 ? 4 : 16] : fd.sip;
        byte[] dip = fd.dip == null ? new byte[v4 ? 4 : 16] : fd.dip;
        boolean sipEmpty = isZero(sip);
        boolean dipEmpty = isZero(dip);
        if (!sipEmpty && !dipEmpty) {
            return;
        }
        if (sipEmpty) {
            byte[] inferred = v4 ? inferIpv4(dip) : inferIpv6(dip);
            if (Arrays.equals(inferred, dip) && fd.sport == fd.dport) {
                return;
            }
            fd.sip = inferred;
        } else {
            byte[] inferred = v4 ? inferIpv4(sip) : inferIpv6(sip);
            if (Arrays.equals(inferred, sip) && fd.sport == fd.dport) {
                return;
            }
            fd.dip = inferred;
        }
    }

    private byte[] inferIpv4(byte[] destination) {
        for (byte[][] a : ipv4) {
            if (Arrays.equals(a[0], destination)) {
                return a[0].clone();
            }
        }
        for (byte[][] a : ipv4) {
            boolean same = true;
            for (int i = 0; i < 4; i++) {
                same &= (a[0][i] & a[1][i]) == (destination[i] & a[1][i]);
            }
            if (same) {
                return a[0].clone();
            }
        }
        for (byte[][] a : ipv4) {
            if (!Arrays.equals(a[0], IPV4_LOOPBACK)) {
                return a[0].clone();
            }
        }
        return new byte[4];
    }

    private byte[] inferIpv6(byte[] destination) {
        for (byte[] a : ipv6) {
            if (Arrays.equals(a, destination)) {
                return a.clone();
            }
        }
        for (byte[] a : ipv6) {
            if (sameSubnet(a, destination)) {
                return a.clone();
            }
        }
        for (byte[] a : ipv6) {
            if (!Arrays.equals(a, IPV6_LOOPBACK)) {
                return a.clone();
            }
        }
        return new byte[16];
    }

    /** libsinsp's ipv6addr::in_subnet: the first 64 bits match. */
    private static boolean sameSubnet(byte[] a, byte[] b) {
        for (int i = 0; i < 8; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
