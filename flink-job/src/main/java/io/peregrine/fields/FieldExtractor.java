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
     * The value for this event in the representation {@link FieldType} documents, or {@code null}
     * when the event does not have it (libsinsp's "not set"; printed as {@code <NA>}).
     */
    Object extract(EvalContext context);
}
