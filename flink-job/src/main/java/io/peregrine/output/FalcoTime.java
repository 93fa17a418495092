package io.peregrine.output;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The three ways Falco prints an event time, from nanoseconds since the epoch.
 *
 * <ul>
 *   <li>{@link #jsonTime}: the JSON {@code time} key, {@code 2016-08-04T16:17:57.881781397Z}
 *       (formats.cpp: strftime "%FT%T" of gmtime, then ".%09luZ");</li>
 *   <li>{@link #iso8601}: {@code %evt.time.iso8601}, {@code 2016-08-04T16:17:57.881781397+0000}
 *       (libsinsp ts_to_iso_8601: gmtime, so always +0000);</li>
 *   <li>{@link #timeOfDay}: {@code %evt.time}, {@code 16:17:57.881781397} in local time
 *       (libsinsp ts_to_string without date: "%02d:%02d:%02d.%09u" after adding the offset).</li>
 * </ul>
 */
public final class FalcoTime {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private FalcoTime() {
    }

    /** Falco's JSON {@code time}: ISO 8601 in UTC with nine fraction digits and {@code Z}. */
    public static String jsonTime(long timeNs) {
        return dateTime(timeNs) + "." + nineDigits(timeNs) + "Z";
    }

    /** {@code %evt.time.iso8601}: ISO 8601 in UTC with nine fraction digits and {@code +0000}. */
    public static String iso8601(long timeNs) {
        return dateTime(timeNs) + "." + nineDigits(timeNs) + "+0000";
    }

    /**
     * {@code %evt.time}: the time of day shifted by {@code offsetSeconds}. libsinsp takes the
     * offset from the machine's zone at the time of printing (gmt2local(0)), not at the event's
     * time, so callers pass the current offset (see {@link #currentLocalOffsetSeconds()}).
     */
    public static String timeOfDay(long timeNs, int offsetSeconds) {
        long seconds = Math.floorDiv(timeNs, NANOS_PER_SECOND);
        long s = Math.floorMod(seconds + offsetSeconds, 86_400L);
        StringBuilder out = new StringBuilder(18);
        pad(out, s / 3600, 2).append(':');
        pad(out, (s % 3600) / 60, 2).append(':');
        pad(out, s % 60, 2).append('.');
        return pad(out, Math.floorMod(timeNs, NANOS_PER_SECOND), 9).toString();
    }

    /** This machine's current offset from UTC in seconds, as libsinsp's gmt2local(0) computes it. */
    public static int currentLocalOffsetSeconds() {
        return java.time.ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
    }

    private static String dateTime(long timeNs) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(timeNs, NANOS_PER_SECOND), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(20);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        return pad(out, t.getSecond(), 2).toString();
    }

    private static String nineDigits(long timeNs) {
        return pad(new StringBuilder(9), Math.floorMod(timeNs, NANOS_PER_SECOND), 9).toString();
    }

    /** Appends {@code value} (not negative) with leading zeros to {@code width} digits, as "%0Nd". */
    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
