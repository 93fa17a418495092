package io.peregrine.rules.lang;

import java.util.List;

/**
 * A field as written in a condition or output: name, optional bracketed argument, and the
 * transformers wrapped around it ({@code tolower(proc.name)}), outermost first.
 */
public record FieldRef(String name, String argument, List<String> transformers) implements ValueExpr {

    public FieldRef {
        transformers = List.copyOf(transformers);
    }

    public static FieldRef of(String name) {
        return new FieldRef(name, null, List.of());
    }

    public static FieldRef of(String name, String argument) {
        return new FieldRef(name, argument, List.of());
    }

    /** The field without transformers, as {@code name[arg]}. */
    public String plainText() {
        return argument == null ? name : name + "[" + argument + "]";
    }

    @Override
    public String toString() {
        String s = plainText();
        for (int i = transformers.size() - 1; i >= 0; i--) {
            s = transformers.get(i) + "(" + s + ")";
        }
        return s;
    }
}
