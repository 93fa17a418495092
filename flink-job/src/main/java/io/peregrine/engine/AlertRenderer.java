package io.peregrine.engine;

import io.peregrine.fields.FieldDefinition;
import io.peregrine.fields.FieldExtractor;
import io.peregrine.fields.FieldType;
import io.peregrine.fields.extract.Extractor;
import io.peregrine.output.Alert;
import io.peregrine.output.OutputFieldValues;
import io.peregrine.output.Priority;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.FieldFormatter;
import io.peregrine.state.EventContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a rule match into an {@link Alert}: the rule's output with its fields printed as libsinsp
 * prints them (what Falco's text shows), and the same fields typed as Falco's JSON
 * {@code output_fields} types them. Not thread-safe (one per detection step).
 */
public final class AlertRenderer {

    private final String hostname;
    private final String rulesetVersion;
    /**
     * Records each field the output format prints, in order, so the JSON values are computed from
     * exactly the values the text shows (one extraction per field).
     */
    private final Recorder recorder = new Recorder();

    public AlertRenderer(String hostname, String rulesetVersion) {
        this.hostname = hostname;
        this.rulesetVersion = rulesetVersion;
    }

    public Alert render(CompiledRule rule, EventContext context) {
        recorder.clear();
        String output = rule.output().render(context, recorder);
        List<String> tokens = rule.output().fieldNames();
        Map<String, Object> fields = new LinkedHashMap<>();
        long ts = context.event().timestampNs();
        for (int i = 0; i < tokens.size() && i < recorder.size(); i++) {
            String token = tokens.get(i);
            int bracket = token.indexOf('[');
            String field = bracket < 0 ? token : token.substring(0, bracket);
            Object value = recorder.values.get(i);
            String text = recorder.texts.get(i);
            fields.put(token, OutputFieldValues.jsonValue(field, jsonType(recorder.fields.get(i)), value, text, ts));
        }
        return Alert.builder()
                .timeNs(ts)
                .rule(rule.name())
                .priority(Priority.valueOf(rule.priority().name()))
                .source(rule.source() == null || rule.source().isEmpty() ? Alert.SYSCALL_SOURCE : rule.source())
                .hostname(hostname)
                .output(output)
                .fields(fields)
                .tags(rule.tags())
                .rulesetVersion(rulesetVersion)
                .build();
    }

    /** Fields libsinsp prints in hex are strings in Falco's JSON. */
    private static FieldType jsonType(FieldExtractor field) {
        FieldDefinition d = definition(field);
        return d != null && "HEX".equals(d.printFormat()) ? FieldType.STRING : field.type();
    }

    private static FieldDefinition definition(FieldExtractor field) {
        return field instanceof Extractor e ? e.definition() : null;
    }

    /** libsinsp's rendering of one value, {@code <NA>} when it is missing. */
    static String text(FieldExtractor field, Object value) {
        if (value == null) {
            return io.peregrine.fields.FieldFormatter.NOT_AVAILABLE;
        }
        FieldDefinition d = definition(field);
        if (d == null) {
            return FieldFormatter.DEFAULT.format(field, value);
        }
        String s = io.peregrine.fields.FieldFormatter.format(d, field.type(), value);
        return s == null ? io.peregrine.fields.FieldFormatter.NOT_AVAILABLE : s;
    }

    private static final class Recorder implements FieldFormatter {
        final List<FieldExtractor> fields = new ArrayList<>();
        final List<Object> values = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        @Override
        public String format(FieldExtractor field, Object value) {
            String s = text(field, value);
            fields.add(field);
            values.add(value);
            texts.add(s);
            return s;
        }

        void clear() {
            fields.clear();
            values.clear();
            texts.clear();
        }

        int size() {
            return fields.size();
        }
    }
}
