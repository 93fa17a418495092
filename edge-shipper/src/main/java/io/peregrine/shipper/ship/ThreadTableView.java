package io.peregrine.shipper.ship;

import io.peregrine.batch.HostView;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.shipper.proc.ContainerIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shipper's {@link ThreadTable} as the whole-host view of the shared
 * {@link io.peregrine.batch.HostBatcher}: the batch contract's container ids ({@code ""} for the
 * host, where the table says {@link ContainerIds#HOST}), a thread's process and ancestors as the
 * table knows them, procexit as the end of a thread.
 */
public final class ThreadTableView implements HostView {

    private final ThreadTable threads;

    public ThreadTableView(ThreadTable threads) {
        this.threads = threads;
    }

    @Override
    public String containerOf(Event event) {
        return key(threads.containerOf(event.threadId()));
    }

    @Override
    public String containerOf(ScapProcess thread) {
        return key(ContainerIds.fromCgroups(thread.cgroups()));
    }

    @Override
    public ScapProcess snapshot(long tid) {
        return threads.get(tid);
    }

    @Override
    public List<ScapProcess> related(long tid) {
        List<ScapProcess> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        seen.add(tid);
        for (ScapProcess p : threads.processThreads(tid)) {
            if (seen.add(p.tid())) {
                out.add(p);
            }
        }
        for (ScapProcess p : threads.ancestors(tid)) {
            if (seen.add(p.tid())) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public boolean endsThread(Event event) {
        EventInfo info = event.info();
        return info != null && info.name().equals("procexit");
    }

    /** The batch contract uses "" for the host; Falco's container.id prints "host". */
    private static String key(String containerId) {
        return ContainerIds.HOST.equals(containerId) ? "" : containerId;
    }
}
