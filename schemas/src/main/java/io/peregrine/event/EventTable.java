package io.peregrine.event;

import java.util.List;
import java.util.Set;

/**
 * libscap's event table: every event id with its name, direction, flags and parameter layout.
 *
 * <p>STUB: the data is being filled in (see the schemas module owner). The API is fixed.
 */
public final class EventTable {

    private EventTable() {
    }

    /** The entry for {@code id}, or {@code null} when the id is outside the table. */
    public static EventInfo get(int id) {
        return null;
    }

    /** Number of ids in the table (ids are 0 .. size()-1). */
    public static int size() {
        return 0;
    }

    /** Every entry, by id. */
    public static List<EventInfo> all() {
        return List.of();
    }

    /** All ids called {@code name} (enter and exit, every version), by id. */
    public static List<EventInfo> named(String name) {
        return List.of();
    }

    /** Every event type name that a rule can match ({@code evt.type} values), excluding unused ids. */
    public static Set<String> names() {
        return Set.of();
    }
}
