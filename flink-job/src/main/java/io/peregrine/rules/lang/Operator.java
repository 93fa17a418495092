package io.peregrine.rules.lang;

import java.util.HashMap;
import java.util.Map;

/** A comparison operator of the condition language, with the kind of operand it takes. */
public enum Operator {
    EQ("="), EQEQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    CONTAINS("contains"), ICONTAINS("icontains"), BCONTAINS("bcontains"),
    STARTSWITH("startswith"), BSTARTSWITH("bstartswith"), ENDSWITH("endswith"),
    GLOB("glob"), IGLOB("iglob"), REGEX("regex"),
    IN("in"), INTERSECTS("intersects"), PMATCH("pmatch"),
    EXISTS("exists");

    /** What follows the operator in a check. */
    public enum Arity { NONE, SCALAR, LIST }

    private static final Map<String, Operator> BY_TEXT = new HashMap<>();

    static {
        for (Operator op : values()) {
            BY_TEXT.put(op.text, op);
        }
    }

    private final String text;

    Operator(String text) {
        this.text = text;
    }

    /** The operator as written in conditions. */
    public String text() {
        return text;
    }

    public Arity arity() {
        if (this == EXISTS) {
            return Arity.NONE;
        }
        return this == IN || this == INTERSECTS || this == PMATCH ? Arity.LIST : Arity.SCALAR;
    }

    /** Whether the operator is spelled with letters (and so needs a word boundary after it). */
    public boolean isWord() {
        return Character.isLetter(text.charAt(0));
    }

    /** The operator spelled {@code text}, or {@code null}. */
    public static Operator fromText(String text) {
        return BY_TEXT.get(text);
    }
}
