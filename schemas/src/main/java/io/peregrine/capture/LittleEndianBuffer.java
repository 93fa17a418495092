package io.peregrine.capture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A growable little-endian byte buffer for building blocks before they are written. */
final class LittleEndianBuffer {

    private byte[] data = new byte[4096];
    private int size;

    int size() {
        return size;
    }

    byte[] array() {
        return data;
    }

    void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
        }
    }

    LittleEndianBuffer u8(int v) {
        ensure(1);
        data[size++] = (byte) v;
        return this;
    }

    LittleEndianBuffer u16(int v) {
        ensure(2);
        data[size++] = (byte) v;
        data[size++] = (byte) (v >>> 8);
        return this;
    }

    LittleEndianBuffer u32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            data[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    LittleEndianBuffer u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            data[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    LittleEndianBuffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, size, len);
        size += len;
        return this;
    }

    LittleEndianBuffer bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** Overwrites the u32 at {@code at} (for lengths known only after the entry is built). */
    void putU32(int at, long v) {
        for (int i = 0; i < 4; i++) {
            data[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** A u16 length and the string's UTF-8 bytes (no NUL), cut to {@code max} bytes. */
    LittleEndianBuffer lenString(String s, int max) {
        return lenBytes(s.getBytes(StandardCharsets.UTF_8), max);
    }

    LittleEndianBuffer lenBytes(byte[] b, int max) {
        int n = Math.min(b.length, max);
        u16(n);
        return bytes(b, 0, n);
    }

    /** A fixed-size C string field: the string cut to {@code size-1} bytes, NUL-padded. */
    LittleEndianBuffer fixedString(String s, int size) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, size - 1);
        bytes(b, 0, n);
        ensure(size - n);
        Arrays.fill(data, this.size, this.size + size - n, (byte) 0);
        this.size += size - n;
        return this;
    }

    /** libscap's NUL-separated list encoding: every element followed by a NUL. */
    static byte[] joinNul(List<String> items) {
        int total = 0;
        byte[][] parts = new byte[items.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = items.get(i).getBytes(StandardCharsets.UTF_8);
            total += parts[i].length + 1;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length + 1;
        }
        return out;
    }
}
