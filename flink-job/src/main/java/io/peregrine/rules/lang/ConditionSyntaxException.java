package io.peregrine.rules.lang;

/** A condition or output format that does not parse; {@link #position()} is the offset in the text. */
public class ConditionSyntaxException extends Exception {

    private final int position;

    public ConditionSyntaxException(int position, String message) {
        super(message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
