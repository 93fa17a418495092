package io.peregrine.stream;

import static io.peregrine.stream.StreamFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.LocalReplay;
import io.peregrine.job.rules.RulesetActivation;
import io.peregrine.job.rules.RulesetRecords;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.job.stream.StreamingJob;
import io.peregrine.testing.FlinkJobControl;
import io.peregrine.testing.FlinkMiniCluster;
import io.peregrine.testing.KafkaBroker;
import io.peregrine.testing.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Benchmark, not a test (skipped unless {@code -Dperegrine.bench=true}): events per second through
 * the whole job (Kafka "events" to Kafka "alerts", exactly once, RocksDB) at parallelism 1 with the
 * HEAD stable Falco rules, and state bytes per tracked process (canonical savepoint size over the
 * threads the tables hold). The input is the corpus captures under many host names, written to
 * Kafka before the job starts, so the figure is the job's, not the producer's.
 *
 * <pre>
 * mvn -B -o -pl integration-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=StreamingThroughputBenchITCase -Dperegrine.bench=true [-Dperegrine.bench.hosts=100]
 * </pre>
 * The default of 100 hosts (827,300 events) fits the test JVM's heap; 400 did not.
 */
class StreamingThroughputBenchITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(1, 1);

    @Test
    void eventsPerSecondPerCoreAndStateBytesPerProcess(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("peregrine.bench"), "benchmark: run with -Dperegrine.bench=true");
        int hosts = Integer.getInteger("peregrine.bench.hosts", 100);
        KafkaBroker broker = KAFKA.broker();
        StreamJobOptions o = options(broker, "bench-", "--checkpoint-interval-ms", "1000", "--idle-key-ms", "3153600000000");
        createTopics(broker, o, 1);
        String rules = Files.readString(corpus().resolve("rules/falcosecurity-rules-HEAD/falco_rules.yaml"));
        RulesetActivation head = RulesetActivation.compile(RulesetRecords.of(Map.of("falco_rules.yaml", rules), "head", null),
                DetectionSettings.of(List.of()));
        assertThat(head.errors()).as("HEAD rules load").isEmpty();

        List<EventBatch> input = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            for (Path capture : captures()) {
                input.addAll(batches(capture, "b" + h + "-" + capture.getFileName(), 1024));
            }
        }
        long events = input.stream().mapToLong(b -> b.getEvents().size()).sum();
        LocalReplay offline = new LocalReplay(head.rules(), head.settings());
        long[] alerts = {0};
        input.forEach(b -> offline.apply(b, a -> alerts[0]++));
        long threads = offline.engines().values().stream().mapToLong(k -> k.state().threads().size()).sum();

        pushRules(broker, o, "head", rules);
        broker.produce(input.stream().map(b -> record(o.eventsTopic(), b)).toList());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamingJob.build(env, o);
        long start = System.nanoTime();
        JobClient job = env.executeAsync("throughput");
        FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        JobProgress.awaitConsumed(broker, o.groupId(), o.eventsTopic(), Duration.ofMinutes(20));
        double seconds = (System.nanoTime() - start) / 1e9;
        String savepoint = cluster.triggerSavepoint(job.getJobID(), FLINK.savepointDir().toUri().toString(), false,
                SavepointFormatType.CANONICAL).get(5, TimeUnit.MINUTES);
        long stateBytes = JobProgress.size(savepoint);
        job.cancel().get();
        System.out.printf("BENCH events=%d batches=%d alerts(offline)=%d seconds=%.1f (incl. job start) events/s/core=%.0f "
                        + "threads=%d savepointBytes=%d bytes/thread=%.0f%n",
                events, input.size(), alerts[0], seconds, events / seconds, threads, stateBytes,
                (double) stateBytes / Math.max(1, threads));
    }
}
