package io.peregrine.fields;

/**
 * What a field accepts between brackets ({@code proc.aname[2]}) or after a dot
 * ({@code evt.arg.fd}), following libsinsp's per-field parsing.
 */
public enum ArgumentRule {
    /** No argument. */
    NONE,
    /** An optional non-negative index ({@code proc.aname[2]}); without it the field spans all. */
    OPTIONAL_INDEX,
    /** A required name, written {@code .name} or {@code [name]} ({@code evt.type.is.open}). */
    REQUIRED_NAME,
    /** A required parameter name or position ({@code evt.arg.fd}, {@code evt.arg[0]}). */
    REQUIRED_NAME_OR_INDEX,
    /** A required position or path glob in brackets ({@code container.mount.dest[/var/*]}). */
    REQUIRED_INDEX_OR_PATH,
    /** A required number in brackets ({@code evt.around[1404996934793590564]}). */
    REQUIRED_NUMBER,
    /** Optionally {@code .src} or {@code .dst} ({@code evt.abspath.src}). */
    OPTIONAL_SIDE;

    /** Whether an argument may be written after a dot instead of in brackets. */
    public boolean allowsDottedForm() {
        return this == REQUIRED_NAME || this == REQUIRED_NAME_OR_INDEX || this == OPTIONAL_SIDE;
    }

    /** Whether the field needs an argument. */
    public boolean required() {
        return this == REQUIRED_NAME || this == REQUIRED_NAME_OR_INDEX || this == REQUIRED_INDEX_OR_PATH
                || this == REQUIRED_NUMBER;
    }

    /**
     * Checks {@code argument} (null when absent) against this rule.
     *
     * @return null when valid, else the reason it is not
     */
    public String problemWith(String argument) {
        if (argument == null) {
            return required() ? "requires an argument" : null;
        }
        switch (this) {
            case NONE:
                return "takes no argument";
            case OPTIONAL_INDEX:
                return isIndex(argument) ? null : "argument must be a non-negative integer, got '" + argument + "'";
            case REQUIRED_NUMBER:
                return isIndex(argument) ? null : "argument must be a number, got '" + argument + "'";
            case OPTIONAL_SIDE:
                return argument.equals("src") || argument.equals("dst") ? null
                        : "argument must be src or dst, got '" + argument + "'";
            default:
                return argument.isEmpty() ? "argument is empty" : null;
        }
    }

    static boolean isIndex(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
