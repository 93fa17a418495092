package io.peregrine.rules.testkit;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldResolver;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.UnknownFieldException;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link FieldResolver} whose values come from a {@link MapEvalContext}: the stand-in for real
 * extraction in tests and benchmarks.
 *
 * <p>{@link #catalog()} validates names and types against the real {@link FieldCatalog}; a value
 * is looked up under the field's name, or {@code name[arg]} when it has an argument (also for the
 * dotted form: {@code evt.arg.fd} reads {@code evt.arg[fd]}). A hand-declared resolver
 * ({@code new MapFieldResolver().field(...)}) is handy for operator tests with made-up fields.
 */
public final class MapFieldResolver implements FieldResolver {

    private record Declared(FieldType type, boolean list, boolean takesArgument) {
    }

    private final Map<String, Declared> fields = new HashMap<>();

    /** The real catalogue, with values read from a {@link MapEvalContext}. */
    public static FieldCatalog catalog() {
        return new FieldCatalog((definition, argument) -> new MapExtractor(
                argument == null ? definition.name() : definition.name() + "[" + argument + "]",
                definition.type() == null ? FieldType.STRING : definition.type(), definition.isList(argument)));
    }

    /** Declares a plain field. */
    public MapFieldResolver field(String name, FieldType type) {
        fields.put(name, new Declared(type, false, false));
        return this;
    }

    /** Declares a field that takes an argument ({@code x.arg[2]} or {@code x.arg.name}). */
    public MapFieldResolver fieldWithArgument(String name, FieldType type) {
        fields.put(name, new Declared(type, false, true));
        return this;
    }

    /** Declares a list-valued field. */
    public MapFieldResolver listField(String name, FieldType type) {
        fields.put(name, new Declared(type, true, false));
        return this;
    }

    @Override
    public FieldExtractor resolve(String name, String argument) throws UnknownFieldException {
        Declared declared = fields.get(name);
        String key = argument == null ? name : name + "[" + argument + "]";
        if (declared == null) {
            for (int dot = name.lastIndexOf('.'); dot > 0 && declared == null; dot = name.lastIndexOf('.', dot - 1)) {
                Declared prefix = fields.get(name.substring(0, dot));
                if (prefix != null && prefix.takesArgument() && argument == null) {
                    declared = prefix;
                    key = name.substring(0, dot) + "[" + name.substring(dot + 1) + "]";
                }
            }
        } else if (argument != null && !declared.takesArgument()) {
            throw new UnknownFieldException(key, "field " + name + " takes no argument");
        }
        if (declared == null) {
            throw new UnknownFieldException(key, "unknown field '" + key + "'");
        }
        return new MapExtractor(key, declared.type(), declared.list());
    }

    private record MapExtractor(String key, FieldType type, boolean list) implements FieldExtractor {
        @Override
        public boolean isList() {
            return list;
        }

        @Override
        public Object extract(EvalContext context) {
            return ((MapEvalContext) context).get(key);
        }
    }
}
