package io.peregrine.output;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One rule match, with everything Falco puts in an alert.
 *
 * <p>{@code output} is the rule's own output with its {@code %field} tokens filled in, without
 * the {@code "<time>: <Priority> "} prefix Falco adds; {@link AlertFormatter} adds the prefix (and
 * its time field in {@code output_fields}) according to {@code time_format_iso_8601}, as Falco's
 * falco_outputs::handle_event does. {@code outputFields} are the fields the rule's output refers
 * to, keyed by the token as written ({@code proc.aname[2]}), each holding the value typed as
 * libsinsp's {@code tojson} types it: {@link Long}/{@link Integer}/{@link BigInteger} for integer
 * fields (a {@code uint64} above {@link Long#MAX_VALUE} as {@link BigInteger}, see
 * {@link #unsigned(long)}), {@link Double} for doubles, {@link Boolean}, {@link String} for text,
 * paths, addresses and hex-printed numbers, and {@code null} for a missing value (Falco's
 * {@code <NA>}). Tags are kept sorted, as Falco's {@code std::set}. {@code rulesetVersion} records
 * which ruleset fired the alert; it is not part of Falco's formats.
 */
public record Alert(long timeNs, String rule, Priority priority, String source, String hostname,
                    String output, Map<String, Object> outputFields, SortedSet<String> tags,
                    String rulesetVersion) implements Serializable {

    /** Falco's source name for system call events. */
    public static final String SYSCALL_SOURCE = "syscall";

    /** Validates and freezes the parts; {@code null} hostname, output and version become "". */
    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(source, "source");
        hostname = hostname == null ? "" : hostname;
        output = output == null ? "" : output;
        rulesetVersion = rulesetVersion == null ? "" : rulesetVersion;
        Map<String, Object> fields = new LinkedHashMap<>();
        if (outputFields != null) {
            for (Map.Entry<String, Object> e : outputFields.entrySet()) {
                fields.put(Objects.requireNonNull(e.getKey(), "output field name"),
                        checkValue(e.getKey(), e.getValue()));
            }
        }
        // Plain LinkedHashMap and TreeSet inside (Flink's Kryo cannot rebuild unmodifiable
        // wrappers), read-only views outside.
        outputFields = fields;
        tags = tags == null ? new TreeSet<>() : new TreeSet<>(tags);
    }

    /** The output fields in insertion order, read-only. */
    @Override
    public Map<String, Object> outputFields() {
        return Collections.unmodifiableMap(outputFields);
    }

    /** The tags, sorted, read-only. */
    @Override
    public SortedSet<String> tags() {
        return Collections.unmodifiableSortedSet(tags);
    }

    /** A new builder; source defaults to {@value #SYSCALL_SOURCE}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The JSON-typed value of an unsigned 64-bit field: a {@link Long} when it fits, else the
     * {@link BigInteger} that prints as libsinsp prints the {@code uint64}.
     */
    public static Object unsigned(long value) {
        return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    private static Object checkValue(String field, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof Double || value instanceof Float) {
            return value;
        }
        throw new IllegalArgumentException("output field " + field + ": unsupported value type "
                + value.getClass().getName() + " (render it as a string first)");
    }

    /** Builds an {@link Alert} step by step; output fields keep insertion order. */
    public static final class Builder {
        private long timeNs;
        private String rule;
        private Priority priority;
        private String source = SYSCALL_SOURCE;
        private String hostname = "";
        private String output = "";
        private final Map<String, Object> outputFields = new LinkedHashMap<>();
        private final SortedSet<String> tags = new TreeSet<>();
        private String rulesetVersion = "";

        private Builder() {
        }

        /** Event time in nanoseconds since the epoch. */
        public Builder timeNs(long value) {
            this.timeNs = value;
            return this;
        }

        public Builder rule(String value) {
            this.rule = value;
            return this;
        }

        public Builder priority(Priority value) {
            this.priority = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder hostname(String value) {
            this.hostname = value;
            return this;
        }

        /** The rule's output with fields filled in, without Falco's time and priority prefix. */
        public Builder output(String value) {
            this.output = value;
            return this;
        }

        /** Adds one output field; see {@link Alert} for the accepted value types. */
        public Builder field(String name, Object value) {
            outputFields.put(name, value);
            return this;
        }

        public Builder fields(Map<String, ?> values) {
            outputFields.putAll(values);
            return this;
        }

        public Builder tags(Collection<String> values) {
            tags.addAll(values);
            return this;
        }

        public Builder tags(String... values) {
            return tags(java.util.Arrays.asList(values));
        }

        public Builder rulesetVersion(String value) {
            this.rulesetVersion = value;
            return this;
        }

        public Alert build() {
            return new Alert(timeNs, rule, priority, source, hostname, output, outputFields, tags,
                    rulesetVersion);
        }
    }
}
