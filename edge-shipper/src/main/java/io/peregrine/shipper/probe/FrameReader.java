package io.peregrine.shipper.probe;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the probe's stream (probe/FORMAT.md): an 8-byte header ("PGPF", version, 3 reserved bytes)
 * then frames of {@code u32 length | u8 kind | payload}. Unknown kinds are skipped, so a newer probe
 * can add kinds without breaking older readers.
 */
public final class FrameReader implements AutoCloseable {

    /** The stream version this reader understands. */
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'P', 'G', 'P', 'F'};
    private static final int MAX_FRAME = 1 << 20;

    private final InputStream in;
    private long offset;
    private boolean headerRead;

    public FrameReader(InputStream in) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    }

    /** The next frame, or {@code null} at a clean end of stream (between frames). */
    public ProbeFrame next() throws IOException {
        if (!headerRead) {
            readHeader();
        }
        while (true) {
            long frameStart = offset;
            byte[] prefix = new byte[5];
            int got = readFully(prefix, true);
            if (got == 0) {
                return null;
            }
            long len = LibscapEventCodec.u32(prefix, 0);
            if (len < 1 || len > MAX_FRAME) {
                throw new ProbeFormatException(frameStart, "frame length " + len + " out of range");
            }
            int kind = prefix[4] & 0xff;
            byte[] payload = new byte[(int) len - 1];
            readFully(payload, false);
            ProbeFrame frame = decode(kind, payload, frameStart);
            if (frame != null) {
                return frame;
            }
        }
    }

    private void readHeader() throws IOException {
        byte[] h = new byte[8];
        readFully(h, false);
        if (!Arrays.equals(Arrays.copyOf(h, 4), MAGIC)) {
            throw new ProbeFormatException(0, "not a probe stream (magic " + Arrays.toString(Arrays.copyOf(h, 4)) + ")");
        }
        if ((h[4] & 0xff) != VERSION) {
            throw new ProbeFormatException(4, "stream version " + (h[4] & 0xff) + ", this reader knows " + VERSION);
        }
        headerRead = true;
    }

    private ProbeFrame decode(int kind, byte[] p, long at) throws ProbeFormatException {
        try {
            switch (kind) {
                case ProbeFrame.HELLO:
                    return new ProbeFrame.Hello(LibscapEventCodec.u64(p, 0), (int) LibscapEventCodec.u32(p, 8),
                            (int) LibscapEventCodec.u32(p, 12), (int) LibscapEventCodec.u32(p, 16));
                case ProbeFrame.EVENT: {
                    int cpu = LibscapEventCodec.u16(p, 0);
                    byte[] raw = Arrays.copyOfRange(p, 2, p.length);
                    return new ProbeFrame.EventFrame(LibscapEventCodec.decode(raw, 0, raw.length, cpu), raw);
                }
                case ProbeFrame.STATS:
                    return stats(p);
                case ProbeFrame.TYPES: {
                    Set<String> names = new LinkedHashSet<>();
                    for (String s : new String(p, StandardCharsets.UTF_8).split(",")) {
                        if (!s.isEmpty()) {
                            names.add(s);
                        }
                    }
                    return new ProbeFrame.Types(names);
                }
                case ProbeFrame.ERROR:
                    return new ProbeFrame.ProbeError(new String(p, StandardCharsets.UTF_8));
                default:
                    return null;
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new ProbeFormatException(at, "bad frame of kind " + kind + ": " + e.getMessage());
        }
    }

    private static ProbeFrame.Stats stats(byte[] p) {
        long ts = LibscapEventCodec.u64(p, 0);
        long count = LibscapEventCodec.u32(p, 8);
        Map<String, Long> counters = new LinkedHashMap<>();
        int o = 12;
        for (long i = 0; i < count; i++) {
            int nl = LibscapEventCodec.u16(p, o);
            String name = new String(p, o + 2, nl, StandardCharsets.UTF_8);
            counters.put(name, LibscapEventCodec.u64(p, o + 2 + nl));
            o += 2 + nl + 8;
        }
        return new ProbeFrame.Stats(ts, counters);
    }

    /** Reads b fully; returns 0 only when eofOk and the stream ended before the first byte. */
    private int readFully(byte[] b, boolean eofOk) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                if (n == 0 && eofOk) {
                    return 0;
                }
                throw new ProbeFormatException(offset + n, "stream ends inside a frame",
                        new EOFException());
            }
            n += r;
        }
        offset += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
