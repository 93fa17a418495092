package io.peregrine.shipper.probe;

import io.peregrine.event.Event;

/**
 * Decodes one libscap event (u64 ts, u64 tid, u32 len, u16 type, u32 nparams, u16 lengths, params;
 * little-endian) into an {@link Event} without copying its parameters.
 */
public final class LibscapEventCodec {

    /** Bytes of the fixed event header. */
    public static final int HEADER_BYTES = 26;

    private LibscapEventCodec() {
    }

    /**
     * Decodes the event in {@code buf[off .. off+len)}.
     *
     * @throws IllegalArgumentException naming the offending offset when the bytes are not an event
     */
    public static Event decode(byte[] buf, int off, int len, int cpu) {
        if (len < HEADER_BYTES) {
            throw new IllegalArgumentException("event of " + len + " bytes is shorter than its header");
        }
        long ts = u64(buf, off);
        long tid = u64(buf, off + 8);
        long declared = u32(buf, off + 16);
        int type = u16(buf, off + 20);
        long nparams = u32(buf, off + 22);
        if (declared != len) {
            throw new IllegalArgumentException("event header says " + declared + " bytes, frame holds " + len);
        }
        if (nparams > 64 || HEADER_BYTES + 2 * nparams > len) {
            throw new IllegalArgumentException("event type " + type + " claims " + nparams + " parameters");
        }
        int n = (int) nparams;
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int p = off + HEADER_BYTES + 2 * n;
        for (int i = 0; i < n; i++) {
            lengths[i] = u16(buf, off + HEADER_BYTES + 2 * i);
            offsets[i] = p;
            p += lengths[i];
        }
        if (p > off + len) {
            throw new IllegalArgumentException("parameters of event type " + type + " run past its end by "
                    + (p - off - len) + " bytes");
        }
        return new Event(ts, tid, cpu, type, buf, offsets, lengths);
    }

    static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int o) {
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }

    static long u64(byte[] b, int o) {
        return u32(b, o) | u32(b, o + 4) << 32;
    }
}
