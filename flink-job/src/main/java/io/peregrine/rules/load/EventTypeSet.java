package io.peregrine.rules.load;

import java.util.Set;
import java.util.TreeSet;

/**
 * A set of event type names that may be infinite: either the names listed ({@code cofinite}
 * false) or every event type except those listed ({@code cofinite} true, "all" when the list is
 * empty). Kept symbolic so that it can be derived without the event table and mapped to ids later.
 */
public record EventTypeSet(boolean cofinite, Set<String> names) {

    public static final EventTypeSet ALL = new EventTypeSet(true, Set.of());
    public static final EventTypeSet NONE = new EventTypeSet(false, Set.of());

    public EventTypeSet {
        names = Set.copyOf(names);
    }

    public static EventTypeSet of(Set<String> names) {
        return new EventTypeSet(false, names);
    }

    public boolean isAll() {
        return cofinite && names.isEmpty();
    }

    /** Whether the set restricts nothing useful: Falco warns for these (too many, or none). */
    public boolean isUnrestrictedOrEmpty() {
        return cofinite || names.isEmpty();
    }

    public boolean contains(String name) {
        return cofinite != names.contains(name);
    }

    public EventTypeSet complement() {
        return new EventTypeSet(!cofinite, names);
    }

    public EventTypeSet union(EventTypeSet other) {
        if (!cofinite && !other.cofinite) {
            return of(plus(names, other.names));
        }
        if (cofinite && other.cofinite) {
            return new EventTypeSet(true, intersection(names, other.names));
        }
        EventTypeSet co = cofinite ? this : other;
        EventTypeSet fin = cofinite ? other : this;
        return new EventTypeSet(true, minus(co.names, fin.names));
    }

    public EventTypeSet intersect(EventTypeSet other) {
        return complement().union(other.complement()).complement();
    }

    private static Set<String> plus(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.removeAll(b);
        return s;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.retainAll(b);
        return s;
    }

    /** {@code all}, {@code all except (a, b)} or the sorted names. */
    @Override
    public String toString() {
        if (isAll()) {
            return "all";
        }
        return cofinite ? "all except " + new TreeSet<>(names) : new TreeSet<>(names).toString();
    }
}
