package io.peregrine.fields;

/** A field reference that no field class knows, or whose argument is not valid for it. */
public class UnknownFieldException extends Exception {

    private final String field;

    public UnknownFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field as it was written. */
    public String field() {
        return field;
    }
}
