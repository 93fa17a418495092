package io.peregrine.job.stream;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.UserInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The users, groups and network interfaces a key's batches brought (the shipper sends each once per key), kept as an
 * event-less EventBatch so that replaying it into a fresh engine (after a restore or a ruleset
 * swap) seeds the same tables through the same code path as the original batches.
 */
final class KeyIdentities {

    private KeyIdentities() {
    }

    /** {@code stored} (may be null) with {@code batch}'s users and groups merged in; null when nothing to keep. */
    static EventBatch merge(EventBatch stored, EventBatch batch) {
        if (!carriesIdentities(batch)) {
            return null;
        }
        Map<Long, UserInfo> users = new LinkedHashMap<>();
        Map<Long, GroupInfo> groups = new LinkedHashMap<>();
        Map<java.nio.ByteBuffer, NetInterface> interfaces = new LinkedHashMap<>();
        if (stored != null) {
            stored.getUsers().forEach(u -> users.put(u.getUid(), u));
            stored.getGroups().forEach(g -> groups.put(g.getGid(), g));
            stored.getInterfaces().forEach(i -> interfaces.put(i.getAddr(), i));
        }
        batch.getUsers().forEach(u -> users.put(u.getUid(), u));
        batch.getGroups().forEach(g -> groups.put(g.getGid(), g));
        batch.getInterfaces().forEach(i -> interfaces.put(i.getAddr(), i));
        return EventBatch.newBuilder()
                .setHost(batch.getHost())
                .setContainerId(batch.getContainerId())
                .setFirstTs(0)
                .setLastTs(0)
                .setEvents(new ArrayList<>())
                .setUsers(new ArrayList<>(users.values()))
                .setGroups(new ArrayList<>(groups.values()))
                .setInterfaces(new ArrayList<>(interfaces.values()))
                .build();
    }

    /** True when the batch brings users, groups or network interfaces (what a rebuilt engine must get back). */
    static boolean carriesIdentities(EventBatch batch) {
        return !batch.getUsers().isEmpty() || !batch.getGroups().isEmpty() || !batch.getInterfaces().isEmpty();
    }

}
