package io.peregrine.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * The TaskManagers of a {@link MiniCluster} still alive, by MiniCluster's index, so that a test can
 * lose one that runs something: terminating an index twice does nothing (MiniCluster keeps the dead
 * entry in its list), and the replacement {@link FlinkJobControl#loseTaskManager} starts takes the
 * next index. With one slot per TaskManager and the job using every slot, each loss hits the job.
 */
public final class LiveTaskManagers {

    private final MiniCluster cluster;
    private final List<Integer> live = new ArrayList<>();
    private int next;

    /** {@code started}: the TaskManagers the cluster started with, none lost yet. */
    public LiveTaskManagers(MiniCluster cluster, int started) {
        this.cluster = cluster;
        for (int i = 0; i < started; i++) {
            live.add(i);
        }
        this.next = started;
    }

    /** Loses one live TaskManager chosen by {@code random} and starts its replacement; returns the lost index. */
    public int loseOne(Random random) throws Exception {
        int index = live.remove(random.nextInt(live.size()));
        FlinkJobControl.loseTaskManager(cluster, index);
        live.add(next++);
        return index;
    }
}
