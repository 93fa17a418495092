package io.peregrine.testing;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What failure and upgrade tests do to a running job on a {@link FlinkMiniCluster}: wait until it
 * runs and has checkpointed, lose a TaskManager, stop it with a savepoint, and restore it (with
 * another parallelism if wanted). Get the MiniCluster as a test parameter:
 * {@code @InjectMiniCluster MiniCluster cluster}.
 */
public final class FlinkJobControl {

    private static final long TIMEOUT_SECONDS = 120;

    private FlinkJobControl() {
    }

    /** Waits until every task of the job runs (sources are reading). */
    public static void awaitAllTasksRunning(MiniCluster cluster, JobID job) throws Exception {
        CommonTestUtils.waitForAllTaskRunning(cluster, job, false);
    }

    /** Waits until the job has completed at least {@code count} checkpoints in total. */
    public static void awaitCheckpoints(MiniCluster cluster, JobID job, int count) throws Exception {
        CommonTestUtils.waitForCheckpoint(job, cluster, count);
    }

    /** Waits for a checkpoint that starts after this call. */
    public static void awaitNewCheckpoint(MiniCluster cluster, JobID job) throws Exception {
        CommonTestUtils.waitForNewCheckpoint(job, cluster);
    }

    /**
     * How many times the job has restarted so far (the highest execution attempt number of its
     * tasks): a test that injects failures checks with it that they really hit the job.
     */
    public static int restarts(MiniCluster cluster, JobID job) throws Exception {
        int max = 0;
        for (var vertex : cluster.getArchivedExecutionGraph(job).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .getAllExecutionVertices()) {
            max = Math.max(max, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    /**
     * Kills TaskManager {@code index} as a machine loss would (its tasks fail, the job restarts
     * from the last checkpoint) and starts a fresh one in its place so the job has slots again.
     * MiniCluster keeps numbering a lost TaskManager (losing it again does nothing) and gives the
     * replacement the next index; {@link LiveTaskManagers} keeps track.
     */
    public static void loseTaskManager(MiniCluster cluster, int index) throws Exception {
        cluster.terminateTaskManager(index).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        cluster.startTaskManager();
    }

    /** Stops the job with a canonical savepoint under {@code dir}; returns the savepoint's path. */
    public static String stopWithSavepoint(MiniCluster cluster, JobID job, Path dir) throws Exception {
        return cluster.stopWithSavepoint(job, dir.toUri().toString(), false, SavepointFormatType.CANONICAL)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** An execution environment whose next job starts from {@code savepointPath}. */
    public static StreamExecutionEnvironment restoringFrom(String savepointPath) {
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepointPath);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
