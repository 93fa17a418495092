package io.peregrine.job.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Job options: defaults, Flink configuration keys, arguments over both. */
class StreamJobOptionsTest {

    @Test
    void defaultsMatchTheDocumentedTopics() {
        StreamJobOptions o = StreamJobOptions.parse(new String[0], Map.of());
        assertThat(o.eventsTopic()).isEqualTo("events");
        assertThat(o.rulesTopic()).isEqualTo("rules");
        assertThat(o.alertsTopic()).isEqualTo("alerts");
        assertThat(o.transactionTimeoutMs()).isLessThan(15 * 60 * 1000 + 1);
    }

    @Test
    void argumentsWinOverFlinkConfigurationKeys() {
        StreamJobOptions o = StreamJobOptions.parse(new String[] {"--events-topic", "from-args", "--kafka.security.protocol=SSL"},
                Map.of("peregrine.events-topic", "from-config", "peregrine.alerts-topic", "alerts-cfg",
                        "peregrine.kafka.client.id", "x", "taskmanager.numberOfTaskSlots", "2"));
        assertThat(o.eventsTopic()).isEqualTo("from-args");
        assertThat(o.alertsTopic()).isEqualTo("alerts-cfg");
        assertThat(o.kafkaProperties()).containsEntry("security.protocol", "SSL").containsEntry("client.id", "x");
    }

    @Test
    void unknownKeysAndBadNumbersAreNamed() {
        assertThatThrownBy(() -> StreamJobOptions.parse(new String[] {"--evnts-topic", "x"}, Map.of()))
                .hasMessageContaining("evnts-topic");
        assertThatThrownBy(() -> StreamJobOptions.parse(new String[] {"--idle-key-ms", "soon"}, Map.of()))
                .hasMessageContaining("idle-key-ms");
    }
}
