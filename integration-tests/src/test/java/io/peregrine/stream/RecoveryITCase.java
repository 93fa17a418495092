package io.peregrine.stream;

import static io.peregrine.stream.StreamFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.peregrine.avro.EventBatch;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.job.stream.StreamingJob;
import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import io.peregrine.testing.FlinkJobControl;
import io.peregrine.testing.FlinkMiniCluster;
import io.peregrine.testing.KafkaBroker;
import io.peregrine.testing.KafkaBrokerExtension;
import io.peregrine.testing.LiveTaskManagers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job survives failures and upgrades without losing or repeating an alert: TaskManagers lost
 * at random points mid-stream, and a stop with savepoint restored at another parallelism with the
 * process tables intact.
 */
class RecoveryITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** One slot per TaskManager: the job at parallelism 2 runs on both, so every TaskManager lost fails it. */
    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(2, 1);

    /**
     * Rules that fire often on the corpus, with outputs that read process ancestry and fd state: the
     * ruleset flink-job's persistence tests use (one file for both; tests run in the module
     * directory, so the sibling module's test resource is at a fixed relative path).
     */
    private static final String RULES = readRules(Path.of("..", "flink-job", "src", "test", "resources", "io",
            "peregrine", "job", "stream", "state-probing-rules.yaml"));

    private static String readRules(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the shared test ruleset " + file.toAbsolutePath(), e);
        }
    }

    @Test
    void everyAlertExactlyOnceAcrossThreeTaskManagerLosses(@InjectMiniCluster MiniCluster cluster) throws Exception {
        KafkaBroker broker = KAFKA.broker();
        StreamJobOptions o = options(broker, "eo-", "--idle-key-ms", "3153600000000");
        createTopics(broker, o, 4);
        List<EventBatch> input = new ArrayList<>();
        for (int copy = 0; copy < 12; copy++) {
            for (Path capture : captures()) {
                input.addAll(batches(capture, "c" + copy + "-" + capture.getFileName(), 16));
            }
        }
        List<String> expected = offline(input);
        assertThat(expected).hasSizeGreaterThan(200);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamingJob.build(env, o);
        JobClient job = env.executeAsync("exactly-once");
        FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        pushRules(broker, o, "eo", RULES);
        assertThat(awaitStatus(broker, o, "eo").getOk()).isTrue();

        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try {
                trickle(broker, o.eventsTopic(), input, 3, 25);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long seed = Long.getLong("peregrine.it.seed", System.nanoTime());
        System.out.println("RecoveryITCase seed " + seed + " (-Dperegrine.it.seed=N picks the same TaskManagers and pauses)");
        Random random = new Random(seed);
        LiveTaskManagers taskManagers = new LiveTaskManagers(cluster, 2);
        int failures = Integer.getInteger("peregrine.it.failures", 3);
        for (int failure = 0; failure < failures; failure++) {
            Thread.sleep(300 + random.nextInt(1200));
            FlinkJobControl.awaitNewCheckpoint(cluster, job.getJobID());
            taskManagers.loseOne(random);
            FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        }
        producing.join();
        assertThat(FlinkJobControl.restarts(cluster, job.getJobID())).as("restarts the lost TaskManagers caused")
                .isGreaterThanOrEqualTo(failures);

        List<JsonNode> alerts = awaitAlerts(broker, o, a -> true, expected.size());
        FlinkJobControl.awaitNewCheckpoint(cluster, job.getJobID());
        alerts = committedAlerts(broker, o);
        job.cancel().get();
        assertThat(broker.consumeAllCommitted(o.deadLetterTopic(), java.time.Duration.ofSeconds(5)))
                .extracting(r -> new String(r.headers().lastHeader("peregrine.reason").value(),
                        java.nio.charset.StandardCharsets.UTF_8))
                .as("dead letters").isEmpty();
        assertThat(alerts.stream().map(RecoveryITCase::identity).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void processTablesSurviveStopWithSavepointAndRescaledRestore(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        KafkaBroker broker = KAFKA.broker();
        StreamJobOptions o = options(broker, "sp-", "--idle-key-ms", "3153600000000");
        createTopics(broker, o, 2);
        List<EventBatch> input = batches(corpus().resolve("scap/falco/cat_write.scap"), "sp", 8);
        List<String> expected = offline(input);
        int cut = 2;

        StreamExecutionEnvironment first = StreamExecutionEnvironment.getExecutionEnvironment();
        first.setParallelism(2);
        StreamingJob.build(first, o);
        JobClient job = first.executeAsync("before-savepoint");
        FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        pushRules(broker, o, "sp", RULES);
        assertThat(awaitStatus(broker, o, "sp").getOk()).isTrue();
        trickle(broker, o.eventsTopic(), input.subList(0, cut), 1, 10);
        long before = offline(input.subList(0, cut)).size();
        awaitAlerts(broker, o, a -> true, before);
        String savepoint = FlinkJobControl.stopWithSavepoint(cluster, job.getJobID(), FLINK.savepointDir());

        // The rules topic is emptied of meaning: the restored job must take its ruleset from broadcast state.
        pushRules(broker, o, "unrelated-garbage-version", "- this is: [not valid");
        StreamExecutionEnvironment second = FlinkJobControl.restoringFrom(savepoint);
        second.setParallelism(1);
        StreamingJob.build(second, o);
        JobClient restored = second.executeAsync("after-restore");
        FlinkJobControl.awaitAllTasksRunning(cluster, restored.getJobID());
        trickle(broker, o.eventsTopic(), input.subList(cut, input.size()), 1, 10);
        List<JsonNode> alerts = awaitAlerts(broker, o, a -> true, expected.size());
        FlinkJobControl.awaitNewCheckpoint(cluster, restored.getJobID());
        alerts = committedAlerts(broker, o);
        restored.cancel().get();

        assertThat(alerts.stream().map(RecoveryITCase::identity).toList()).containsExactlyInAnyOrderElementsOf(expected);
        List<JsonNode> afterRestore = alerts.subList((int) before, alerts.size());
        assertThat(afterRestore).filteredOn(a -> a.get("rule").asText().equals("File opened"))
                .isNotEmpty()
                .allSatisfy(a -> {
                    assertThat(a.at("/output_fields/proc.pname").asText()).isEqualTo("bash");
                    assertThat(a.at("/output_fields/proc.aname[2]").asText()).isEqualTo("emacs");
                });
    }

    /** What identifies an alert: host, rule, time and output. */
    private static String identity(JsonNode alert) {
        return alert.path("hostname").asText() + " | " + alert.path("rule").asText() + " | "
                + alert.path("time").asText() + " | " + alert.path("output").asText();
    }

    /** The offline replay's alerts on {@code input}, rendered as the job renders them. */
    private static List<String> offline(List<EventBatch> input) {
        RulesetActivation rules = RulesetActivation.compile(RulesetRecords.of(Map.of("rules.yaml", RULES), "x", null),
                DetectionSettings.of(List.of()));
        assertThat(rules.errors()).isEmpty();
        AlertFormatter json = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true).withTimeFormatIso8601(true));
        Map<String, LocalReplay> byHost = new java.util.HashMap<>();
        List<String> out = new ArrayList<>();
        for (EventBatch b : input) {
            String host = b.getHost().toString();
            byHost.computeIfAbsent(host, h -> new LocalReplay(rules.rules(), rules.settings().withHostname(h)))
                    .apply(b, a -> out.add(identity(json(json.line(a).getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        }
        return out;
    }
}
