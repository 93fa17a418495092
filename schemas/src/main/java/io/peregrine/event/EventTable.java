package io.peregrine.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * libscap's event table: every event id with its name, direction, flags and parameter layout.
 *
 * <p>The data lives in {@code event_table.tsv} beside this class (format in its header): ids 0..335
 * from libs@e5c53d648f3c (sysdig 0.29.3), later ids appended from a newer libs. It is loaded once;
 * lookups by id are array indexing.
 */
public final class EventTable {

    /**
     * Names this table's content: the libs it was taken from (ids up to 335 from e5c53d64, appended
     * ids from 9.1.0). Avro batches carry it ({@code EventBatch.eventTableVersion}); change it whenever
     * event_table.tsv changes.
     */
    public static final String VERSION = "libs@e5c53d648f3c+9.1.0";

    private EventTable() {
    }

    /** The entry for {@code id}, or {@code null} when the id is outside the table. */
    public static EventInfo get(int id) {
        EventInfo[] byId = Data.BY_ID;
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** Number of ids in the table (ids are 0 .. size()-1). */
    public static int size() {
        return Data.BY_ID.length;
    }

    /** Every entry, by id. */
    public static List<EventInfo> all() {
        return Data.ALL;
    }

    /** All ids called {@code name} (enter and exit, every version), by id. */
    public static List<EventInfo> named(String name) {
        return Data.BY_NAME.getOrDefault(name, List.of());
    }

    /** Every event type name that a rule can match ({@code evt.type} values), excluding unused ids. */
    public static Set<String> names() {
        return Data.NAMES;
    }

    /**
     * The {@link #names()} sysdig 0.29.3 knows (ids up to {@link #lastOracleId()}): names that only
     * newer libs define, such as {@code accept4}, {@code dup2}, {@code memfd_create} or
     * {@code pidfd_open}, are missing, as they are from that sysdig's filter compiler.
     */
    public static Set<String> oracleNames() {
        return Data.ORACLE_NAMES;
    }

    /**
     * The id of libscap's enum constant {@code enumName} (e.g. {@code "PPME_SYSCALL_EXECVE_19_X"}),
     * so code can name event versions instead of hard-coding numbers.
     *
     * @throws IllegalArgumentException for a name the table does not know
     */
    public static int id(String enumName) {
        Integer id = Data.BY_ENUM.get(enumName);
        if (id == null) {
            throw new IllegalArgumentException("unknown libscap event " + enumName);
        }
        return id;
    }

    /** libscap's enum constant for {@code id} (e.g. {@code "PPME_SYSCALL_OPEN_X"}), or {@code null}. */
    public static String enumName(int id) {
        return id >= 0 && id < Data.ENUM_NAMES.length ? Data.ENUM_NAMES[id] : null;
    }

    /** The libs version the entry for {@code id} was taken from (e.g. {@code "libs@e5c53d648f3c"}), or {@code null}. */
    public static String origin(int id) {
        return id >= 0 && id < Data.ORIGINS.length ? Data.ORIGINS[id] : null;
    }

    /** The largest id taken from the libs of sysdig 0.29.3 (later ids were appended from a newer libs). */
    public static int lastOracleId() {
        return Data.LAST_ORACLE_ID;
    }

    /**
     * The parameters of {@code id} as the newest known libs (9.1.0) lays them out: {@link EventInfo#params()}
     * followed by the ones newer drivers append (e.g. open's {@code ino}, execve's {@code trusted_exepath}).
     * Use it to name parameters of captures from newer drivers beyond what sysdig 0.29.3 reads; an
     * empty list for an unknown id.
     */
    public static List<ParamInfo> extendedParams(int id) {
        return id >= 0 && id < Data.EXTENDED.length ? Data.EXTENDED[id] : List.of();
    }

    /**
     * For a {@link ParamType#FSRELPATH} parameter, the index of the parameter holding the directory
     * fd the path is relative to; -1 for any other parameter or an unknown id.
     */
    public static int dirfdParam(int id, int paramIndex) {
        if (id < 0 || id >= Data.DIRFDS.length) {
            return -1;
        }
        int[] dirfds = Data.DIRFDS[id];
        return paramIndex >= 0 && paramIndex < dirfds.length ? dirfds[paramIndex] : -1;
    }

    /** Loaded on first use (holder idiom), so that merely referencing the class costs nothing. */
    private static final class Data {
        static final String ORACLE_ORIGIN = "libs@e5c53d648f3c";
        static final EventInfo[] BY_ID;
        static final String[] ENUM_NAMES;
        static final String[] ORIGINS;
        static final int[][] DIRFDS;
        static final List<ParamInfo>[] EXTENDED;
        static final int LAST_ORACLE_ID;
        static final List<EventInfo> ALL;
        static final Map<String, List<EventInfo>> BY_NAME;
        static final Map<String, Integer> BY_ENUM;
        static final Set<String> NAMES;
        static final Set<String> ORACLE_NAMES;

        static {
            List<TsvResource.Row> rows = TsvResource.read("event_table.tsv");
            int n = rows.size();
            BY_ID = new EventInfo[n];
            ENUM_NAMES = new String[n];
            ORIGINS = new String[n];
            DIRFDS = new int[n][];
            @SuppressWarnings("unchecked")
            List<ParamInfo>[] extended = new List[n];
            EXTENDED = extended;
            Map<String, Integer> byEnum = new HashMap<>();
            int lastOracle = -1;
            for (TsvResource.Row row : rows) {
                int id = Integer.parseInt(row.cell(0));
                if (id < 0 || id >= n || BY_ID[id] != null) {
                    throw row.error("ids must be 0..n-1 without gaps or repeats, got " + id);
                }
                List<ParamInfo> params = new ArrayList<>();
                List<Integer> dirfdList = new ArrayList<>();
                parseParams(row, row.cell(7), params, dirfdList);
                int oracleCount = params.size();
                parseParams(row, row.cells().length > 8 ? row.cell(8) : "", params, dirfdList);
                int[] dirfds = dirfdList.stream().mapToInt(Integer::intValue).toArray();
                BY_ID[id] = new EventInfo(id, row.cell(1), row.cell(2).equals("E"), row.cell(3),
                        flags(row, row.cell(4)), List.copyOf(params.subList(0, oracleCount)));
                EXTENDED[id] = List.copyOf(params);
                ORIGINS[id] = row.cell(5);
                ENUM_NAMES[id] = row.cell(6);
                DIRFDS[id] = dirfds;
                byEnum.put(row.cell(6), id);
                if (ORACLE_ORIGIN.equals(row.cell(5))) {
                    lastOracle = Math.max(lastOracle, id);
                }
            }
            LAST_ORACLE_ID = lastOracle;
            ALL = List.of(BY_ID);
            BY_ENUM = Map.copyOf(byEnum);
            Map<String, List<EventInfo>> byName = new LinkedHashMap<>();
            Set<String> names = new TreeSet<>();
            Set<String> oracleNames = new TreeSet<>();
            for (EventInfo info : BY_ID) {
                byName.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(info);
                if (!info.isUnused()) {
                    names.add(info.name());
                    if (info.id() <= LAST_ORACLE_ID) {
                        oracleNames.add(info.name());
                    }
                }
            }
            byName.replaceAll((k, v) -> List.copyOf(v));
            BY_NAME = Collections.unmodifiableMap(byName);
            NAMES = Collections.unmodifiableSet(names);
            ORACLE_NAMES = Collections.unmodifiableSet(oracleNames);
        }

        private static void parseParams(TsvResource.Row row, String column, List<ParamInfo> params,
                List<Integer> dirfds) {
            if (column.isEmpty()) {
                return;
            }
            for (String spec : column.split(",")) {
                String[] parts = spec.split(":", -1);
                if (parts.length < 3) {
                    throw row.error("bad parameter spec " + spec);
                }
                String table = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
                dirfds.add(parts.length > 4 ? Integer.parseInt(parts[4]) : -1);
                params.add(new ParamInfo(parts[0], ParamType.valueOf(parts[1]), format(parts[2]), table));
            }
        }

        private static ParamFormat format(String name) {
            // libscap calls it PF_10_PADDED_DEC; our enum keeps the fixed contract's name.
            return name.equals("10_PADDED_DEC") ? ParamFormat.PADDED_HEX : ParamFormat.valueOf(name);
        }

        private static int flags(TsvResource.Row row, String spec) {
            if (spec.equals("-")) {
                return 0;
            }
            int flags = 0;
            for (String name : spec.split("\\|")) {
                int bit = Arrays.asList(EventInfo.FLAG_NAMES).indexOf(name);
                if (bit < 0) {
                    throw row.error("unknown event flag " + name);
                }
                flags |= 1 << bit;
            }
            return flags;
        }
    }
}
