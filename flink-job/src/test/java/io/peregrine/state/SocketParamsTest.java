package io.peregrine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libscap's sockaddr and socket-tuple parameters decode to the ends libsinsp stores. */
class SocketParamsTest {

    private static final String V4_LOCALHOST = "7f000001";
    private static final String V6_LOCALHOST = "00000000000000000000000000000001";
    private static final String V4_MAPPED_LOCALHOST = "00000000000000000000ffff7f000001";
    private static final String PORT_80 = "5000";
    private static final String PORT_2345 = "2909";

    static Stream<Arguments> addresses() {
        return Stream.of(
                Arguments.of("IPv4", "02" + V4_LOCALHOST + PORT_80, "ipv4 127.0.0.1:80"),
                Arguments.of("IPv6", "0a" + V6_LOCALHOST + PORT_80, "ipv6 ::1:80"),
                Arguments.of("IPv4-mapped IPv6 comes out as IPv4", "0a" + V4_MAPPED_LOCALHOST + PORT_80, "ipv4 127.0.0.1:80"),
                Arguments.of("IPv4 cut short", "02" + V4_LOCALHOST, "none"),
                Arguments.of("IPv6 cut short", "0a" + V6_LOCALHOST, "none"),
                Arguments.of("unix", "012f746d702f73", "none"),
                Arguments.of("empty", "", "none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addresses")
    void decodesASockaddr(String what, String hex, String expected) {
        SocketParams.Endpoint e = SocketParams.address(HexFormat.of().parseHex(hex));
        assertThat(e == null ? "none" : (e.ipv4() ? "ipv4 " : "ipv6 ") + Addresses.endpoint(e.ip(), e.port()))
                .isEqualTo(expected);
    }

    static Stream<Arguments> tuples() {
        return Stream.of(
                Arguments.of("IPv4", "02" + V4_LOCALHOST + PORT_2345 + V4_LOCALHOST + PORT_80,
                        "ipv4 127.0.0.1:2345->127.0.0.1:80"),
                Arguments.of("IPv6", "0a" + V6_LOCALHOST + PORT_2345 + V6_LOCALHOST + PORT_80, "ipv6 ::1:2345->::1:80"),
                Arguments.of("both ends IPv4-mapped: IPv4", "0a" + V4_MAPPED_LOCALHOST + PORT_2345 + V4_MAPPED_LOCALHOST + PORT_80,
                        "ipv4 127.0.0.1:2345->127.0.0.1:80"),
                Arguments.of("one end mapped: stays IPv6", "0a" + V4_MAPPED_LOCALHOST + PORT_2345 + V6_LOCALHOST + PORT_80,
                        "ipv6 ::ffff:127.0.0.1:2345->::1:80"),
                Arguments.of("IPv4 cut short", "02" + V4_LOCALHOST + PORT_2345 + V4_LOCALHOST, "none"),
                Arguments.of("unix", "01" + "00".repeat(16), "none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tuples")
    void decodesASocketTuple(String what, String hex, String expected) {
        SocketParams.Tuple t = SocketParams.tuple(HexFormat.of().parseHex(hex));
        assertThat(t == null ? "none" : (t.ipv4() ? "ipv4 " : "ipv6 ") + Addresses.endpoint(t.sip(), t.sport()) + "->"
                + Addresses.endpoint(t.dip(), t.dport())).isEqualTo(expected);
    }
}
