package io.peregrine.fields.extract;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.state.EventContext;

/**
 * A field extractor over the state engine's {@link EventContext}; any other context yields
 * "not set". Keeps its definition so that formatters know the field's print format.
 */
public abstract class Extractor implements FieldExtractor {

    private final FieldDefinition definition;
    private final FieldType type;
    private final boolean list;

    protected Extractor(FieldDefinition definition, FieldType type, boolean list) {
        this.definition = definition;
        this.type = type;
        this.list = list;
    }

    public FieldDefinition definition() {
        return definition;
    }

    @Override
    public FieldType type() {
        return type;
    }

    @Override
    public boolean isList() {
        return list;
    }

    @Override
    public final Object extract(EvalContext context) {
        return context instanceof EventContext event ? extract(event) : null;
    }

    /** The value for this event, or null when libsinsp would not set it. */
    protected abstract Object extract(EventContext context);

    /** Wraps a function as an extractor. */
    public static Extractor of(FieldDefinition definition, Function function) {
        return of(definition, definition.type(), false, function);
    }

    public static Extractor of(FieldDefinition definition, FieldType type, boolean list, Function function) {
        return new Extractor(definition, type, list) {
            @Override
            protected Object extract(EventContext context) {
                return function.apply(context);
            }
        };
    }

    /** The body of a simple extractor. */
    @FunctionalInterface
    public interface Function {
        Object apply(EventContext context);
    }
}
