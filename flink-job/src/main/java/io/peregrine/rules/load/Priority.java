package io.peregrine.rules.load;

import java.util.Locale;

/** Falco's eight rule priorities, most severe first (syslog order). */
public enum Priority {
    EMERGENCY("Emergency"), ALERT("Alert"), CRITICAL("Critical"), ERROR("Error"), WARNING("Warning"),
    NOTICE("Notice"), INFORMATIONAL("Informational"), DEBUG("Debug");

    private final String display;

    Priority(String display) {
        this.display = display;
    }

    /** As Falco prints it in alerts ({@code Warning}). */
    public String display() {
        return display;
    }

    /** Whether this priority is at least as severe as {@code minimum}. */
    public boolean atLeast(Priority minimum) {
        return ordinal() <= minimum.ordinal();
    }

    /** Parses a priority case-insensitively, accepting {@code info}; null when unknown. */
    public static Priority parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("info")) {
            return INFORMATIONAL;
        }
        for (Priority p : values()) {
            if (p.display.toLowerCase(Locale.ROOT).equals(t)) {
                return p;
            }
        }
        return null;
    }
}
