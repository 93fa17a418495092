package io.peregrine.rules.lang;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a check compares: a field (possibly wrapped in one-argument transformers, see
 * {@link FieldRef}), or a multi-value transformer ({@code join(sep, (a, b))}, {@code concat(a, b)})
 * over fields, literals and lists.
 */
public sealed interface ValueExpr permits FieldRef, ValueExpr.Literal, ValueExpr.ListOf, ValueExpr.Transform {

    /** A quoted string or number inside a transformer's arguments. */
    record Literal(String text) implements ValueExpr {
        @Override
        public String toString() {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** A parenthesised list of values inside a transformer's arguments. */
    record ListOf(List<ValueExpr> items) implements ValueExpr {
        public ListOf {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.stream().map(Object::toString).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** A multi-value transformer: {@code join} or {@code concat}. */
    record Transform(String name, List<ValueExpr> arguments) implements ValueExpr {
        public Transform {
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toString() {
            return arguments.stream().map(Object::toString).collect(Collectors.joining(", ", name + "(", ")"));
        }
    }
}
