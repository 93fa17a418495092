package io.peregrine.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peregrine.output.Alert;
import io.peregrine.output.Priority;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads back one Falco JSON alert line (as the job writes to the "alerts" topic) into an
 * {@link Alert}, so the console can print it in Falco's text format. The JSON {@code output}
 * carries Falco's {@code "<time>: <Priority> "} prefix; the alert keeps only what follows it.
 * Output fields are not carried over: the text format does not show them.
 */
public final class AlertJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Falco's JSON time: ISO 8601 with nanoseconds and a +0000 style offset (or Z). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS[XX][XXX]");

    private AlertJson() {
    }

    /**
     * Parses {@code line}.
     *
     * @throws IllegalArgumentException naming what is wrong when the line is no Falco JSON alert
     */
    public static Alert parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.hasNonNull("rule") || !n.hasNonNull("priority")) {
            throw new IllegalArgumentException("not a Falco alert (no rule or priority): " + abbreviate(line));
        }
        Priority priority = Priority.parse(n.get("priority").asText());
        long timeNs = timeNs(n.path("time").asText(""));
        String output = stripPrefix(n.path("output").asText(""), priority);
        TreeSet<String> tags = new TreeSet<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return new Alert(timeNs, n.get("rule").asText(), priority, n.path("source").asText(Alert.SYSCALL_SOURCE),
                n.path("hostname").asText(""), output, Map.of(), tags, "");
    }

    /** Nanoseconds since the epoch of Falco's JSON time ({@code 2016-08-04T16:17:57.881781397+0000}). */
    static long timeNs(String time) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(time, TIME);
            return t.toEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("alert time '" + time + "' is not Falco's ISO 8601 time");
        }
    }

    /** The rule's output without the {@code "<time>: <Priority> "} prefix Falco puts in front of it. */
    static String stripPrefix(String output, Priority priority) {
        String marker = ": " + priority.falcoName() + " ";
        int at = output.indexOf(marker);
        return at >= 0 ? output.substring(at + marker.length()) : output;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
