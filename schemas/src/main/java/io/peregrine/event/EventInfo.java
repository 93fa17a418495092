package io.peregrine.event;

import java.util.List;

/**
 * One entry of libscap's event table: the id, the name shared by its enter and exit halves, the
 * direction, the category, libscap's {@code EF_*} flags and the parameter layout.
 */
public record EventInfo(int id, String name, boolean enter, String category, int flags,
        List<ParamInfo> params) {

    /** libscap EF_* flag values. */
    public static final int EF_CREATES_FD = 1 << 0;
    public static final int EF_DESTROYS_FD = 1 << 1;
    public static final int EF_USES_FD = 1 << 2;
    public static final int EF_READS_FROM_FD = 1 << 3;
    public static final int EF_WRITES_TO_FD = 1 << 4;
    public static final int EF_MODIFIES_STATE = 1 << 5;
    public static final int EF_UNUSED = 1 << 6;
    public static final int EF_WAITS = 1 << 7;
    public static final int EF_SKIPPARSERESET = 1 << 8;
    public static final int EF_OLD_VERSION = 1 << 9;
    public static final int EF_DROP_SIMPLE_CONS = 1 << 10;
    public static final int EF_LARGE_PAYLOAD = 1 << 11;

    /** {@code '>'} for enter events, {@code '<'} for exit events, as {@code evt.dir} prints it. */
    public char directionChar() {
        return enter ? '>' : '<';
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The index of the parameter called {@code paramName}, or -1. */
    public int paramIndex(String paramName) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(paramName)) {
                return i;
            }
        }
        return -1;
    }
}
