package io.peregrine.rules.load;

import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event types a rule can match: names and their ids (enter and exit). Built from libscap's
 * {@link EventTable}, skipping ids flagged unused or old-version as Falco's evttypes() does.
 */
public final class EventTypeUniverse {

    private final Map<String, int[]> idsByName;
    private final int size;

    public EventTypeUniverse(Map<String, int[]> idsByName, int size) {
        this.idsByName = Map.copyOf(idsByName);
        this.size = size;
    }

    /** The universe of the compiled-in event table (empty until the table is filled in). */
    public static EventTypeUniverse fromEventTable() {
        Map<String, List<Integer>> ids = new HashMap<>();
        for (EventInfo e : EventTable.all()) {
            if (e == null || e.hasFlag(EventInfo.EF_UNUSED) || e.hasFlag(EventInfo.EF_OLD_VERSION)) {
                continue;
            }
            ids.computeIfAbsent(e.name(), k -> new java.util.ArrayList<>()).add(e.id());
        }
        Map<String, int[]> out = new HashMap<>();
        ids.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new EventTypeUniverse(out, EventTable.size());
    }

    /** Whether there is a table at all (without one, sets stay symbolic). */
    public boolean isKnown() {
        return !idsByName.isEmpty();
    }

    public boolean knows(String name) {
        return idsByName.containsKey(name);
    }

    public Set<String> names() {
        return new TreeSet<>(idsByName.keySet());
    }

    /** The ids of {@code name}, empty when unknown. */
    public int[] ids(String name) {
        int[] ids = idsByName.get(name);
        return ids == null ? new int[0] : ids;
    }

    /** One more than the largest id. */
    public int size() {
        return size;
    }

    /** The names a set stands for in this universe. */
    public Set<String> expand(EventTypeSet set) {
        if (!set.cofinite()) {
            return new TreeSet<>(set.names());
        }
        Set<String> all = names();
        all.removeAll(set.names());
        return all;
    }
}
