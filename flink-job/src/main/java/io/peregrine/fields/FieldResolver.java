package io.peregrine.fields;

/**
 * Turns a field reference in a condition or output format into an extractor, once, at compile time.
 *
 * <p>{@code name} is the field name as written ({@code proc.aname}, {@code evt.arg.fd},
 * {@code evt.type.is.open}); {@code argument} is the text between brackets ({@code proc.aname[2]}
 * gives {@code "2"}) or {@code null}.
 */
public interface FieldResolver {

    /**
     * The extractor for the field.
     *
     * @throws UnknownFieldException when the field does not exist or its argument is not valid,
     *     with a message that names the field
     */
    FieldExtractor resolve(String name, String argument) throws UnknownFieldException;
}
