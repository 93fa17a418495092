package io.peregrine.event;

import java.util.HashMap;
import java.util.Map;

/**
 * libscap's flag and enum name tables ({@code ppm_name_value}), used to print flag parameters the way
 * libsinsp does ({@code O_RDONLY|O_CLOEXEC}).
 *
 * <p>The data lives in {@code flag_tables.tsv} beside this class, in libscap's order, which matters:
 * libsinsp walks a table in order, appending each name whose bits are all set in what remains of the
 * value and clearing them, except that a 0-valued name only applies to a 0 value; it stops at the
 * first name whose value equals the whole original value and appends that name too. That is why
 * 4097 renders as {@code O_RDONLY|O_CLOEXEC} and 2 as {@code AF_INET}, not a set of overlapping bits.
 */
public final class FlagTables {

    private FlagTables() {
    }

    /**
     * The value rendered with the named table as libsinsp does, without the numeric prefix, or
     * {@code null} when no name applies.
     */
    public static String render(String table, long value) {
        Table t = table == null ? null : Data.TABLES.get(table);
        if (t == null) {
            return null;
        }
        long initial = value & 0xffffffffL;
        long remaining = initial;
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < t.values.length && t.values[i] != initial; i++) {
            long flag = t.values[i];
            boolean applies = flag == 0 ? initial == 0 : remaining != 0 && (remaining & flag) == flag;
            if (applies) {
                append(out, t.names[i]);
                remaining &= ~flag;
            }
        }
        if (i < t.values.length) {
            append(out, t.names[i]);
        }
        return out.length() == 0 ? null : out.toString();
    }

    /**
     * The name of {@code value} in an enum table (libscap's PT_ENUMFLAGS types: exactly one name
     * applies), or {@code null}.
     */
    public static String renderEnum(String table, long value) {
        Table t = table == null ? null : Data.TABLES.get(table);
        if (t == null) {
            return null;
        }
        long v = value & 0xffffffffL;
        for (int i = 0; i < t.values.length; i++) {
            if (t.values[i] == v) {
                return t.names[i];
            }
        }
        return null;
    }

    /** Whether a table called {@code table} exists. */
    public static boolean exists(String table) {
        return Data.TABLES.containsKey(table);
    }

    private static void append(StringBuilder out, String name) {
        if (out.length() > 0) {
            out.append('|');
        }
        out.append(name);
    }

    /** One table's names and values, in libscap's order. */
    private record Table(String[] names, long[] values) {
    }

    /** Loaded on first use. */
    private static final class Data {
        static final Map<String, Table> TABLES;

        static {
            Map<String, Table> tables = new HashMap<>();
            for (TsvResource.Row row : TsvResource.read("flag_tables.tsv")) {
                String[] entries = row.cell(2).isEmpty() ? new String[0] : row.cell(2).split(",");
                String[] names = new String[entries.length];
                long[] values = new long[entries.length];
                for (int i = 0; i < entries.length; i++) {
                    int eq = entries[i].lastIndexOf('=');
                    if (eq <= 0 || !entries[i].startsWith("0x", eq + 1)) {
                        throw row.error("bad entry " + entries[i]);
                    }
                    names[i] = entries[i].substring(0, eq);
                    values[i] = Long.parseLong(entries[i].substring(eq + 3), 16);
                }
                tables.put(row.cell(0), new Table(names, values));
            }
            TABLES = Map.copyOf(tables);
        }
    }
}
