package io.peregrine.job.stream;

import io.peregrine.avro.CaptureStats;
import io.peregrine.output.Alert;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The detection operator's metrics. Names follow Falco's Prometheus metrics where the meaning is the
 * same ({@code falcosecurity_falco_rules_matches_total} with rule_name, priority and source labels,
 * as Flink key-value groups); the rest are {@code peregrine_*}.
 */
final class DetectionMetrics {

    private final MetricGroup group;
    final Counter eventsIn;
    final Counter batchesIn;
    /** Batches a shipper sent again (skipped) and batches missing from a shipper's sequence. */
    final Counter duplicateBatches;
    final Counter missingBatches;
    final Counter lateEvents;
    final Counter deadLetters;
    final Counter stateWrites;
    final Counter rulesetsRejected;
    final Histogram nanosPerEvent;
    private final Map<String, Counter> matches = new HashMap<>();
    /** The shippers' capture counters (EventBatch.stats), summed over hosts: drops by cause. */
    final Counter captureEvents;
    private final Map<String, Counter> captureDrops = new HashMap<>();
    volatile String rulesetVersion = "";
    volatile long trackedThreads;
    volatile long cachedKeys;

    DetectionMetrics(MetricGroup group) {
        this.group = group;
        eventsIn = group.counter("peregrine_events_in_total");
        batchesIn = group.counter("peregrine_batches_in_total");
        duplicateBatches = group.counter("peregrine_duplicate_batches_total");
        missingBatches = group.counter("peregrine_missing_batches_total");
        lateEvents = group.counter("peregrine_late_events_total");
        deadLetters = group.counter("peregrine_dead_letters_total");
        stateWrites = group.counter("peregrine_state_writes_total");
        rulesetsRejected = group.counter("peregrine_rulesets_rejected_total");
        nanosPerEvent = group.histogram("peregrine_rule_evaluation_ns_per_event", new DescriptiveStatisticsHistogram(1000));
        captureEvents = group.counter("peregrine_capture_events_total");
        group.gauge("peregrine_ruleset_version", () -> rulesetVersion);
        group.gauge("peregrine_state_threads", () -> trackedThreads);
        group.gauge("peregrine_state_keys", () -> cachedKeys);
    }

    /** Adds one period of a shipper's capture counters. */
    void captured(CaptureStats stats) {
        captureEvents.inc(stats.getEvents());
        stats.getDropsByCause().forEach((cause, n) -> captureDrops.computeIfAbsent(cause.toString(),
                c -> group.addGroup("cause", c).counter("peregrine_capture_drops_total")).inc(n));
    }

    void matched(Alert alert) {
        String id = alert.rule() + '\u0000' + alert.priority();
        matches.computeIfAbsent(id, k -> group.addGroup("rule_name", alert.rule())
                .addGroup("priority", alert.priority().falcoName())
                .addGroup("source", alert.source())
                .counter("falcosecurity_falco_rules_matches_total")).inc();
    }
}
