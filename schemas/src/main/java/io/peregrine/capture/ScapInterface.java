package io.peregrine.capture;

import java.util.Arrays;

/**
 * One network interface address from a capture's interface list (IL block): IPv4 ({@code addr},
 * {@code netmask}, {@code bcast} of 4 bytes) or IPv6 (16 bytes), raw as libscap stores them, and the
 * link speed (0 when the capture did not record it).
 */
public record ScapInterface(String name, byte[] addr, byte[] netmask, byte[] bcast, long linkSpeed) {

    public boolean isIpv6() {
        return addr.length == 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScapInterface i && name.equals(i.name) && Arrays.equals(addr, i.addr)
                && Arrays.equals(netmask, i.netmask) && Arrays.equals(bcast, i.bcast) && linkSpeed == i.linkSpeed;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(addr);
    }
}
