package io.peregrine.rules.testkit;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldResolver;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.UnknownFieldException;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link FieldResolver} over a declared set of fields whose values come from a
 * {@link MapEvalContext}: the stand-in for the real field catalogue in tests and benchmarks.
 *
 * <p>A field declared as taking an argument accepts both {@code name[arg]} and, like
 * {@code evt.arg.fd}, {@code name.arg}; its values are looked up under the text as written.
 */
public final class MapFieldResolver implements FieldResolver {

    private record Declared(FieldType type, boolean list, boolean takesArgument) {
    }

    private final Map<String, Declared> fields = new HashMap<>();

    /** Declares a plain field. */
    public MapFieldResolver field(String name, FieldType type) {
        fields.put(name, new Declared(type, false, false));
        return this;
    }

    /** Declares a field that takes an argument ({@code proc.aname[2]}, {@code evt.arg.fd}). */
    public MapFieldResolver fieldWithArgument(String name, FieldType type) {
        fields.put(name, new Declared(type, false, true));
        return this;
    }

    /** Declares a list-valued field. */
    public MapFieldResolver listField(String name, FieldType type) {
        fields.put(name, new Declared(type, true, false));
        return this;
    }

    /** Whether {@code name} is declared (without argument handling). */
    public boolean declares(String name) {
        return fields.containsKey(name);
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
                }
            }
        } else if (argument != null && !declared.takesArgument()) {
            throw new UnknownFieldException(name, "filter_check called with nonexistent field " + key
                    + " (field " + name + " takes no argument)");
        }
        if (declared == null) {
            throw new UnknownFieldException(name, "filter_check called with nonexistent field " + name);
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
