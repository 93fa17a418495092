package io.peregrine.rules.lang;

import java.util.List;
import java.util.stream.Collectors;

/** The right-hand side of a check. */
public sealed interface Operand {

    /** No operand ({@code exists}). */
    record None() implements Operand {
        @Override
        public String toString() {
            return "";
        }
    }

    /**
     * One value. {@code quoted} remembers whether it was written in quotes: a bare value inside a
     * list may name a rules-file list, a quoted one never does.
     */
    record Scalar(String text, boolean quoted) implements Operand {
        @Override
        public String toString() {
            return quoted || text.isEmpty() || text.matches(".*[\\s(),=\"'].*")
                    ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : text;
        }
    }

    /** A parenthesised list of values. */
    record Values(List<Scalar> items) implements Operand {
        public Values {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.stream().map(Scalar::toString).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** A list name used directly after a list operator ({@code proc.name in shell_binaries}). */
    record ListName(String name) implements Operand {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Another field's value, {@code val(proc.pname)}, or a transformer over fields, {@code tolower(proc.pname)}. */
    record FieldValue(ValueExpr field) implements Operand {
        @Override
        public String toString() {
            return field instanceof FieldRef f && f.transformers().isEmpty() ? "val(" + field + ")" : field.toString();
        }
    }
}
