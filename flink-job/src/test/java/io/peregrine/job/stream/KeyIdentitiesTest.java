package io.peregrine.job.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.peregrine.avro.EventBatch;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.NetInterface;
import io.peregrine.avro.UserInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a key keeps of the host tables its batches brought, to seed a fresh engine after a restore. */
class KeyIdentitiesTest {

    private static final NetInterface LO = new NetInterface(ByteBuffer.wrap(new byte[] {127, 0, 0, 1}),
            ByteBuffer.wrap(new byte[] {(byte) 255, 0, 0, 0}));

    @Test
    void keepsUsersGroupsAndInterfacesAcrossBatches() {
        EventBatch first = batch(List.of(new UserInfo(0L, 0L, "root", "/root", "/bin/sh", "")),
                List.of(new GroupInfo(0L, "root", "")), List.of(LO));
        EventBatch later = batch(List.of(new UserInfo(1000L, 1000L, "app", "/home/app", "/bin/sh", "")), List.of(),
                List.of());

        EventBatch kept = KeyIdentities.merge(KeyIdentities.merge(null, first), later);

        assertEquals(List.of(0L, 1000L), kept.getUsers().stream().map(UserInfo::getUid).toList());
        assertEquals(1, kept.getGroups().size());
        assertEquals(List.of(LO), kept.getInterfaces(), "the interfaces of the key's first batch survive");
    }

    @Test
    void aBatchWithoutHostTablesKeepsNothing() {
        assertNull(KeyIdentities.merge(null, batch(List.of(), List.of(), List.of())));
    }

    private static EventBatch batch(List<UserInfo> users, List<GroupInfo> groups, List<NetInterface> interfaces) {
        return EventBatch.newBuilder().setHost("h1").setContainerId("").setFirstTs(1).setLastTs(1)
                .setEvents(new ArrayList<>()).setUsers(new ArrayList<>(users)).setGroups(new ArrayList<>(groups))
                .setInterfaces(new ArrayList<>(interfaces)).build();
    }
}
