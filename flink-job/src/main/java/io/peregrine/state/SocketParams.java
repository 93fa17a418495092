package io.peregrine.state;

/**
 * libscap's socket parameters, decoded in one place for every parser that fills an fd from them:
 * a sockaddr ({@code bind}, {@code connect} enter, {@code sendto}: family byte, then an IPv4 address
 * and port, or an IPv6 address and port) and a socket tuple ({@code connect}/{@code accept} exits,
 * reads and writes: family byte, then source address and port, destination address and port).
 * IPv4-mapped IPv6 addresses come out as IPv4, as libsinsp stores them.
 */
final class SocketParams {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private SocketParams() {
    }

    /** One end: a 4- or 16-byte address and a port. */
    record Endpoint(boolean ipv4, byte[] ip, int port) {
    }

    /** Both ends of a connection; {@code ipv4} when the tuple is IPv4 or both ends are IPv4-mapped. */
    record Tuple(boolean ipv4, byte[] sip, int sport, byte[] dip, int dport) {

        FdType socketType() {
            return ipv4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
        }
    }

    /** The IP end a sockaddr names, or null for another family or a sockaddr too short for its family. */
    static Endpoint address(byte[] addr) {
        if (addr == null || addr.length == 0) {
            return null;
        }
        if (addr[0] == AF_INET && addr.length >= 7) {
            return new Endpoint(true, EventParams.slice(addr, 1, 4), EventParams.u16(addr, 5));
        }
        if (addr[0] == AF_INET6 && addr.length >= 19) {
            int port = EventParams.u16(addr, 17);
            return Addresses.isIpv4MappedIpv6(addr, 1)
                    ? new Endpoint(true, EventParams.slice(addr, 13, 4), port)
                    : new Endpoint(false, EventParams.slice(addr, 1, 16), port);
        }
        return null;
    }

    /** The IP ends a socket tuple names, or null for another family or a tuple too short for its family. */
    static Tuple tuple(byte[] tuple) {
        if (tuple == null || tuple.length == 0) {
            return null;
        }
        if (tuple[0] == AF_INET && tuple.length >= 13) {
            return new Tuple(true, EventParams.slice(tuple, 1, 4), EventParams.u16(tuple, 5),
                    EventParams.slice(tuple, 7, 4), EventParams.u16(tuple, 11));
        }
        if (tuple[0] == AF_INET6 && tuple.length >= 37) {
            int sport = EventParams.u16(tuple, 17);
            int dport = EventParams.u16(tuple, 35);
            return Addresses.isIpv4MappedIpv6(tuple, 1) && Addresses.isIpv4MappedIpv6(tuple, 19)
                    ? new Tuple(true, EventParams.slice(tuple, 13, 4), sport, EventParams.slice(tuple, 31, 4), dport)
                    : new Tuple(false, EventParams.slice(tuple, 1, 16), sport, EventParams.slice(tuple, 19, 16), dport);
        }
        return null;
    }

    /** A unix socket's kernel endpoints (source, then destination), when the parameter holds both. */
    static void setUnixEnds(FdInfo fd, byte[] param) {
        if (param.length >= 17) {
            fd.unixSource = EventParams.u64(param, 1);
            fd.unixDest = EventParams.u64(param, 9);
        }
    }
}
