package io.peregrine.sink;

import static io.peregrine.sink.SinkTestAlerts.TEXT_ISO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.output.Alert;
import io.peregrine.output.Priority;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyslogSinkTest {

    /** Alert {@code n} at {@code priority}, with the same text as {@link SinkTestAlerts#numbered}. */
    private static Alert alert(int n, Priority priority) {
        return Alert.builder().timeNs(n * 1_000_000_000L).rule("r").priority(priority).output("alert " + n).build();
    }

    @Test
    void sendsEachAlertAtItsPriorityWithFacilityUserAndTheFalcoTag() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/logger")), "util-linux logger");
        try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            syslog.setSoTimeout(10_000);
            List<String> target = List.of("-d", "-n", "127.0.0.1", "-P", Integer.toString(syslog.getLocalPort()));
            try (SyslogSink sink = new SyslogSink("falco", target, TEXT_ISO)) {
                sink.accept(alert(1, Priority.WARNING));
                sink.accept(alert(2, Priority.CRITICAL));
                sink.accept(alert(3, Priority.WARNING));
                sink.flush();
                List<String> received = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
                    syslog.receive(packet);
                    received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                }
                // <PRI> is facility user (1) * 8 + Falco's priority number, which is the syslog level.
                Map<String, String> expectedPriByLine = Map.of(
                        alertLine(1, Priority.WARNING), "<12>",
                        alertLine(2, Priority.CRITICAL), "<10>",
                        alertLine(3, Priority.WARNING), "<12>");
                assertThat(received).hasSize(3).allSatisfy(m -> assertThat(m).contains(" falco"));
                expectedPriByLine.forEach((line, pri) -> assertThat(received)
                        .anySatisfy(m -> assertThat(m).startsWith(pri).endsWith(line)));
                assertThat(sink.counters().snapshot().sent()).isEqualTo(3);
            }
        }
    }

    private static String alertLine(int n, Priority priority) {
        return TEXT_ISO.line(alert(n, priority));
    }

    @Test
    void rejectsTagsAndArgumentsThatWouldReachTheShell() {
        assertThatThrownBy(() -> new SyslogSink("falco; rm -rf /", TEXT_ISO)).hasMessageContaining("syslog_output.tag");
        assertThatThrownBy(() -> new SyslogSink("falco", List.of("$(id)"), TEXT_ISO)).hasMessageContaining("logger");
    }
}
