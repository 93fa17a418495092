package io.peregrine.rules.load;

/**
 * One load error or warning: where (file, line, column), which item (type and name), Falco's
 * code, and a plain message.
 */
public record Diagnostic(Severity severity, LoadCode code, Position position, String itemType,
        String itemName, String message) {

    /** Errors reject the ruleset; warnings do not. */
    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: error: rule 'x': message (CODE)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(position).append(": ").append(severity == Severity.ERROR ? "error" : "warning").append(": ");
        if (itemType != null && !itemType.isEmpty()) {
            s.append(itemType);
            if (itemName != null && !itemName.isEmpty()) {
                s.append(" '").append(itemName).append('\'');
            }
            s.append(": ");
        }
        return s.append(message).append(" (").append(code).append(')').toString();
    }
}
