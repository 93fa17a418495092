package io.peregrine.rules.load;

/**
 * Where a YAML scalar (a condition, an output) sits in its file, so that an offset in the scalar's
 * text maps back to a line and column even when YAML folded or indented it ({@code condition: >}).
 *
 * <p>{@code index} is the character index where the scalar's node starts (the quote or the
 * {@code >}/{@code |} indicator for those styles).
 */
public record ValueSource(Position start, String content, int index) {

    /** The file position of character {@code offset} of {@code value}, this scalar's text. */
    public Position locate(String value, int offset) {
        if (content == null || index < 0 || index >= content.length() || start.line() == 0) {
            return start;
        }
        int j = index;
        char first = content.charAt(j);
        if (first == '>' || first == '|') {
            while (j < content.length() && content.charAt(j) != '\n') {
                j++;
            }
        } else if (first == '"' || first == '\'') {
            j++;
        }
        int i = 0;
        int target = Math.max(0, Math.min(offset, value.length()));
        // Walk the text and the file together: the file has indentation and line breaks the text
        // lacks (or has as single blanks), and escapes in double-quoted scalars.
        while (i < target && j < content.length()) {
            char t = value.charAt(i);
            char f = content.charAt(j);
            if (t == f) {
                i++;
                j++;
            } else if (Character.isWhitespace(f)) {
                j++;
            } else if (Character.isWhitespace(t)) {
                i++;
            } else {
                i++;
                j++;
            }
        }
        if (target >= value.length()) {
            // The end of the text: point just after its last character, not at the next key.
            while (j > index && Character.isWhitespace(content.charAt(j - 1))) {
                j--;
            }
        } else {
            while (j < content.length() && Character.isWhitespace(content.charAt(j))
                    && !Character.isWhitespace(value.charAt(target))) {
                j++;
            }
        }
        return positionOf(Math.min(j, content.length()));
    }

    private Position positionOf(int at) {
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < at; k++) {
            if (content.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return new Position(start.file(), line, at - lineStart + 1);
    }
}
