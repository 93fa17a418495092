package io.peregrine.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The byte layer of {@link ThreadInfoCodec}: zig-zag varints (so that the many 0 and -1 defaults
 * cost one byte), length-prefixed byte arrays, and strings that are written once per record and
 * referred back to afterwards (an fd's name, raw name and previous name are usually one string;
 * so are a process's exe and exe path).
 *
 * <p>String tags: {@code 0} null; even {@code 2 * (length + 1)} a new UTF-8 string of that many
 * bytes follows; odd {@code 2 * index + 1} the index-th new string of this record.
 */
final class CompactOutput {

    private byte[] buf = new byte[256];
    private int size;
    private final Map<String, Integer> written = new HashMap<>();

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeLong(long v) {
        long zz = (v << 1) ^ (v >> 63);
        ensure(10);
        while ((zz & ~0x7FL) != 0) {
            buf[size++] = (byte) ((zz & 0x7F) | 0x80);
            zz >>>= 7;
        }
        buf[size++] = (byte) zz;
    }

    void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    /** A byte array or null (length -1). */
    void writeBytes(byte[] v) {
        if (v == null) {
            writeLong(-1);
            return;
        }
        writeLong(v.length);
        writeRaw(v, 0, v.length);
    }

    void writeRaw(byte[] v, int offset, int length) {
        ensure(length);
        System.arraycopy(v, offset, buf, size, length);
        size += length;
    }

    void writeString(String v) {
        if (v == null) {
            writeLong(0);
            return;
        }
        Integer index = written.get(v);
        if (index != null) {
            writeUnsigned(2L * index + 1);
            return;
        }
        written.put(v, written.size());
        byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
        writeUnsigned(2L * (utf8.length + 1));
        writeRaw(utf8, 0, utf8.length);
    }

    /** Collection sizes, -1 for null. */
    void writeCount(Object collection, int count) {
        writeLong(collection == null ? -1 : count);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void writeUnsigned(long v) {
        // Tags are never negative: the zig-zag form would double them for nothing.
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
