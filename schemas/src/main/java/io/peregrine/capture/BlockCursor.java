package io.peregrine.capture;

import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads within one block body, bounds-checked: running past the end is a
 * {@link CaptureFormatException} naming the absolute offset, never an array index error.
 */
final class BlockCursor {

    private final byte[] data;
    private final int end;
    private final long baseOffset; // file offset of data[0]
    private final String file;
    private int pos;

    BlockCursor(byte[] data, int start, int end, long baseOffset, String file) {
        this.data = data;
        this.pos = start;
        this.end = end;
        this.baseOffset = baseOffset;
        this.file = file;
    }

    String file() {
        return file;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    long fileOffset() {
        return baseOffset + pos;
    }

    CaptureFormatException error(String problem) {
        return new CaptureFormatException(file, fileOffset(), problem);
    }

    private void need(int n, String what) throws CaptureFormatException {
        if (n < 0 || end - pos < n) {
            throw error("truncated " + what + " (need " + n + " bytes, block has " + (end - pos) + ")");
        }
    }

    int u8(String what) throws CaptureFormatException {
        need(1, what);
        return data[pos++] & 0xff;
    }

    int u16(String what) throws CaptureFormatException {
        need(2, what);
        int v = u16At(data, pos);
        pos += 2;
        return v;
    }

    int i32(String what) throws CaptureFormatException {
        need(4, what);
        int v = i32At(data, pos);
        pos += 4;
        return v;
    }

    long u32(String what) throws CaptureFormatException {
        return i32(what) & 0xffffffffL;
    }

    long i64(String what) throws CaptureFormatException {
        need(8, what);
        long v = i64At(data, pos);
        pos += 8;
        return v;
    }

    byte[] bytes(int n, String what) throws CaptureFormatException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(data, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** A string of {@code n} bytes, cut at the first NUL (libscap strings are C strings). */
    String string(int n, String what) throws CaptureFormatException {
        need(n, what);
        String s = cString(data, pos, n);
        pos += n;
        return s;
    }

    /** A u16 length followed by that many bytes, as a C string. */
    String lenString(String what) throws CaptureFormatException {
        return string(u16(what + " length"), what);
    }

    /** A u16 length followed by that many bytes, kept raw (NUL-separated lists). */
    byte[] lenBytes(String what) throws CaptureFormatException {
        return bytes(u16(what + " length"), what);
    }

    void skip(int n, String what) throws CaptureFormatException {
        need(n, what);
        pos += n;
    }

    static int u16At(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static int i32At(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    static long i64At(byte[] b, int i) {
        return (i32At(b, i) & 0xffffffffL) | ((long) i32At(b, i + 4)) << 32;
    }

    static String cString(byte[] b, int off, int n) {
        int len = 0;
        while (len < n && b[off + len] != 0) {
            len++;
        }
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
