package io.peregrine.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@link CompactOutput} wrote; any inconsistency (truncation, an overlong varint, a
 * reference to a string not yet read) is an {@link IllegalArgumentException} naming the byte offset.
 */
final class CompactInput {

    private final byte[] buf;
    private int pos;
    private final List<String> strings = new ArrayList<>();

    CompactInput(byte[] buf, int start) {
        this.buf = buf;
        this.pos = start;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long readLong() {
        long zz = readUnsigned();
        return (zz >>> 1) ^ -(zz & 1);
    }

    int readInt() {
        long v = readLong();
        if (v != (int) v) {
            throw error("an int out of range (" + v + ")");
        }
        return (int) v;
    }

    boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw error("a boolean byte " + b);
        }
        return b == 1;
    }

    byte[] readBytes() {
        int length = readCount();
        if (length < 0) {
            return null;
        }
        need(length);
        byte[] out = new byte[length];
        System.arraycopy(buf, pos, out, 0, length);
        pos += length;
        return out;
    }

    String readString() {
        long tag = readUnsigned();
        if (tag == 0) {
            return null;
        }
        if ((tag & 1) == 1) {
            long index = tag >>> 1;
            if (index >= strings.size()) {
                throw error("a reference to string " + index + " of " + strings.size());
            }
            return strings.get((int) index);
        }
        long length = (tag >>> 1) - 1;
        if (length > buf.length - pos) {
            throw error("a string of " + length + " bytes past the end");
        }
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        strings.add(s);
        return s;
    }

    /** A collection size (-1 for null), checked against the bytes left so that junk cannot allocate much. */
    int readCount() {
        long n = readLong();
        if (n < -1 || n > buf.length - pos) {
            throw error("a count of " + n + " with " + (buf.length - pos) + " bytes left");
        }
        return (int) n;
    }

    void readRaw(byte[] into, int length) {
        need(length);
        System.arraycopy(buf, pos, into, 0, length);
        pos += length;
    }

    int remaining() {
        return buf.length - pos;
    }

    boolean atEnd() {
        return pos == buf.length;
    }

    IllegalArgumentException error(String what) {
        return new IllegalArgumentException("stored thread: " + what + " at byte offset " + pos);
    }

    private long readUnsigned() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw error("a varint longer than 10 bytes");
    }

    private void need(int n) {
        if (n > buf.length - pos) {
            throw error("truncated: " + n + " more bytes needed, " + (buf.length - pos) + " left");
        }
    }
}
