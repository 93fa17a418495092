package io.peregrine.stream;

import static io.peregrine.stream.StreamFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.avro.EventBatch;
import io.peregrine.job.stream.StreamJobOptions;
import io.peregrine.job.stream.StreamingJob;
import io.peregrine.testing.FlinkJobControl;
import io.peregrine.testing.FlinkMiniCluster;
import io.peregrine.testing.KafkaBroker;
import io.peregrine.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Processes that exit leave the tables: after a million short-lived processes the job's live state
 * (measured as canonical savepoints, which hold live entries only) is near what it was after the
 * first thousand. {@code -Dperegrine.bounded.processes=N} changes the count.
 */
class BoundedStateITCase {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final FlinkMiniCluster FLINK = new FlinkMiniCluster(1, 2);

    private static final int PROCESSES = Integer.getInteger("peregrine.bounded.processes", 1_000_000);
    private static final int BASELINE = 1_000;

    @Test
    void aMillionShortLivedProcessesLeaveStateNearItsBaseline(@InjectMiniCluster MiniCluster cluster) throws Exception {
        KafkaBroker broker = KAFKA.broker();
        StreamJobOptions o = options(broker, "bounded-", "--checkpoint-interval-ms", "1000");
        createTopics(broker, o, 2);
        ShortLivedProcesses generator = new ShortLivedProcesses(corpus().resolve("scap/falco/cat_write.scap"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamingJob.build(env, o);
        JobClient job = env.executeAsync("bounded-state");
        FlinkJobControl.awaitAllTasksRunning(cluster, job.getJobID());
        pushRules(broker, o, "bounded", "- rule: Cat opened\n  desc: x\n  condition: evt.type = open and evt.dir=< and proc.name = cat\n"
                + "  output: \"%proc.name %fd.name\"\n  priority: DEBUG\n");
        assertThat(awaitStatus(broker, o, "bounded").getOk()).isTrue();

        produce(broker, o, generator.batches(0, BASELINE, 1000, 8));
        JobProgress.awaitConsumed(broker, o.groupId(), o.eventsTopic(), Duration.ofMinutes(2));
        long baseline = savepointBytes(cluster, job);

        long start = System.nanoTime();
        for (int from = BASELINE; from < PROCESSES; from += 50_000) {
            produce(broker, o, generator.batches(from, Math.min(from + 50_000, PROCESSES), 1000, 8));
        }
        JobProgress.awaitConsumed(broker, o.groupId(), o.eventsTopic(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = savepointBytes(cluster, job);
        job.cancel().get();
        System.out.printf("bounded state: %d processes (%d events) in %.1f s; savepoint %d bytes after %d processes, %d after %d%n",
                PROCESSES, (long) PROCESSES * generator.eventsPerProcess(), seconds, baseline, BASELINE, after, PROCESSES);
        assertThat(after).isLessThan(baseline * 2 + 64 * 1024);
    }

    private static void produce(KafkaBroker broker, StreamJobOptions o, List<EventBatch> batches) {
        broker.produce(batches.stream().map(b -> record(o.eventsTopic(), b)).toList());
    }

    private static long savepointBytes(MiniCluster cluster, JobClient job) throws Exception {
        String path = cluster.triggerSavepoint(job.getJobID(), FLINK.savepointDir().toUri().toString(), false,
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        return JobProgress.size(path);
    }
}
