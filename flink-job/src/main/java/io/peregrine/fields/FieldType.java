package io.peregrine.fields;

/**
 * How a field's values compare and print, following libsinsp's field types.
 *
 * <p>Java representation of a value by type: STRING, FSPATH → {@link String}; INT64, UINT64,
 * RELTIME, ABSTIME, PORT → {@link Long}; BOOL → {@link Boolean}; DOUBLE → {@link Double};
 * IPADDR → {@code byte[]} of 4 or 16 bytes; IPNET → {@code byte[]} address plus prefix
 * ({@link IpNet}); BYTES → {@code byte[]}. A list-valued field returns a {@link java.util.List}
 * of such values.
 */
public enum FieldType {
    STRING, FSPATH, INT64, UINT64, RELTIME, ABSTIME, PORT, BOOL, DOUBLE, IPADDR, IPNET, BYTES;

    /** Whether the values are numbers that compare with {@code <}, {@code >} and friends. */
    public boolean isNumeric() {
        return this == INT64 || this == UINT64 || this == RELTIME || this == ABSTIME || this == PORT
                || this == DOUBLE;
    }
}
