package io.peregrine.capture;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;

/**
 * Decodes event blocks (EV/EVF, V1 and V2, normal and large) into {@link Event}s without copying: the
 * event keeps the block body as its buffer.
 *
 * <p>V2 events carry {@code ts, tid, len, type, nparams} then one length per parameter (4 bytes for
 * event types flagged EF_LARGE_PAYLOAD, 2 otherwise) then the values. V1 events lack
 * {@code nparams}: like libscap we find it by trying the table's count downwards until the lengths
 * add up to the event's size exactly.
 */
final class EventDecoder {

    private static final int V2_HEADER = 8 + 8 + 4 + 2 + 4;
    private static final int V1_HEADER = 8 + 8 + 4 + 2;
    private static final int NOTIFICATION_E = EventTable.id("PPME_NOTIFICATION_E");
    private static final int INFRASTRUCTURE_EVENT_E = EventTable.id("PPME_INFRASTRUCTURE_EVENT_E");

    private EventDecoder() {
    }

    /**
     * The event in {@code body[0..bodyLen)} of a block of {@code blockType} whose body starts at file
     * offset {@code bodyOffset}, or {@code null} for a V1 event of a type the table lacks (libscap
     * skips those too, as their parameter count is unknowable).
     */
    static Event decode(byte[] body, int bodyLen, int blockType, long bodyOffset, String file)
            throws CaptureFormatException {
        boolean withFlags = blockType == BlockTypes.EVF || blockType == BlockTypes.EVF_V2
                || blockType == BlockTypes.EVF_V2_LARGE;
        boolean v2 = blockType == BlockTypes.EV_V2 || blockType == BlockTypes.EV_V2_LARGE
                || blockType == BlockTypes.EVF_V2 || blockType == BlockTypes.EVF_V2_LARGE;
        int prefix = 2 + (withFlags ? 4 : 0);
        int headerSize = v2 ? V2_HEADER : V1_HEADER;
        if (bodyLen < prefix + headerSize) {
            throw new CaptureFormatException(file, bodyOffset, "event block too short (" + bodyLen + " bytes)");
        }
        int cpu = BlockCursor.u16At(body, 0);
        int flags = withFlags ? BlockCursor.i32At(body, 2) : 0;
        int h = prefix;
        long ts = BlockCursor.i64At(body, h);
        long tid = BlockCursor.i64At(body, h + 8);
        long len = BlockCursor.i32At(body, h + 16) & 0xffffffffL;
        int type = BlockCursor.u16At(body, h + 20);
        if (len < headerSize || len > bodyLen - h) {
            throw new CaptureFormatException(file, bodyOffset + h + 16,
                    "event length " + len + " does not fit its block (" + (bodyLen - h) + " bytes)");
        }
        int end = (int) (h + len);
        EventInfo info = EventTable.get(type);
        if (v2) {
            long nparams = BlockCursor.i32At(body, h + 22) & 0xffffffffL;
            int lenSize = info != null && info.isLargePayload() ? 4 : 2;
            return params(body, h + V2_HEADER, end, nparams, lenSize, bodyOffset, file,
                    ts, tid, cpu, type, flags);
        }
        if (info == null) {
            return null;
        }
        if (type == NOTIFICATION_E || type == INFRASTRUCTURE_EVENT_E) {
            // Old captures wrote these two 3 bytes too long (libscap corrects the same way).
            end = Math.max(h + V1_HEADER, end - 3);
        }
        int lensStart = h + V1_HEADER;
        int region = end - lensStart;
        for (int n = info.params().size(); n >= 0; n--) {
            if (2 * n > region) {
                continue;
            }
            long sum = 2L * n;
            for (int i = 0; i < n; i++) {
                sum += BlockCursor.u16At(body, lensStart + 2 * i);
            }
            if (sum < region) {
                break;
            }
            if (sum == region) {
                return params(body, lensStart, end, n, 2, bodyOffset, file, ts, tid, cpu, type, flags);
            }
        }
        throw new CaptureFormatException(file, bodyOffset + h,
                "cannot work out the parameter count of a v1 " + info.name() + " event");
    }

    private static Event params(byte[] body, int lensStart, int end, long nparams, int lenSize, long bodyOffset,
            String file, long ts, long tid, int cpu, int type, int flags) throws CaptureFormatException {
        if (nparams * lenSize > end - lensStart) {
            throw new CaptureFormatException(file, bodyOffset + lensStart,
                    "event declares " + nparams + " parameters, more than its " + (end - lensStart) + " bytes hold");
        }
        int n = (int) nparams;
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        long at = lensStart + (long) n * lenSize;
        for (int i = 0; i < n; i++) {
            int p = lensStart + i * lenSize;
            long l = lenSize == 2 ? BlockCursor.u16At(body, p) : BlockCursor.i32At(body, p) & 0xffffffffL;
            if (at + l > end) {
                throw new CaptureFormatException(file, bodyOffset + p,
                        "parameter " + i + " of event type " + type + " (" + l + " bytes) runs past the event's end");
            }
            offsets[i] = (int) at;
            lengths[i] = (int) l;
            at += l;
        }
        return new Event(ts, tid, cpu, type, body, offsets, lengths, flags);
    }
}
