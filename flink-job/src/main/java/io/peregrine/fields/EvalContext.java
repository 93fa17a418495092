package io.peregrine.fields;

/**
 * The event being evaluated, as the field extractors see it.
 *
 * <p>The rules engine never looks inside: it hands the context to the {@link FieldExtractor}s that
 * a {@link FieldResolver} gave it at compile time. The state engine's context carries the event
 * with its thread and file-descriptor state; tests use a map of field values.
 */
public interface EvalContext {
}
