package io.peregrine.event;

import java.util.List;

/**
 * One entry of libscap's event table: the id, the name shared by its enter and exit halves, the
 * direction, the category, libscap's {@code EF_*} flags and the parameter layout.
 *
 * <p>{@code category} is libscap's ppm_event_category in lower case ({@code file}, {@code net},
 * {@code io_read}, {@code io_write}, {@code io_other}, {@code wait}, {@code internal}...).
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

    /** The EF_* names without prefix, indexed by bit number (as event_table.tsv spells them). */
    static final String[] FLAG_NAMES = {"CREATES_FD", "DESTROYS_FD", "USES_FD", "READS_FROM_FD",
        "WRITES_TO_FD", "MODIFIES_STATE", "UNUSED", "WAITS", "SKIPPARSERESET", "OLD_VERSION",
        "DROP_SIMPLE_CONS", "LARGE_PAYLOAD"};

    /** A placeholder id libscap never emits (EF_UNUSED); it has no {@code evt.type}. */
    public boolean isUnused() {
        return hasFlag(EF_UNUSED);
    }

    /** An older layout of an event kept for reading old captures (EF_OLD_VERSION). */
    public boolean isOldVersion() {
        return hasFlag(EF_OLD_VERSION);
    }

    /** Whether low-overhead ("simple") consumers may skip this event (EF_DROP_SIMPLE_CONS). */
    public boolean dropsSimpleConsumer() {
        return hasFlag(EF_DROP_SIMPLE_CONS);
    }

    /** Whether the event's parameter lengths are 4 bytes instead of 2 in the wire format (EF_LARGE_PAYLOAD). */
    public boolean isLargePayload() {
        return hasFlag(EF_LARGE_PAYLOAD);
    }

    /** Whether the event changes process or fd state, so it must never be filtered out before the state engine. */
    public boolean modifiesState() {
        return hasFlag(EF_MODIFIES_STATE);
    }

    public boolean createsFd() {
        return hasFlag(EF_CREATES_FD);
    }

    public boolean destroysFd() {
        return hasFlag(EF_DESTROYS_FD);
    }

    public boolean usesFd() {
        return hasFlag(EF_USES_FD);
    }

    /** libscap's ppm_event_category value for {@link #category()} (e.g. 2 for "file", 32 for "io_read"). */
    public int categoryCode() {
        return switch (category) {
            case "other" -> 1;
            case "file" -> 2;
            case "net" -> 3;
            case "ipc" -> 4;
            case "memory" -> 5;
            case "process" -> 6;
            case "sleep" -> 7;
            case "system" -> 8;
            case "signal" -> 9;
            case "user" -> 10;
            case "time" -> 11;
            case "processing" -> 12;
            case "io_read" -> 32;
            case "io_write" -> 33;
            case "io_other" -> 34;
            case "wait" -> 64;
            case "scheduler" -> 128;
            case "internal" -> 256;
            default -> 0;
        };
    }

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
