package io.peregrine.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libscap's dynamic parameter tables: a {@link ParamType#DYN} value is one index byte followed by a
 * value whose type and print format the parameter's table gives at that index (setsockopt/getsockopt
 * {@code val}, ptrace {@code addr}/{@code data}, bpf {@code fd}). The parameter names its table in
 * {@link ParamInfo#flagTable()}. Data: {@code dynamic_params.tsv} beside this class.
 */
public final class DynamicParams {

    private DynamicParams() {
    }

    /**
     * The concrete parameter for index {@code index} of {@code dyn}'s table: {@code dyn}'s name with
     * the table's type and format, or {@code null} when {@code dyn} has no table or the index is
     * outside it (libsinsp then prints the value as an invalid dynamic parameter).
     */
    public static ParamInfo resolve(ParamInfo dyn, int index) {
        if (dyn == null || dyn.type() != ParamType.DYN || dyn.flagTable() == null) {
            return null;
        }
        List<ParamInfo> table = Data.TABLES.get(dyn.flagTable());
        if (table == null || index < 0 || index >= table.size()) {
            return null;
        }
        ParamInfo entry = table.get(index);
        return new ParamInfo(dyn.name(), entry.type(), entry.format(), null);
    }

    /** Whether a dynamic table called {@code table} exists. */
    public static boolean exists(String table) {
        return Data.TABLES.containsKey(table);
    }

    /** Loaded on first use. */
    private static final class Data {
        static final Map<String, List<ParamInfo>> TABLES;

        static {
            Map<String, List<ParamInfo>> tables = new HashMap<>();
            for (TsvResource.Row row : TsvResource.read("dynamic_params.tsv")) {
                String[] entries = row.cell(2).split(",");
                ParamInfo[] infos = new ParamInfo[entries.length];
                for (int i = 0; i < entries.length; i++) {
                    String[] parts = entries[i].split(":");
                    if (parts.length != 2) {
                        throw row.error("bad entry " + entries[i]);
                    }
                    infos[i] = new ParamInfo("", ParamType.valueOf(parts[0]), ParamFormat.valueOf(parts[1]), null);
                }
                tables.put(row.cell(0), List.of(infos));
            }
            TABLES = Map.copyOf(tables);
        }
    }
}
