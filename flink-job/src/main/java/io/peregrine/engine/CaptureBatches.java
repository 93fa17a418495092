package io.peregrine.engine;

import io.peregrine.avro.CredentialConversion;
import io.peregrine.avro.EventBatch;
import io.peregrine.avro.GroupInfo;
import io.peregrine.avro.UserInfo;
import io.peregrine.batch.HostBatcher;
import io.peregrine.capture.CaptureFormatException;
import io.peregrine.capture.ScapGroup;
import io.peregrine.capture.ScapReader;
import io.peregrine.capture.ScapUser;
import io.peregrine.event.Event;
import io.peregrine.state.CaptureLoader;
import io.peregrine.state.InMemoryThreadStore;
import io.peregrine.state.StateEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A capture as the edge shipper would have shipped it: the whole-host observer (a state engine
 * seeded from the capture header and fed every event) and the shared {@link HostBatcher} cut it
 * into per-(host, container) {@link EventBatch}es. The capture source of replay.
 */
public final class CaptureBatches {

    /** Events per batch at most; small enough to stream, large enough to amortise per-batch work. */
    public static final int DEFAULT_MAX_EVENTS = 1024;

    private CaptureBatches() {
    }

    /**
     * Reads {@code capture} and hands each batch to {@code out}, in stream order.
     *
     * @return the number of events read
     */
    public static long read(Path capture, String host, int maxEvents, Consumer<EventBatch> out)
            throws CaptureFormatException {
        try (ScapReader reader = ScapReader.open(capture)) {
            StateEngine whole = new StateEngine(new InMemoryThreadStore());
            HostBatcher batcher = new HostBatcher(host, "replay:" + capture.getFileName(), 0, maxEvents,
                    new StateHostView(whole), out);
            boolean loaded = false;
            long count = 0;
            for (Event e; (e = reader.next()) != null; ) {
                if (!loaded) {
                    load(reader, whole, batcher);
                    loaded = true;
                }
                whole.process(e);
                batcher.add(e);
                count++;
            }
            batcher.flush();
            return count;
        }
    }

    private static void load(ScapReader reader, StateEngine whole, HostBatcher batcher) {
        CaptureLoader.load(reader, whole);
        List<UserInfo> users = new ArrayList<>();
        for (ScapUser u : reader.users()) {
            users.add(CredentialConversion.toAvro(u, ""));
        }
        List<GroupInfo> groups = new ArrayList<>();
        for (ScapGroup g : reader.groups()) {
            groups.add(CredentialConversion.toAvro(g, ""));
        }
        batcher.setCredentials(users, groups);
    }
}
