package io.peregrine.engine;

import io.peregrine.fields.FieldCatalog;
import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldFormatter;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.UnknownFieldException;
import io.peregrine.fields.extract.Extractor;
import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.output.Alert;
import io.peregrine.output.OutputFieldValues;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.state.EventContext;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a rule match into an {@link Alert}: the rule's output as Falco prints it, and its fields
 * typed as Falco's JSON {@code output_fields} types them (numbers, booleans, text as printed,
 * {@code null} for {@code <NA>}). Not thread-safe (one per detection step).
 */
public final class AlertRenderer {

    private final String hostname;
    private final String rulesetVersion;
    private final FieldCatalog catalog = SyscallFields.catalog();
    /** Per rule, its output's fields bound once (alerts are rare; binding is not). */
    private final Map<CompiledRule, Field[]> fieldsByRule = new IdentityHashMap<>();

    /** One output token with its extractor and how it prints. */
    private record Field(String token, String name, FieldExtractor extractor, FieldDefinition definition) {
    }

    public AlertRenderer(String hostname, String rulesetVersion) {
        this.hostname = hostname;
        this.rulesetVersion = rulesetVersion;
    }

    public Alert render(CompiledRule rule, EventContext context) {
        long ts = context.event().timestampNs();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : fieldsByRule.computeIfAbsent(rule, this::bind)) {
            Object value = f.extractor().extract(context);
            String text = value == null ? null : FieldFormatter.format(f.definition(), f.extractor().type(), value);
            values.put(f.token(), OutputFieldValues.jsonValue(f.name(), jsonType(f), text == null ? null : value,
                    text == null ? FieldFormatter.NOT_AVAILABLE : text, ts));
        }
        return Alert.builder()
                .timeNs(ts)
                .rule(rule.name())
                .priority(rule.priority())
                .source(rule.source() == null || rule.source().isEmpty() ? Alert.SYSCALL_SOURCE : rule.source())
                .hostname(hostname)
                .output(rule.output().render(context))
                .fields(values)
                .tags(rule.tags())
                .rulesetVersion(rulesetVersion)
                .build();
    }

    /** Binds the rule's output tokens; the loader already compiled them, so they resolve. */
    private Field[] bind(CompiledRule rule) {
        List<String> tokens = rule.output().fieldNames();
        Field[] fields = new Field[tokens.size()];
        for (int i = 0; i < fields.length; i++) {
            String token = tokens.get(i);
            int bracket = token.indexOf('[');
            String name = bracket < 0 ? token : token.substring(0, bracket);
            String arg = bracket < 0 ? null : token.substring(bracket + 1, token.length() - 1);
            try {
                FieldExtractor e = catalog.resolve(name, arg);
                fields[i] = new Field(token, name, e, e instanceof Extractor x ? x.definition() : FieldCatalog.definition(name));
            } catch (UnknownFieldException ex) {
                throw new IllegalStateException("rule '" + rule.name() + "': output field " + token
                        + " compiled at load but does not resolve: " + ex.getMessage(), ex);
            }
        }
        return fields;
    }

    /** Fields libsinsp prints in hex are strings in Falco's JSON. */
    private static FieldType jsonType(Field f) {
        return f.definition() != null && "HEX".equals(f.definition().printFormat()) ? FieldType.STRING
                : f.extractor().type();
    }
}
