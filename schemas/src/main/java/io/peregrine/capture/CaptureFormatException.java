package io.peregrine.capture;

import java.io.IOException;

/**
 * A capture that cannot be read: corrupt, truncated, of an unsupported version, or failing underneath
 * (I/O, gzip). The only exception {@link ScapReader} throws; its message names the file and the byte
 * offset, e.g. {@code cat_write.scap: bad block length 0x3 at byte 1234}. For gzip captures the
 * offset counts decompressed bytes (the pcapng stream), as libscap does.
 */
public class CaptureFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    public CaptureFormatException(String file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public CaptureFormatException(String file, long offset, String problem, Throwable cause) {
        super(file + ": " + problem + " at byte " + offset, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The name of the capture (file name, or the name given for a stream). */
    public String file() {
        return file;
    }

    /** The byte offset in the (decompressed) capture where the problem was found. */
    public long offset() {
        return offset;
    }
}
