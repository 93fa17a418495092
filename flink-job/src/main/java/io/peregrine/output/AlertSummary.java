package io.peregrine.output;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts alerts and prints Falco's closing summary as falco 0.32+ (stats_manager::format) does:
 *
 * <pre>
 * Events detected: 8
 * Rule counts by severity:
 *    WARNING: 8
 * Triggered rules by rule name:
 *    open_from_cat: 8
 * </pre>
 *
 * Severities come most severe first, upper case ("INFO" for Informational); rules come in load
 * order (Falco's rule ids). Falco 0.31 printed the same lines in Lua table order; its test harness
 * matches them case-insensitively, so one format serves both. Not thread-safe.
 */
public final class AlertSummary {

    private final Map<String, Long> byRule = new LinkedHashMap<>();
    private final Map<Priority, Long> byPriority = new EnumMap<>(Priority.class);
    private long total;

    /** A summary that lists rules in the order they first fire. */
    public AlertSummary() {
    }

    /**
     * A summary that lists rules in {@code rulesInLoadOrder} order (Falco's rule id order); rules
     * not in the list follow in the order they first fire.
     */
    public AlertSummary(List<String> rulesInLoadOrder) {
        for (String rule : rulesInLoadOrder) {
            byRule.putIfAbsent(rule, 0L);
        }
    }

    /** Counts one alert. */
    public void record(Alert alert) {
        record(alert.rule(), alert.priority());
    }

    /** Counts one alert of {@code rule} at {@code priority}. */
    public void record(String rule, Priority priority) {
        total++;
        byRule.merge(rule, 1L, Long::sum);
        byPriority.merge(priority, 1L, Long::sum);
    }

    public long total() {
        return total;
    }

    /** Alerts counted for {@code rule} (0 when it never fired). */
    public long count(String rule) {
        return byRule.getOrDefault(rule, 0L);
    }

    /** Alerts counted at {@code priority}. */
    public long count(Priority priority) {
        return byPriority.getOrDefault(priority, 0L);
    }

    /** The summary text, each line ending in a newline. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("Events detected: ").append(total).append('\n');
        out.append("Rule counts by severity:\n");
        for (Map.Entry<Priority, Long> e : byPriority.entrySet()) {
            out.append("   ").append(e.getKey().summaryName()).append(": ").append(e.getValue()).append('\n');
        }
        out.append("Triggered rules by rule name:\n");
        for (Map.Entry<String, Long> e : byRule.entrySet()) {
            if (e.getValue() > 0) {
                out.append("   ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        return out.toString();
    }
}
