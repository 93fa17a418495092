package io.peregrine.output;

import java.util.Locale;
import java.util.Optional;

/**
 * Falco's eight rule priorities, in Falco's order: {@link #level()} counts down with severity
 * (0 = Emergency ... 7 = Debug), as in falco_common.h. falcosidekick numbers them the other way
 * round; never mix the two.
 */
public enum Priority {
    EMERGENCY("Emergency"),
    ALERT("Alert"),
    CRITICAL("Critical"),
    ERROR("Error"),
    WARNING("Warning"),
    NOTICE("Notice"),
    INFORMATIONAL("Informational"),
    DEBUG("Debug");

    private final String falcoName;

    Priority(String falcoName) {
        this.falcoName = falcoName;
    }

    /** The name Falco writes in alerts ("Warning", "Informational"). */
    public String falcoName() {
        return falcoName;
    }

    /** Falco's numeric level: 0 for Emergency, 7 for Debug. */
    public int level() {
        return ordinal();
    }

    /**
     * The name in Falco's closing summary ("Rule counts by severity:"): upper case, and the short
     * form "INFO" for Informational, as falco 0.32+ stats_manager prints it.
     */
    public String summaryName() {
        return this == INFORMATIONAL ? "INFO" : falcoName.toUpperCase(Locale.ROOT);
    }

    /** Whether this priority is at least as severe as {@code minimum} (Falco's {@code -o priority=}). */
    public boolean isAtLeast(Priority minimum) {
        return level() <= minimum.level();
    }

    /**
     * Parses a priority as Falco's loader accepts it: any letter case, and "info" for
     * Informational (falco_common::parse_priority).
     *
     * @throws IllegalArgumentException naming the value when it is none of the eight
     */
    public static Priority parse(String value) {
        return lookup(value).orElseThrow(() -> new IllegalArgumentException("Unknown priority value: " + value));
    }

    /** {@link #parse} without the exception: empty when {@code value} is none of the eight. */
    public static Optional<Priority> lookup(String value) {
        if (value != null) {
            for (Priority p : values()) {
                if (p.falcoName.equalsIgnoreCase(value)) {
                    return Optional.of(p);
                }
            }
            if ("info".equalsIgnoreCase(value)) {
                return Optional.of(INFORMATIONAL);
            }
        }
        return Optional.empty();
    }

    /** Falco's priority for numeric level {@code level} (0..7). */
    public static Priority ofLevel(int level) {
        if (level < 0 || level >= values().length) {
            throw new IllegalArgumentException("Unknown priority level: " + level);
        }
        return values()[level];
    }
}
