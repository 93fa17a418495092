package io.peregrine.output;

import java.io.Serializable;
import java.util.Locale;

/**
 * The falco.yaml options that shape an alert line: {@code json_output},
 * {@code time_format_iso_8601}, {@code json_include_output_property},
 * {@code json_include_tags_property}, {@code json_include_message_property} and
 * {@code json_include_output_fields_property} (the last two exist from Falco 0.39, so only in the
 * {@link JsonLayout#OBJECT} layout), whether JSON carries {@code hostname} (Falco 0.33+ always
 * writes it; 0.31 and 0.32 never did), and which Falco's JSON layout to write.
 */
public record AlertFormat(boolean json, boolean timeFormatIso8601, boolean includeOutput, boolean includeTags,
                          boolean includeHostname, JsonLayout jsonLayout, boolean includeMessage,
                          boolean includeOutputFields) implements Serializable {

    /** The byte layout of Falco's JSON alert, which changed in Falco 0.39. */
    public enum JsonLayout {
        /**
         * Falco 0.31 to 0.38: jsoncpp writes the sorted top-level keys, then
         * {@code , "output_fields": {...}} is grafted before the closing brace.
         */
        GRAFTED,
        /** Falco 0.39 and later: one nlohmann::json object, {@code output_fields} among the sorted keys. */
        OBJECT;

        /** Parses "grafted" or "object" in any case. */
        public static JsonLayout parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("json layout must be grafted or object, got " + value, e);
            }
        }
    }

    /** Normalises a missing layout to {@link JsonLayout#GRAFTED}. */
    public AlertFormat {
        jsonLayout = jsonLayout == null ? JsonLayout.GRAFTED : jsonLayout;
    }

    /**
     * Falco's defaults: text, local time of day; JSON with output, tags, hostname and output
     * fields, no message, in the layout of the Falco versions the test corpus comes from.
     */
    public static AlertFormat falcoDefaults() {
        return new AlertFormat(false, false, true, true, true, JsonLayout.GRAFTED, false, true);
    }

    public AlertFormat withJson(boolean value) {
        return new AlertFormat(value, timeFormatIso8601, includeOutput, includeTags, includeHostname, jsonLayout,
                includeMessage, includeOutputFields);
    }

    public AlertFormat withTimeFormatIso8601(boolean value) {
        return new AlertFormat(json, value, includeOutput, includeTags, includeHostname, jsonLayout, includeMessage,
                includeOutputFields);
    }

    public AlertFormat withIncludeOutput(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, value, includeTags, includeHostname, jsonLayout,
                includeMessage, includeOutputFields);
    }

    public AlertFormat withIncludeTags(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, value, includeHostname, jsonLayout,
                includeMessage, includeOutputFields);
    }

    public AlertFormat withIncludeHostname(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, includeTags, value, jsonLayout, includeMessage,
                includeOutputFields);
    }

    public AlertFormat withJsonLayout(JsonLayout value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, includeTags, includeHostname, value,
                includeMessage, includeOutputFields);
    }

    public AlertFormat withIncludeMessage(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, includeTags, includeHostname, jsonLayout, value,
                includeOutputFields);
    }

    public AlertFormat withIncludeOutputFields(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, includeTags, includeHostname, jsonLayout,
                includeMessage, value);
    }
}
