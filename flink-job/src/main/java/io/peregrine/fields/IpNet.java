package io.peregrine.fields;

import java.util.Arrays;

/** An IPv4 or IPv6 network: address bytes and prefix length. */
public record IpNet(byte[] address, int prefixLength) {

    /** Whether {@code candidate} (4 or 16 bytes) lies inside this network. */
    public boolean contains(byte[] candidate) {
        if (candidate.length != address.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != address[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (address[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNet other && prefixLength == other.prefixLength
                && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefixLength;
    }
}
