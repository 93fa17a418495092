package io.peregrine.avro;

import io.peregrine.event.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Converts between the in-memory {@link Event} and the wire {@link SyscallEvent}, losslessly. */
public final class SyscallEventConversion {

    private SyscallEventConversion() {
    }

    /** The event as a SyscallEvent; parameters are views of the event's buffer, not copies. */
    public static SyscallEvent toAvro(Event e) {
        int n = e.paramCount();
        List<ByteBuffer> params = new ArrayList<>(n);
        byte[] data = e.data();
        for (int i = 0; i < n; i++) {
            params.add(ByteBuffer.wrap(data, e.paramOffset(i), e.paramLength(i)).slice());
        }
        return new SyscallEvent(e.timestampNs(), e.threadId(), e.cpu(), e.type(), e.flags(), params);
    }

    /** The SyscallEvent as an Event whose parameters share one freshly allocated buffer. */
    public static Event toEvent(SyscallEvent s) {
        List<ByteBuffer> params = s.getParams();
        int n = params.size();
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            lengths[i] = params.get(i).remaining();
            offsets[i] = total;
            total += lengths[i];
        }
        byte[] data = new byte[total];
        for (int i = 0; i < n; i++) {
            params.get(i).duplicate().get(data, offsets[i], lengths[i]);
        }
        return new Event(s.getTs(), s.getTid(), s.getCpu(), s.getType(), data, offsets, lengths, s.getFlags());
    }
}
