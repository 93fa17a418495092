package io.peregrine.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Alerts travel between Flink operators and sit in Flink state, so Flink's own serializer for the
 * type must round-trip them. (The output package itself stays free of Flink.)
 */
class AlertFlinkSerializationTest {

    @Test
    void flinksSerializerRoundTripsAnAlert() throws Exception {
        Alert alert = Alert.builder().timeNs(1470327477881781397L).rule("open_from_cat").priority(Priority.WARNING)
                .hostname("h").output("An open was seen (command=cat /dev/null)")
                .field("proc.cmdline", "cat /dev/null").field("fd.name", null).field("proc.pid", 42L)
                .field("proc.vmsize", new BigInteger("18446744073709551615")).field("evt.is_io", true)
                .tags("filesystem", "process").rulesetVersion("v7").build();
        TypeSerializer<Alert> serializer = TypeInformation.of(Alert.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(alert, out);
        Alert back = serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(back).isEqualTo(alert);
        assertThat(new AlertFormatter(AlertFormat.falcoDefaults().withJson(true)).line(back))
                .isEqualTo(new AlertFormatter(AlertFormat.falcoDefaults().withJson(true)).line(alert));
        assertThat(serializer.copy(alert)).isEqualTo(alert);
    }
}
