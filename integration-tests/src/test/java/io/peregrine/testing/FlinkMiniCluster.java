package io.peregrine.testing;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension running a Flink MiniCluster configured as Peregrine runs in production:
 * RocksDB state backend with incremental checkpoints to a local directory, RocksDB's working
 * files in a short directory under /tmp (JUnit's temp paths are too long for RocksDB), and a
 * fixed-delay restart strategy so injected failures are recovered from. Inside a test,
 * {@code StreamExecutionEnvironment.getExecutionEnvironment()} submits to this cluster;
 * parameters Flink's {@link MiniClusterExtension} resolves ({@code @InjectMiniCluster MiniCluster},
 * {@code @InjectClusterClient ClusterClient<?>}) work here too. The directories are deleted after
 * all tests.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FlinkMiniCluster FLINK = new FlinkMiniCluster(1, 2);
 * </pre>
 */
public final class FlinkMiniCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final Path baseDir;
    private final Configuration configuration;
    private final MiniClusterExtension cluster;

    /** A cluster of {@code taskManagers} TaskManagers with {@code slotsPerTaskManager} slots each. */
    public FlinkMiniCluster(int taskManagers, int slotsPerTaskManager) {
        this(taskManagers, slotsPerTaskManager, new Configuration());
    }

    /** As {@link #FlinkMiniCluster(int, int)}, with {@code extra} settings laid over Peregrine's. */
    public FlinkMiniCluster(int taskManagers, int slotsPerTaskManager, Configuration extra) {
        this.baseDir = TempDirs.create("flink-");
        this.configuration = rocksDbConfiguration(baseDir);
        this.configuration.addAll(extra);
        this.cluster = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumberTaskManagers(taskManagers)
                .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                .build());
    }

    /**
     * Peregrine's state settings with every directory under {@code baseDir}: RocksDB with
     * incremental checkpoints, checkpoints and savepoints as {@code file://} URIs, and restarts
     * every 200 ms up to 20 times.
     */
    public static Configuration rocksDbConfiguration(Path baseDir) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(RocksDBOptions.LOCAL_DIRECTORIES, baseDir.resolve("rocks").toString());
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, baseDir.resolve("checkpoints").toUri().toString());
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, baseDir.resolve("savepoints").toUri().toString());
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    /** The cluster's configuration (state backend, directories, restarts). */
    public Configuration configuration() {
        return new Configuration(configuration);
    }

    /** Where checkpoints go. */
    public Path checkpointDir() {
        return baseDir.resolve("checkpoints");
    }

    /** Where savepoints go by default. */
    public Path savepointDir() {
        return baseDir.resolve("savepoints");
    }

    /** RocksDB's working directory. */
    public Path rocksDbDir() {
        return baseDir.resolve("rocks");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            cluster.afterAll(context);
        } finally {
            TempDirs.deleteRecursively(baseDir);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        cluster.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        cluster.afterEach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster.resolveParameter(parameter, context);
    }
}
