package io.peregrine.output;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an {@link Alert} into the line Falco would print for it, text or JSON.
 *
 * <p>Falco prefixes every rule output with {@code "*%evt.time.iso8601: <Priority> "} (or
 * {@code %evt.time} when time_format_iso_8601 is off) before formatting it, so that prefix is the
 * start of the text line and of the JSON {@code output}, and its field shows up in
 * {@code output_fields} with the raw nanoseconds (libsinsp's extract_as_js of evt.time*).
 *
 * <p>The JSON line is what falco's formats.cpp builds. Up to Falco 0.38
 * ({@link AlertFormat.JsonLayout#GRAFTED}): a jsoncpp FastWriter object whose keys come out sorted
 * ({@code hostname, output, priority, rule, source, tags, time}), with
 * {@code , "output_fields": {...}} grafted textually before the closing brace; note the blanks
 * after the comma and the colon of that graft. From Falco 0.39 ({@link AlertFormat.JsonLayout#OBJECT}):
 * one nlohmann::json object with {@code output_fields} (and the optional {@code message}, the
 * rule output without prefix) among the sorted keys.
 *
 * <p>Immutable, thread-safe and serialisable, so a Flink function may hold one.
 */
public final class AlertFormatter implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final AlertFormat format;
    private final int localOffsetSeconds;

    /** A formatter using this machine's current UTC offset for {@code %evt.time}. */
    public AlertFormatter(AlertFormat format) {
        this(format, FalcoTime.currentLocalOffsetSeconds());
    }

    /** A formatter with an explicit UTC offset for {@code %evt.time} (tests, or a fixed zone). */
    public AlertFormatter(AlertFormat format, int localOffsetSeconds) {
        this.format = format;
        this.localOffsetSeconds = localOffsetSeconds;
    }

    public AlertFormat format() {
        return format;
    }

    /** The alert as Falco prints it (text or JSON per {@link AlertFormat#json()}), without newline. */
    public String line(Alert alert) {
        return format.json() ? json(alert) : text(alert);
    }

    /** Falco's text line: {@code <time>: <Priority> <output>}. */
    public String text(Alert alert) {
        String time = format.timeFormatIso8601()
                ? FalcoTime.iso8601(alert.timeNs())
                : FalcoTime.timeOfDay(alert.timeNs(), localOffsetSeconds);
        return time + ": " + alert.priority().falcoName() + " " + alert.output();
    }

    /** Falco's JSON line, byte for byte, in the configured {@link AlertFormat.JsonLayout}. */
    public String json(Alert alert) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", FalcoTime.jsonTime(alert.timeNs()));
        event.put("rule", alert.rule());
        event.put("priority", alert.priority().falcoName());
        event.put("source", alert.source());
        if (format.includeHostname()) {
            event.put("hostname", alert.hostname());
        }
        if (format.includeOutput()) {
            event.put("output", text(alert));
        }
        if (format.includeTags()) {
            event.put("tags", alert.tags());
        }
        StringBuilder out = new StringBuilder(256);
        if (format.jsonLayout() == AlertFormat.JsonLayout.OBJECT) {
            if (format.includeMessage()) {
                event.put("message", alert.output());
            }
            if (format.includeOutputFields()) {
                event.put("output_fields", outputFields(alert));
            }
            FalcoJsonWriter.NLOHMANN.write(out, event);
            return out.toString();
        }
        FalcoJsonWriter.JSONCPP.write(out, event);
        out.setLength(out.length() - 1);
        out.append(", \"output_fields\": ");
        FalcoJsonWriter.JSONCPP.write(out, outputFields(alert));
        out.append('}');
        return out.toString();
    }

    /** The alert's output fields plus the time field of Falco's prefix, as JSON-typed values. */
    public Map<String, Object> outputFields(Alert alert) {
        Map<String, Object> fields = new LinkedHashMap<>(alert.outputFields());
        fields.put(format.timeFormatIso8601() ? "evt.time.iso8601" : "evt.time", alert.timeNs());
        return fields;
    }
}
