package io.peregrine.rules.load;

/**
 * One load error or warning: where (file, line, column), which item (type and name), Falco's
 * code, and a plain message; with, when known, the item's YAML as written ({@code excerpt}: the
 * definition and its appends, as Falco quotes it in error texts) and the whole condition the
 * problem is in, after appends, or the output format ({@code subject}); both empty otherwise.
 */
public record Diagnostic(Severity severity, LoadCode code, Position position, String itemType,
        String itemName, String message, String excerpt, String subject) {

    public Diagnostic {
        excerpt = excerpt == null ? "" : excerpt;
        subject = subject == null ? "" : subject;
    }

    /** A diagnostic without excerpt or subject. */
    public Diagnostic(Severity severity, LoadCode code, Position position, String itemType, String itemName,
            String message) {
        this(severity, code, position, itemType, itemName, message, "", "");
    }

    /** This diagnostic quoting {@code excerptText} and naming {@code subjectText} (may be empty). */
    public Diagnostic quoting(String excerptText, String subjectText) {
        return new Diagnostic(severity, code, position, itemType, itemName, message, excerptText, subjectText);
    }

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
