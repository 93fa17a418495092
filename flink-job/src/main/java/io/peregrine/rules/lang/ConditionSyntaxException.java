package io.peregrine.rules.lang;

/**
 * A condition or output format that does not parse; {@link #position()} is the offset in the text.
 * {@link #falcoMessage()} is the reason in current Falco's words where ours differ (libsinsp's
 * parser), without the offset, which Falco reports apart.
 */
public class ConditionSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int position;
    private final String falcoMessage;

    public ConditionSyntaxException(int position, String message) {
        this(position, message, null);
    }

    private ConditionSyntaxException(int position, String message, String falcoMessage) {
        super(message);
        this.position = position;
        this.falcoMessage = falcoMessage;
    }

    public int position() {
        return position;
    }

    /** The reason as Falco words it; our message when we know no other wording. */
    public String falcoMessage() {
        return falcoMessage != null ? falcoMessage : getMessage();
    }

    /** This error with Falco's wording of its reason. */
    ConditionSyntaxException withFalcoMessage(String text) {
        return new ConditionSyntaxException(position, getMessage(), text);
    }
}
