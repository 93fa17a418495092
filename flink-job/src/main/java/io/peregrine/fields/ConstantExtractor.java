package io.peregrine.fields;

/** An extractor that yields the same value for every event (null: the field is never set). */
public record ConstantExtractor(FieldType type, boolean isList, Object value) implements FieldExtractor {

    @Override
    public Object extract(EvalContext context) {
        return value;
    }
}
