package io.peregrine.output;

import io.peregrine.fields.FieldType;
import java.util.Set;

/**
 * How libsinsp types a field's value in a JSON alert's {@code output_fields} (filter.cpp
 * rawval_to_json and the extract_as_js overrides of filterchecks.cpp at libs e5c53d64), so that
 * the engine puts into an {@link Alert} exactly what Falco would.
 *
 * <ul>
 *   <li>a missing value is {@code null} (Falco's {@code <NA>} in the text);</li>
 *   <li>integer fields are JSON numbers, unsigned ones printed unsigned;</li>
 *   <li>booleans are {@code true}/{@code false};</li>
 *   <li>strings, paths, addresses, networks and buffers are their printed text;</li>
 *   <li>the time-as-text fields ({@code evt.time}, {@code evt.time.s}, {@code evt.time.iso8601},
 *       {@code evt.datetime}, {@code evt.datetime.s}) are the event's raw nanoseconds.</li>
 * </ul>
 *
 * Integer fields printed in hex or octal by libsinsp are strings in Falco's JSON; the caller
 * passes those as {@link FieldType#STRING} with their printed text.
 */
public final class OutputFieldValues {

    private static final Set<String> TIME_AS_NANOSECONDS = Set.of(
            "evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s");

    private OutputFieldValues() {
    }

    /**
     * The JSON-typed value of one output field.
     *
     * @param field the field name without argument ({@code proc.aname} for {@code proc.aname[2]})
     * @param type the field's type
     * @param value the extracted value in {@link FieldType}'s representation, or {@code null}
     * @param text the value as printed in the output text (used for text-like types and lists)
     * @param eventTimeNs the event's timestamp, for the time-as-text fields
     */
    public static Object jsonValue(String field, FieldType type, Object value, String text, long eventTimeNs) {
        if (value == null) {
            return null;
        }
        if (TIME_AS_NANOSECONDS.contains(field)) {
            return eventTimeNs;
        }
        if (value instanceof java.util.List<?>) {
            return text;
        }
        return switch (type) {
            case INT64 -> ((Number) value).longValue();
            case UINT64, RELTIME, ABSTIME, PORT -> Alert.unsigned(((Number) value).longValue());
            case BOOL -> value;
            case DOUBLE -> ((Number) value).doubleValue();
            case STRING, FSPATH -> value instanceof String s ? s : text;
            case IPADDR, IPNET, BYTES -> text;
        };
    }
}
