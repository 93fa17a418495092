package io.peregrine.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered little reader over the capture stream that knows its byte position, so that every error
 * can name an offset, and that turns every underlying failure into a {@link CaptureFormatException}.
 */
final class ByteSource implements AutoCloseable {

    private final InputStream in;
    private final String name;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long consumed; // bytes before buffer[0]

    ByteSource(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Offset of the next byte to be read. */
    long position() {
        return consumed + pos;
    }

    CaptureFormatException error(long offset, String problem) {
        return new CaptureFormatException(name, offset, problem);
    }

    /** Reads up to {@code len} bytes, as many as the stream has; returns how many were read. */
    int read(byte[] dst, int off, int len) throws CaptureFormatException {
        int done = 0;
        while (done < len) {
            if (pos == limit && !fill()) {
                break;
            }
            int n = Math.min(len - done, limit - pos);
            System.arraycopy(buffer, pos, dst, off + done, n);
            pos += n;
            done += n;
        }
        return done;
    }

    /** Skips up to {@code len} bytes; returns how many were skipped. */
    long skip(long len) throws CaptureFormatException {
        long done = 0;
        while (done < len) {
            if (pos == limit && !fill()) {
                break;
            }
            int n = (int) Math.min(len - done, limit - pos);
            pos += n;
            done += n;
        }
        return done;
    }

    /** Whether the stream has no more bytes. */
    boolean atEnd() throws CaptureFormatException {
        return pos == limit && !fill();
    }

    private boolean fill() throws CaptureFormatException {
        consumed += limit;
        pos = 0;
        limit = 0;
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            limit = n;
            return true;
        } catch (IOException | RuntimeException e) {
            // GZIPInputStream reports corrupt data as ZipException/EOFException, and some streams
            // throw unchecked exceptions on bad input: all of it is a bad capture to our callers.
            throw new CaptureFormatException(name, position(), "cannot read: " + e, e);
        }
    }

    @Override
    public void close() throws CaptureFormatException {
        try {
            in.close();
        } catch (IOException e) {
            throw new CaptureFormatException(name, position(), "cannot close: " + e, e);
        }
    }
}
