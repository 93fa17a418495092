package io.peregrine.event;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One event in libscap's model: a header (timestamp, thread, cpu, type) and the parameters in
 * libscap's binary layout, exactly as the probe emits them, a capture holds them and the Avro
 * contract carries them.
 *
 * <p>Parameters stay encoded; the accessors decode on demand so that an event nobody looks at costs
 * nothing. Parameter {@code i} occupies {@code data[offset(i) .. offset(i)+length(i))}.
 */
public final class Event {

    private final long timestampNs;
    private final long threadId;
    private final int cpu;
    private final int type;
    private final byte[] data;
    private final int[] offsets;
    private final int[] lengths;
    private final int flags;

    /**
     * An event whose parameters live in {@code data}.
     *
     * @param type libscap event id (see {@link EventTable})
     */
    public Event(long timestampNs, long threadId, int cpu, int type, byte[] data, int[] offsets,
            int[] lengths) {
        this(timestampNs, threadId, cpu, type, data, offsets, lengths, 0);
    }

    /**
     * An event with libscap's per-event dump flags (the 32-bit word of an EVF capture block, e.g.
     * {@link #FLAG_STATE_ONLY}); 0 for plain events.
     */
    public Event(long timestampNs, long threadId, int cpu, int type, byte[] data, int[] offsets,
            int[] lengths, int flags) {
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException("offsets and lengths differ in count");
        }
        this.timestampNs = timestampNs;
        this.threadId = threadId;
        this.cpu = cpu;
        this.type = type;
        this.data = data;
        this.offsets = offsets;
        this.lengths = lengths;
        this.flags = flags;
    }

    /** EVF flag: the event was kept only to update state (a filtered capture), not to be shown. */
    public static final int FLAG_STATE_ONLY = 1;
    /** EVF flag: the event is a tracer (sysdig's user-level tracing). */
    public static final int FLAG_TRACER = 1 << 1;

    /** libscap's per-event dump flags (EVF blocks), 0 when none. */
    public int flags() {
        return flags;
    }

    public long timestampNs() {
        return timestampNs;
    }

    public long threadId() {
        return threadId;
    }

    public int cpu() {
        return cpu;
    }

    /** The libscap event id. */
    public int type() {
        return type;
    }

    /** The event's entry in libscap's event table, or {@code null} for an id the table lacks. */
    public EventInfo info() {
        return EventTable.get(type);
    }

    /**
     * What parameter {@code index} is: from the table of sysdig 0.29.3's libs, or, for parameters
     * newer drivers append, from the newer table ({@link EventTable#extendedParams}); {@code null}
     * when neither knows it.
     */
    public ParamInfo paramInfo(int index) {
        List<ParamInfo> known = EventTable.extendedParams(type);
        return index >= 0 && index < known.size() ? known.get(index) : null;
    }

    public int paramCount() {
        return offsets.length;
    }

    public int paramLength(int index) {
        return lengths[index];
    }

    public int paramOffset(int index) {
        return offsets[index];
    }

    /** The backing buffer (shared, not copied). */
    public byte[] data() {
        return data;
    }

    /** A copy of parameter {@code index}'s raw bytes. */
    public byte[] paramBytes(int index) {
        byte[] out = new byte[lengths[index]];
        System.arraycopy(data, offsets[index], out, 0, out.length);
        return out;
    }

    /**
     * Parameter {@code index} as a little-endian integer of its encoded width (1, 2, 4 or 8 bytes),
     * sign-extended when {@code signed}.
     */
    public long paramLong(int index, boolean signed) {
        int off = offsets[index];
        switch (lengths[index]) {
            case 1:
                return signed ? data[off] : data[off] & 0xffL;
            case 2: {
                int v = (data[off] & 0xff) | (data[off + 1] & 0xff) << 8;
                return signed ? (short) v : v;
            }
            case 4: {
                int v = (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16
                        | (data[off + 3] & 0xff) << 24;
                return signed ? v : v & 0xffffffffL;
            }
            case 8: {
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = (v << 8) | (data[off + i] & 0xffL);
                }
                return v;
            }
            default:
                throw new IllegalStateException("parameter " + index + " of event type " + type
                        + " is " + lengths[index] + " bytes, not an integer");
        }
    }

    /** Parameter {@code index} as a NUL-terminated string (terminator and anything after it dropped). */
    public String paramString(int index) {
        int off = offsets[index];
        int end = off;
        int limit = off + lengths[index];
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, off, end - off, StandardCharsets.UTF_8);
    }
}
