package io.peregrine.event;

/**
 * Parameter types of libscap's event table ({@code ppm_param_type}), in libscap's numbering.
 *
 * <p>The ordinal is the libscap value, so it must never be reordered. {@link #size()} is the fixed
 * encoded width in bytes, or -1 for variable-length types.
 */
public enum ParamType {
    NONE(0), INT8(1), INT16(2), INT32(4), INT64(8), UINT8(1), UINT16(2), UINT32(4), UINT64(8),
    CHARBUF(-1), BYTEBUF(-1), ERRNO(8), SOCKADDR(-1), SOCKTUPLE(-1), FD(8), PID(8), FDLIST(-1),
    FSPATH(-1), SYSCALLID(2), SIGTYPE(1), RELTIME(8), ABSTIME(8), PORT(2), L4PROTO(1), SOCKFAMILY(1),
    BOOL(4), IPV4ADDR(4), DYN(-1), FLAGS8(1), FLAGS16(2), FLAGS32(4), UID(4), GID(4), DOUBLE(8),
    SIGSET(4), CHARBUFARRAY(-1), CHARBUF_PAIR_ARRAY(-1), IPV4NET(8), IPV6ADDR(16), IPV6NET(32),
    IPADDR(-1), IPNET(-1), MODE(4), FSRELPATH(-1), ENUMFLAGS8(1), ENUMFLAGS16(2), ENUMFLAGS32(4);

    private final int size;

    ParamType(int size) {
        this.size = size;
    }

    /** Encoded width in bytes, or -1 when the length varies. */
    public int size() {
        return size;
    }

    /** Whether values are signed integers (sign-extended when decoded). */
    public boolean isSigned() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64 || this == ERRNO
                || this == FD || this == PID;
    }

    /** The type with libscap's numeric value. */
    public static ParamType of(int libscapValue) {
        ParamType[] all = values();
        if (libscapValue < 0 || libscapValue >= all.length) {
            throw new IllegalArgumentException("unknown libscap parameter type " + libscapValue);
        }
        return all[libscapValue];
    }
}
