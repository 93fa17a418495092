package io.peregrine.stream;

import static io.peregrine.stream.StreamFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.EventTypeSet;
import io.peregrine.avro.RulesetStatus;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.job.stream.StreamingJob;
import io.peregrine.testing.FlinkJobControl;
import io.peregrine.testing.FlinkMiniCluster;
import io.peregrine.testing.KafkaBroker;
import io.peregrine.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules change under traffic without a restart, a bad ruleset is refused while the last good one
 * keeps alerting, and a poison record goes to the dead-letter topic while the job carries on.
 */
class HotReloadAndDeadLetterITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(1, 2);

    private static final String OPENS = "evt.type in (open, openat, openat2) and evt.dir=<";
    private static final String RULE_A = rule("Open seen by A", OPENS);
    private static final String RULE_B = rule("Open seen by B", OPENS);
    private static final String INVALID = "- rule: Broken\n  desc: x\n  condition: evt.type = open and (\n"
            + "  output: x\n  priority: WARNING\n";

    private static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: test rule\n  condition: " + condition + "\n"
                + "  output: \"%proc.name opened %fd.name (parent %proc.pname)\"\n  priority: WARNING\n";
    }

    @Test
    void newRulesFireOldStopInvalidIsRejectedAndPoisonIsDeadLettered(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        KafkaBroker broker = KAFKA.broker();
        StreamJobOptions o = options(broker, "reload-");
        createTopics(broker, o, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamingJob.build(env, o);
        JobClient job = env.executeAsync("hot-reload");
        FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        java.nio.file.Path capture = corpus().resolve("scap/falco/cat_write.scap");

        pushRules(broker, o, "v1", RULE_A);
        assertThat(awaitStatus(broker, o, "v1").getOk()).isTrue();
        List<EventBatch> h1 = batches(capture, "h1", 64);
        long perHost = offlineAlerts(RULE_A, h1);
        assertThat(perHost).isPositive();
        trickle(broker, o.eventsTopic(), h1, 2, 20);
        awaitAlerts(broker, o, a -> host(a).equals("h1"), perHost);

        pushRules(broker, o, "v2", RULE_B);
        assertThat(awaitStatus(broker, o, "v2").getOk()).isTrue();
        trickle(broker, o.eventsTopic(), batches(capture, "h2", 64), 2, 20);
        List<JsonNode> afterSwap = awaitAlerts(broker, o, a -> host(a).equals("h2"), perHost);
        assertThat(afterSwap).filteredOn(a -> host(a).equals("h2")).extracting(a -> a.get("rule").asText())
                .containsOnly("Open seen by B").hasSize((int) perHost);

        pushRules(broker, o, "v3", INVALID);
        RulesetStatus rejected = awaitStatus(broker, o, "v3");
        assertThat(rejected.getOk()).isFalse();
        assertThat(rejected.getErrors()).isNotEmpty();
        assertThat(rejected.getActiveVersion().toString()).isEqualTo("v2");

        broker.produce(o.eventsTopic(), "h3/", "this is not an EventBatch");
        trickle(broker, o.eventsTopic(), batches(capture, "h3", 64), 2, 20);
        List<JsonNode> afterReject = awaitAlerts(broker, o, a -> host(a).equals("h3"), perHost);
        assertThat(afterReject).filteredOn(a -> host(a).equals("h3")).extracting(a -> a.get("rule").asText())
                .containsOnly("Open seen by B").hasSize((int) perHost);
        assertThat(afterReject).filteredOn(a -> host(a).equals("h1")).extracting(a -> a.get("rule").asText())
                .containsOnly("Open seen by A").hasSize((int) perHost);

        List<ConsumerRecord<byte[], byte[]>> dead = broker.consumeCommitted(o.deadLetterTopic(), 1, Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("this is not an EventBatch");
        assertThat(new String(dead.get(0).headers().lastHeader("peregrine.reason").value(), StandardCharsets.UTF_8))
                .contains("not an EventBatch");

        List<ConsumerRecord<byte[], byte[]>> control = broker.consumeCommitted(o.controlTopic(), 2, Duration.ofSeconds(30));
        assertThat(control).extracting(r -> RulesetRecords.AvroBytes.decode(r.value(),
                new SpecificDatumReader<>(EventTypeSet.class), "EventTypeSet"))
                .extracting(s -> s.getRulesetVersion().toString()).containsExactly("v1", "v2");
        EventTypeSet types = RulesetRecords.AvroBytes.decode(control.get(1).value(),
                new SpecificDatumReader<>(EventTypeSet.class), "EventTypeSet");
        assertThat(types.getNames()).extracting(CharSequence::toString).contains("openat", "clone", "execve", "close");
        assertThat(types.getAllEvents()).isFalse();
        job.cancel().get();
    }

    private static String host(JsonNode alert) {
        return alert.path("hostname").asText();
    }
}
