package io.peregrine.rules.load;

import io.peregrine.fields.EvalContext;
import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldFormatter;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.fields.extract.Extractor;
import io.peregrine.rules.eval.CompileException;
import io.peregrine.rules.eval.ConditionCompiler;
import io.peregrine.rules.lang.FieldRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule's compiled output format: literal text and {@code %field} / {@code %field[arg]}
 * references bound to extractors at load time. {@code %container.info} is rewritten first, as
 * Falco does, to the configured container format (default {@code %container.name (id=%container.id)}).
 * Values print as libsinsp prints them ({@link FieldFormatter}); a missing value prints {@code <NA>}.
 */
public final class OutputFormat {

    /** Falco's replacement for {@code %container.info} when no {@code -pk/-pc} option is given. */
    public static final String DEFAULT_CONTAINER_INFO = "%container.name (id=%container.id)";

    private final String text;
    private final String[] literals;
    private final FieldExtractor[] fields;
    private final FieldDefinition[] definitions;
    private final String[] fieldNames;

    private OutputFormat(String text, List<String> literals, List<FieldExtractor> fields,
            List<FieldDefinition> definitions, List<String> names) {
        this.text = text;
        this.literals = literals.toArray(String[]::new);
        this.fields = fields.toArray(FieldExtractor[]::new);
        this.definitions = definitions.toArray(FieldDefinition[]::new);
        this.fieldNames = names.toArray(String[]::new);
    }

    /** Compiles {@code format}; an unknown field is a {@link CompileException} naming it. */
    public static OutputFormat compile(String format, String containerInfo, ConditionCompiler fields)
            throws CompileException {
        String text = format.replace("%container.info", containerInfo);
        List<String> literals = new ArrayList<>();
        List<FieldExtractor> extractors = new ArrayList<>();
        List<FieldDefinition> definitions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end = c == '%' ? fieldEnd(text, i + 1) : -1;
            if (end < 0) {
                literal.append(c);
                i++;
                continue;
            }
            String token = text.substring(i + 1, end);
            String name = token;
            String arg = null;
            int bracket = token.indexOf('[');
            if (bracket >= 0) {
                name = token.substring(0, bracket);
                arg = token.substring(bracket + 1, token.length() - 1);
            }
            FieldExtractor e;
            try {
                e = fields.extractor(FieldRef.of(name, arg), i);
            } catch (CompileException ex) {
                throw new CompileException("invalid formatting token " + token, i, ex.unknownField());
            }
            literals.add(literal.toString());
            literal.setLength(0);
            extractors.add(e);
            definitions.add(definition(e, name, arg));
            names.add(token);
            i = end;
        }
        literals.add(literal.toString());
        return new OutputFormat(format, literals, extractors, definitions, names);
    }

    /** The catalogue entry behind a field (its print format), or null for fields outside the catalogue. */
    private static FieldDefinition definition(FieldExtractor e, String name, String arg) {
        if (e instanceof Extractor x) {
            return x.definition();
        }
        try {
            return FieldCatalog.parse(name, arg).definition();
        } catch (UnknownFieldException ex) {
            return null;
        }
    }

    /** End of the field token starting at {@code from}, or -1 when no field follows the '%'. */
    private static int fieldEnd(String text, int from) {
        int j = from;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_'
                || text.charAt(j) == '.')) {
            j++;
        }
        while (j > from && text.charAt(j - 1) == '.') {
            j--;
        }
        if (j == from || !Character.isLetter(text.charAt(from))) {
            return -1;
        }
        if (j < text.length() && text.charAt(j) == '[') {
            int close = text.indexOf(']', j);
            if (close > 0) {
                j = close + 1;
            }
        }
        return j;
    }

    /** The format as written in the rule. */
    public String text() {
        return text;
    }

    /** The field tokens, in order ({@code proc.name}, {@code proc.aname[2]}). */
    public List<String> fieldNames() {
        return List.of(fieldNames);
    }

    /** Renders the output for an event. */
    public String render(EvalContext context) {
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < fields.length; i++) {
            String value = FieldFormatter.format(definitions[i], fields[i].type(), fields[i].extract(context));
            out.append(literals[i]).append(value == null ? FieldFormatter.NOT_AVAILABLE : value);
        }
        return out.append(literals[fields.length]).toString();
    }

    /** The values of the output's fields, by token, for JSON {@code output_fields}. */
    public Map<String, Object> values(EvalContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            out.put(fieldNames[i], fields[i].extract(context));
        }
        return out;
    }
}
