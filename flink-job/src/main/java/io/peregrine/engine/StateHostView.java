package io.peregrine.engine;

import io.peregrine.batch.HostView;
import io.peregrine.capture.ScapProcess;
import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.state.ContainerEvents;
import io.peregrine.state.ContainerInfo;
import io.peregrine.state.StateEngine;
import io.peregrine.state.ThreadInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole-host view of capture replay: a state engine that has seen every event of the capture
 * (the edge shipper has its own view over /proc). Container metadata events belong to the
 * container they describe; every other event to its thread's container.
 */
public final class StateHostView implements HostView {

    /** Deeper chains than this are cut (a corrupt ptid loop must not hang the batcher). */
    private static final int MAX_ANCESTRY = 64;

    private final StateEngine engine;

    public StateHostView(StateEngine engine) {
        this.engine = engine;
    }

    @Override
    public String containerOf(Event event) {
        EventInfo info = event.info();
        if (info != null && info.name().equals("container")) {
            return describedContainer(event);
        }
        ThreadInfo t = engine.threads().get(event.threadId());
        return t == null || t.containerId == null ? "" : t.containerId;
    }

    private static String describedContainer(Event event) {
        for (int i = 0; i < event.paramCount() && i < event.info().params().size(); i++) {
            String name = event.info().params().get(i).name();
            if (name.equals("json")) {
                ContainerInfo c = ContainerEvents.parse(event.paramString(i));
                return c == null ? "" : c.id;
            }
            if (name.equals("id")) {
                return event.paramString(i);
            }
        }
        return "";
    }

    @Override
    public ScapProcess snapshot(long tid) {
        ThreadInfo t = engine.threads().get(tid);
        return t == null ? null : ThreadSnapshots.of(engine, t);
    }

    @Override
    public String containerOf(ScapProcess thread) {
        ThreadInfo t = engine.threadOrAncestor(thread.tid());
        return t == null || t.containerId == null ? "" : t.containerId;
    }

    @Override
    public List<ScapProcess> related(long tid) {
        List<ScapProcess> out = new ArrayList<>();
        ThreadInfo t = engine.threads().get(tid);
        if (t == null) {
            return out;
        }
        Set<Long> seen = new HashSet<>();
        seen.add(t.tid);
        ThreadInfo main = engine.mainThread(t);
        if (main != null && main != t && seen.add(main.tid)) {
            out.add(ThreadSnapshots.of(engine, main));
        }
        List<ThreadInfo> siblings = new ArrayList<>();
        engine.threads().forEach(other -> {
            if (other.pid == t.pid && !seen.contains(other.tid)) {
                siblings.add(other);
            }
        });
        siblings.sort(java.util.Comparator.comparingLong(o -> o.tid));
        for (ThreadInfo s : siblings) {
            seen.add(s.tid);
            out.add(ThreadSnapshots.of(engine, s));
        }
        ThreadInfo p = engine.parent(t);
        while (p != null && out.size() < MAX_ANCESTRY && seen.add(p.tid)) {
            out.add(ThreadSnapshots.of(engine, p));
            p = engine.parent(p);
        }
        return out;
    }

    @Override
    public boolean endsThread(Event event) {
        EventInfo info = event.info();
        return info != null && info.name().equals("procexit");
    }
}
