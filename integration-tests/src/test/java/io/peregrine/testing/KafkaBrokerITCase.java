package io.peregrine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void producesAndConsumesOnLoopback(KafkaBroker broker) {
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        broker.createTopic("plain", 3);
        for (int i = 0; i < 30; i++) {
            broker.produce("plain", "k" + i, "v" + i);
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.consumeCommitted("plain", 30, Duration.ofSeconds(30));
        assertThat(records).hasSize(30);
        assertThat(records).extracting(r -> text(r.value())).contains("v0", "v29");
    }

    @Test
    void createsCompactedTopics(KafkaBroker broker) throws Exception {
        broker.createCompactedTopic("rules", 1);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "rules");
        ConfigEntry policy = broker.admin().describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy");
        assertThat(policy.value()).isEqualTo("compact");
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnlyAndAllowsHourLongTransactions(KafkaBroker broker) {
        broker.createTopic("tx", 1);
        Properties p = broker.producerProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx");
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(KafkaBroker.TRANSACTION_MAX_TIMEOUT_MS));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "aborted".getBytes(StandardCharsets.UTF_8)));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "committed".getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "open".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            assertThat(broker.consumeAllCommitted("tx", Duration.ofSeconds(30)))
                    .extracting(r -> text(r.value())).containsExactly("committed");
            producer.commitTransaction();
        }
        assertThat(broker.consumeCommitted("tx", 2, Duration.ofSeconds(30)))
                .extracting(r -> text(r.value())).containsExactly("committed", "open");
    }

    @Test
    void startsASecondIndependentBroker() {
        try (KafkaBroker other = KafkaBroker.start(Map.of("auto.create.topics.enable", "false"))) {
            assertThat(other.bootstrapServers()).isNotEqualTo(KAFKA.broker().bootstrapServers());
            other.createTopic("t", 1);
            other.produce("t", null, "x");
            assertThat(other.consumeCommitted("t", 1, Duration.ofSeconds(30))).hasSize(1);
        }
    }
}
