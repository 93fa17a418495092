package io.peregrine.cli.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the local pipeline's topics on a single-node broker (replication 1), leaving existing ones alone. */
public final class LocalTopics {

    private LocalTopics() {
    }

    /** A topic with {@code partitions} partitions and the broker's default retention. */
    public static NewTopic plain(String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1);
    }

    /** A one-partition compacted topic: its latest record per key is what counts (rules, event types). */
    public static NewTopic compacted(String name) {
        return new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"));
    }

    /** Creates the topics that do not exist yet. */
    public static void create(String bootstrap, List<NewTopic> topics) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            try {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
