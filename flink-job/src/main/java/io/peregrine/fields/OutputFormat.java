package io.peregrine.fields;

import io.peregrine.fields.extract.Extractor;
import java.util.ArrayList;
import java.util.List;

/**
 * A sysdig {@code -p} format string compiled against a {@link FieldResolver}: literal text and
 * {@code %field} / {@code %field[arg]} references. A leading {@code *} prints events whose fields
 * are missing (as {@code <NA>}); without it such events are skipped, as sysdig does.
 */
public final class OutputFormat {

    private final List<Object> parts = new ArrayList<>();
    private final boolean printIncomplete;

    private record Field(String written, FieldExtractor extractor, FieldDefinition definition) {
    }

    private OutputFormat(boolean printIncomplete) {
        this.printIncomplete = printIncomplete;
    }

    /**
     * Compiles {@code format}.
     *
     * @throws UnknownFieldException naming the first field the resolver does not know
     */
    public static OutputFormat compile(String format, FieldResolver resolver) throws UnknownFieldException {
        boolean all = format.startsWith("*");
        OutputFormat out = new OutputFormat(all);
        String f = all ? format.substring(1) : format;
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length() || !Character.isLetter(f.charAt(i + 1))) {
                literal.append(c);
                i++;
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < f.length() && (Character.isLetterOrDigit(f.charAt(end)) || f.charAt(end) == '_'
                    || f.charAt(end) == '.')) {
                end++;
            }
            Field field = null;
            int consumed = end;
            UnknownFieldException firstError = null;
            // libsinsp takes the longest prefix that names a field; the rest is literal text.
            for (int stop = end; stop > start && field == null; stop--) {
                String name = f.substring(start, stop);
                if (name.endsWith(".")) {
                    continue;
                }
                String bracketed = null;
                int afterBracket = stop;
                if (stop == end && end < f.length() && f.charAt(end) == '[') {
                    int close = f.indexOf(']', end);
                    if (close > 0) {
                        bracketed = f.substring(end + 1, close);
                        afterBracket = close + 1;
                    }
                }
                // A bracket after a field that takes no argument is literal text.
                for (String argument : bracketed == null ? new String[] {null} : new String[] {bracketed, null}) {
                    try {
                        FieldExtractor extractor = resolver.resolve(name, argument);
                        FieldDefinition definition = extractor instanceof Extractor e ? e.definition()
                                : FieldCatalog.parse(name, argument).definition();
                        field = new Field(argument == null ? name : name + "[" + argument + "]", extractor, definition);
                        consumed = argument == null ? stop : afterBracket;
                        break;
                    } catch (UnknownFieldException e) {
                        if (firstError == null) {
                            firstError = e;
                        }
                    }
                }
            }
            if (field == null) {
                throw firstError;
            }
            if (literal.length() > 0) {
                out.parts.add(literal.toString());
                literal.setLength(0);
            }
            out.parts.add(field);
            i = consumed;
        }
        if (literal.length() > 0) {
            out.parts.add(literal.toString());
        }
        return out;
    }

    /** The line for this event, or null when a field is missing and the format does not start with '*'. */
    public String format(EvalContext context) {
        StringBuilder line = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String text) {
                line.append(text);
                continue;
            }
            Field field = (Field) part;
            String text = field.definition() != null && field.definition().filterOnly() ? null
                    : FieldFormatter.format(field.definition(), field.extractor().type(),
                            field.extractor().extract(context));
            if (text == null) {
                if (!printIncomplete) {
                    return null;
                }
                text = FieldFormatter.NOT_AVAILABLE;
            }
            line.append(text);
        }
        return line.toString();
    }
}
