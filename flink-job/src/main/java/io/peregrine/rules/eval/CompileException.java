package io.peregrine.rules.eval;

/**
 * A condition or output that parses but cannot be compiled: unknown field ({@link #unknownField()}
 * names it), unsupported operator for the field's type, value that does not parse for it.
 */
public class CompileException extends Exception {

    private final int position;
    private final String unknownField;

    public CompileException(String message, int position, String unknownField) {
        super(message);
        this.position = position;
        this.unknownField = unknownField;
    }

    /** Offset in the condition text, or -1. */
    public int position() {
        return position;
    }

    /** The field no catalogue knows, when that is the cause; else null. */
    public String unknownField() {
        return unknownField;
    }
}
