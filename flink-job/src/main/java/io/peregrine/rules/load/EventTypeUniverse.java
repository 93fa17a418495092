package io.peregrine.rules.load;

import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.state.SyscallNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event types a rule can match: names and their ids (enter and exit, every version). Built
 * from libscap's {@link EventTable}, skipping only ids flagged unused, as Falco's engine does since
 * 0.33 (filter_evttype_resolver; libs' names_to_event_set): old-version ids of a name are matched,
 * so older captures meet the same rules. (sysdig's legacy filter compiler also skipped old-version
 * ids; Falco's current engine does not.)
 */
public final class EventTypeUniverse {

    private final Map<String, int[]> idsByName;
    private final int size;
    private final Set<String> syscalls;

    /**
     * @param idsByName event type name to its ids
     * @param size one more than the largest id
     * @param syscalls syscall names without a dedicated event, that generic events carry
     */
    public EventTypeUniverse(Map<String, int[]> idsByName, int size, Set<String> syscalls) {
        this.idsByName = Map.copyOf(idsByName);
        this.size = size;
        this.syscalls = Set.copyOf(syscalls);
    }

    /** The universe of the compiled-in event table (empty until the table is filled in). */
    public static EventTypeUniverse fromEventTable() {
        Map<String, List<Integer>> ids = new HashMap<>();
        for (EventInfo e : EventTable.all()) {
            if (e == null || e.hasFlag(EventInfo.EF_UNUSED)) {
                continue;
            }
            ids.computeIfAbsent(e.name(), k -> new java.util.ArrayList<>()).add(e.id());
        }
        Map<String, int[]> out = new HashMap<>();
        ids.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        Set<String> syscalls = new java.util.HashSet<>();
        for (int i = 1; i < SyscallNames.size(); i++) {
            syscalls.add(SyscallNames.name(i));
        }
        return new EventTypeUniverse(out, EventTable.size(), syscalls);
    }

    /** Whether {@code name} is a syscall that only generic events carry (libsinsp matches it there). */
    public boolean isGenericSyscall(String name) {
        return !idsByName.containsKey(name) && syscalls.contains(name);
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
