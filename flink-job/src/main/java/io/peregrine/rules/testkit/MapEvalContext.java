package io.peregrine.rules.testkit;

import io.peregrine.fields.EvalContext;
import java.util.HashMap;
import java.util.Map;

/**
 * An event as a map from field reference ({@code proc.name}, {@code proc.aname[2]},
 * {@code evt.arg.fd}) to value, for tests and benchmarks until the state engine provides real
 * contexts. Values use {@link io.peregrine.fields.FieldType}'s Java representations.
 */
public final class MapEvalContext implements EvalContext {

    private final Map<String, Object> values = new HashMap<>();

    public static MapEvalContext of(Object... keyValues) {
        MapEvalContext ctx = new MapEvalContext();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            ctx.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ctx;
    }

    public MapEvalContext put(String field, Object value) {
        values.put(field, value instanceof Integer i ? Long.valueOf(i) : value);
        return this;
    }

    /** The value under {@code key}, or null. */
    public Object get(String key) {
        return values.get(key);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
