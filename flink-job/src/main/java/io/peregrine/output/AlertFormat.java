package io.peregrine.output;

import java.io.Serializable;

/**
 * The falco.yaml options that shape an alert line: {@code json_output},
 * {@code time_format_iso_8601}, {@code json_include_output_property},
 * {@code json_include_tags_property}, and whether JSON carries {@code hostname} (Falco 0.33+
 * always writes it; 0.31 and 0.32 never did).
 */
public record AlertFormat(boolean json, boolean timeFormatIso8601, boolean includeOutput,
                          boolean includeTags, boolean includeHostname) implements Serializable {

    /** Falco's defaults: text, local time of day, JSON with output, tags and hostname. */
    public static AlertFormat falcoDefaults() {
        return new AlertFormat(false, false, true, true, true);
    }

    public AlertFormat withJson(boolean value) {
        return new AlertFormat(value, timeFormatIso8601, includeOutput, includeTags, includeHostname);
    }

    public AlertFormat withTimeFormatIso8601(boolean value) {
        return new AlertFormat(json, value, includeOutput, includeTags, includeHostname);
    }

    public AlertFormat withIncludeOutput(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, value, includeTags, includeHostname);
    }

    public AlertFormat withIncludeTags(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, value, includeHostname);
    }

    public AlertFormat withIncludeHostname(boolean value) {
        return new AlertFormat(json, timeFormatIso8601, includeOutput, includeTags, value);
    }
}
