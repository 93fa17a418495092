package io.peregrine.fields;

/** Builds the extractor for one field reference once its name and argument are validated. */
@FunctionalInterface
public interface ExtractorFactory {

    /**
     * The extractor for {@code definition} with {@code argument} (null when absent).
     *
     * @throws UnknownFieldException when the argument is well-formed but names nothing (an
     *     unknown event parameter, say)
     */
    FieldExtractor create(FieldDefinition definition, String argument) throws UnknownFieldException;
}
