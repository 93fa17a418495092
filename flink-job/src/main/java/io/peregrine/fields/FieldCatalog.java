package io.peregrine.fields;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalogue of every field Peregrine knows: libsinsp's syscall field classes (evt, proc,
 * thread, user, group, fd, fdlist, container, k8s) as sysdig 0.29.3 lists them, plus the newer
 * fields that upstream rules use.
 *
 * <p>The table itself is data ({@code fields.tsv} beside this class); this class validates field
 * references against it and binds them to extractors. Arguments may be written in brackets
 * ({@code proc.aname[2]}) or, for the fields that accept names, after a dot ({@code evt.arg.fd});
 * both reach the extractor as the same argument string.
 */
public final class FieldCatalog implements FieldResolver {

    private static final String TABLE = "fields.tsv";
    private static final Map<String, FieldDefinition> DEFINITIONS = load();

    private final ExtractorFactory factory;

    /**
     * A catalogue whose extractors come from {@code factory}.
     *
     * @param factory builds an extractor for any validated field reference
     */
    public FieldCatalog(ExtractorFactory factory) {
        this.factory = factory;
    }

    /** A catalogue that validates names but whose extractors always answer "not set". */
    public static FieldCatalog namesOnly() {
        return new FieldCatalog((definition, argument) -> new ConstantExtractor(
                definition.type() == null ? FieldType.STRING : definition.type(),
                definition.isList(argument), null));
    }

    /** Every field definition, in catalogue order. */
    public static Collection<FieldDefinition> definitions() {
        return Collections.unmodifiableCollection(DEFINITIONS.values());
    }

    /** The definition called exactly {@code name}, or null. */
    public static FieldDefinition definition(String name) {
        return DEFINITIONS.get(name);
    }

    @Override
    public FieldExtractor resolve(String name, String argument) throws UnknownFieldException {
        FieldReference reference = parse(name, argument);
        return factory.create(reference.definition(), reference.argument());
    }

    /**
     * Validates a field reference and splits a dotted argument off the name.
     *
     * @throws UnknownFieldException naming the field when it is unknown or its argument is invalid
     */
    public static FieldReference parse(String name, String argument) throws UnknownFieldException {
        String written = argument == null ? name : name + "[" + argument + "]";
        FieldDefinition definition = DEFINITIONS.get(name);
        String effectiveArgument = argument;
        if (definition == null) {
            definition = dottedPrefix(name);
            if (definition == null) {
                throw new UnknownFieldException(written, "unknown field '" + written + "'");
            }
            if (argument != null) {
                throw new UnknownFieldException(written,
                        "field '" + written + "' has an argument both after a dot and in brackets");
            }
            effectiveArgument = name.substring(definition.name().length() + 1);
        }
        String problem = definition.argument().problemWith(effectiveArgument);
        if (problem != null) {
            throw new UnknownFieldException(written, "field '" + written + "' " + problem);
        }
        return new FieldReference(definition, effectiveArgument);
    }

    /** The longest catalogued field that is a dot-bounded prefix of {@code name} and accepts a dotted argument. */
    private static FieldDefinition dottedPrefix(String name) {
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            FieldDefinition candidate = DEFINITIONS.get(name.substring(0, dot));
            if (candidate != null && candidate.argument().allowsDottedForm() && dot < name.length() - 1) {
                return candidate;
            }
        }
        return null;
    }

    /** A validated field reference: its definition and its argument (null when absent). */
    public record FieldReference(FieldDefinition definition, String argument) {
    }

    private static Map<String, FieldDefinition> load() {
        Map<String, FieldDefinition> table = new LinkedHashMap<>();
        try (InputStream in = FieldCatalog.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("field table " + TABLE + " missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                FieldDefinition definition = parseRow(line, lineNumber);
                if (table.put(definition.name(), definition) != null) {
                    throw new IllegalStateException(TABLE + " line " + lineNumber + ": duplicate field "
                            + definition.name());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + TABLE, e);
        }
        return table;
    }

    private static FieldDefinition parseRow(String line, int lineNumber) {
        String[] cells = line.split("\t");
        if (cells.length != 6) {
            throw new IllegalStateException(TABLE + " line " + lineNumber + ": expected 6 columns, got "
                    + cells.length);
        }
        FieldType type = cells[1].equals("DYNAMIC") ? null : FieldType.valueOf(cells[1]);
        String flags = cells[3];
        return new FieldDefinition(cells[0], type, ArgumentRule.valueOf(cells[2]),
                flags.contains("filter_only"), flags.contains("list_without_arg"),
                flags.equals("list") || flags.contains("list,") || flags.endsWith(",list"),
                cells[4], cells[5]);
    }
}
