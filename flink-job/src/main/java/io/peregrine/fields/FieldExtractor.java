package io.peregrine.fields;

/** Reads one field (name and argument already bound) from the event under evaluation. */
public interface FieldExtractor {

    /** The field's value type, fixed at compile time. */
    FieldType type();

    /** Whether the field yields a {@link java.util.List} of values (for {@code intersects}, {@code in}). */
    default boolean isList() {
        return false;
    }

    /**
     * For a list-valued field, whether a check holds when it holds for any element, whatever the
     * operator: libsinsp's {@code proc.aname} / {@code proc.apid} (and newer {@code proc.aexe},
     * {@code proc.aexepath}) without an index match "any ancestor", so {@code proc.aname in (a, b)}
     * means some ancestor is a or b, not that all are. False for true list fields ({@code fd.types}).
     */
    default boolean matchesAnyElement() {
        return false;
    }

    /**
     * The value for this event in the representation {@link FieldType} documents, or {@code null}
     * when the event does not have it (libsinsp's "not set"; printed as {@code <NA>}).
     */
    Object extract(EvalContext context);
}
