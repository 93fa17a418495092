package io.peregrine.shipper.probe;

import io.peregrine.event.Event;
import java.util.Map;
import java.util.Set;

/** One frame of the probe's output stream (probe/FORMAT.md). */
public sealed interface ProbeFrame {

    /** Frame kind bytes, as FORMAT.md numbers them. */
    int HELLO = 1;
    int EVENT = 2;
    int STATS = 3;
    int TYPES = 4;
    int ERROR = 5;

    /** First frame: how to turn boot-time stamps into wall-clock ones, and the loader's identity. */
    record Hello(long bootOffsetNs, int loaderPid, int cpus, int ringBytes) implements ProbeFrame {
    }

    /** One libscap event; {@code raw} is the event's bytes exactly as libscap lays them out. */
    record EventFrame(Event event, byte[] raw) implements ProbeFrame {
    }

    /** The probe's counters (cumulative since start), drops by cause included. */
    record Stats(long timestampNs, Map<String, Long> counters) implements ProbeFrame {

        /** A counter's value, 0 when the probe does not report it. */
        public long get(String name) {
            return counters.getOrDefault(name, 0L);
        }

        /** Counters of an earlier loader added to this one's (the supervisor restarted the probe). */
        public Stats plus(Stats later) {
            Map<String, Long> sum = new java.util.LinkedHashMap<>(later.counters());
            counters.forEach((k, v) -> sum.merge(k, v, Long::sum));
            return new Stats(later.timestampNs(), sum);
        }

        /** Everything lost in the kernel half, whatever the cause. */
        public long kernelDrops() {
            return get("drops_ring_full") + get("drops_too_big");
        }
    }

    /** The event types the probe now captures (sent at start and after every selection change). */
    record Types(Set<String> names) implements ProbeFrame {
    }

    /** A complaint from the loader (e.g. an unknown control line). */
    record ProbeError(String message) implements ProbeFrame {
    }
}
