package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import java.util.HashMap;
import java.util.Map;

/**
 * Typed access to an event's parameters by name, tolerant of the older, shorter layouts that
 * captures carry (a missing parameter reads as absent, never as an exception).
 */
public final class EventParams {

    private static final Map<String, Integer>[] INDEX = buildIndex();

    private EventParams() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer>[] buildIndex() {
        Map<String, Integer>[] index = new Map[EventTable.size()];
        for (int id = 0; id < index.length; id++) {
            EventInfo info = EventTable.get(id);
            Map<String, Integer> byName = new HashMap<>();
            // Newer drivers append parameters to old ids; the extended layout names them too.
            java.util.List<io.peregrine.event.ParamInfo> layout = EventTable.extendedParams(id);
            if (layout.isEmpty() && info != null) {
                layout = info.params();
            }
            for (int i = 0; i < layout.size(); i++) {
                byName.putIfAbsent(layout.get(i).name(), i);
            }
            index[id] = byName;
        }
        return index;
    }

    /** The index of parameter {@code name} in events of {@code type} that {@code e} really carries, or -1. */
    public static int index(Event e, String name) {
        int type = e.type();
        if (type < 0 || type >= INDEX.length) {
            return -1;
        }
        Integer i = INDEX[type].get(name);
        return i == null || i >= e.paramCount() ? -1 : i;
    }

    public static boolean has(Event e, String name) {
        return index(e, name) >= 0;
    }

    /** The integer parameter sign-extended, or {@code absent} when the event lacks it. */
    public static long signed(Event e, String name, long absent) {
        int i = index(e, name);
        return i < 0 || !isInt(e.paramLength(i)) ? absent : e.paramLong(i, true);
    }

    /** The integer parameter zero-extended, or {@code absent} when the event lacks it. */
    public static long unsigned(Event e, String name, long absent) {
        int i = index(e, name);
        return i < 0 || !isInt(e.paramLength(i)) ? absent : e.paramLong(i, false);
    }

    public static long signedAt(Event e, int i, long absent) {
        return i < 0 || i >= e.paramCount() || !isInt(e.paramLength(i)) ? absent : e.paramLong(i, true);
    }

    /** A string parameter, or null when absent. */
    public static String string(Event e, String name) {
        int i = index(e, name);
        return i < 0 ? null : e.paramString(i);
    }

    /** A raw parameter, or null when absent. */
    public static byte[] bytes(Event e, String name) {
        int i = index(e, name);
        return i < 0 ? null : e.paramBytes(i);
    }

    /** Whether parameter {@code i} is present and has an integer width (1, 2, 4 or 8 bytes). */
    public static boolean isInteger(Event e, int i) {
        return i >= 0 && i < e.paramCount() && isInt(e.paramLength(i));
    }

    private static boolean isInt(int len) {
        return len == 1 || len == 2 || len == 4 || len == 8;
    }

    /** A NUL-separated list parameter (args, env, cgroups) split into its strings. */
    public static java.util.List<String> stringList(Event e, String name) {
        int i = index(e, name);
        java.util.List<String> out = new java.util.ArrayList<>();
        if (i < 0) {
            return out;
        }
        byte[] d = e.data();
        int start = e.paramOffset(i);
        int end = start + e.paramLength(i);
        int s = start;
        for (int p = start; p < end; p++) {
            if (d[p] == 0) {
                out.add(new String(d, s, p - s, java.nio.charset.StandardCharsets.UTF_8));
                s = p + 1;
            }
        }
        if (s < end) {
            out.add(new String(d, s, end - s, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Little-endian reads inside a raw buffer. */
    public static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    public static long u32(byte[] b, int off) {
        return ((b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16
                | (long) (b[off + 3] & 0xff) << 24);
    }

    public static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    public static byte[] slice(byte[] b, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        return out;
    }
}
