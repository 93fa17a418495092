package io.peregrine.job.stream;

import io.peregrine.output.Priority;
import io.peregrine.rules.load.RuleSelection;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The streaming job's settings. Each can be given as a job argument ({@code --events-topic x}) or as
 * a Flink configuration key with the {@code peregrine.} prefix ({@code peregrine.events-topic: x} in
 * config.yaml or {@code -D}); arguments win. {@link #KEYS} lists every key with its default (the
 * README's table is built from it).
 */
public record StreamJobOptions(String bootstrapServers, String eventsTopic, String rulesTopic, String statusTopic,
        String alertsTopic, String deadLetterTopic, String controlTopic, String groupId, String transactionalIdPrefix,
        long transactionTimeoutMs, long outOfOrdernessMs, long idlenessMs, long idleKeyMs, int maxCachedKeys, long threadTimeoutMs,
        long checkpointIntervalMs, Priority minimumPriority, boolean allEvents, RuleSelection.Matching matching,
        String startingOffsets, Map<String, String> kafkaProperties) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every option with its default value. */
    public static final Map<String, String> KEYS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap-servers", "127.0.0.1:9092");
        d.put("events-topic", "events");
        d.put("rules-topic", "rules");
        d.put("status-topic", "rules-status");
        d.put("alerts-topic", "alerts");
        d.put("dead-letter-topic", "events-dead-letter");
        d.put("control-topic", "event-types");
        d.put("group-id", "peregrine");
        d.put("transactional-id-prefix", "peregrine-alerts");
        d.put("transaction-timeout-ms", "900000");
        d.put("out-of-orderness-ms", "5000");
        d.put("idleness-ms", "30000");
        d.put("idle-key-ms", "3600000");
        d.put("max-cached-keys", "10000");
        d.put("thread-timeout-ms", Long.toString(ThreadExpiry.DEFAULT_TIMEOUT_MS));
        d.put("checkpoint-interval-ms", "10000");
        d.put("min-priority", "debug");
        d.put("all-events", "false");
        d.put("rule-matching", "first");
        d.put("starting-offsets", "committed");
        return d;
    }

    /** Options from {@code args} over {@code flinkConfig} (keys with the {@code peregrine.} prefix) over the defaults. */
    public static StreamJobOptions parse(String[] args, Map<String, String> flinkConfig) {
        Map<String, String> v = new LinkedHashMap<>(KEYS);
        Map<String, String> kafka = new LinkedHashMap<>();
        flinkConfig.forEach((k, val) -> {
            if (k.startsWith("peregrine.kafka.")) {
                kafka.put(k.substring("peregrine.kafka.".length()), val);
            } else if (k.startsWith("peregrine.")) {
                put(v, k.substring("peregrine.".length()), val);
            }
        });
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options are --key value)");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + key + " needs a value");
            }
            if (key.startsWith("kafka.")) {
                kafka.put(key.substring("kafka.".length()), value);
            } else {
                put(v, key, value);
            }
        }
        return new StreamJobOptions(v.get("bootstrap-servers"), v.get("events-topic"), v.get("rules-topic"),
                v.get("status-topic"), v.get("alerts-topic"), v.get("dead-letter-topic"), v.get("control-topic"),
                v.get("group-id"), v.get("transactional-id-prefix"), number(v, "transaction-timeout-ms"),
                number(v, "out-of-orderness-ms"), number(v, "idleness-ms"), number(v, "idle-key-ms"),
                (int) number(v, "max-cached-keys"), number(v, "thread-timeout-ms"), number(v, "checkpoint-interval-ms"),
                priority(v.get("min-priority")), Boolean.parseBoolean(v.get("all-events")),
                RuleSelection.Matching.valueOf(v.get("rule-matching").toUpperCase(java.util.Locale.ROOT)),
                v.get("starting-offsets"), kafka);
    }

    private static void put(Map<String, String> v, String key, String value) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown option '" + key + "'; known: " + String.join(", ", KEYS.keySet()));
        }
        v.put(key, value);
    }

    private static long number(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be a number, not '" + v.get(key) + "'");
        }
    }

    private static Priority priority(String name) {
        return Priority.parse(name);
    }
}
