package io.peregrine.state;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import io.peregrine.event.ParamInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builds libscap-encoded events for tests: parameters by name, everything else zero or empty. */
final class TestEvents {

    private TestEvents() {
    }

    /**
     * The current (not old, not unused) table entry of sysdig 0.29.3 called {@code name} in the given
     * direction; for events only newer libs have (chown, init_module...), their newest entry.
     */
    static EventInfo info(String name, boolean enter) {
        EventInfo best = null;
        for (EventInfo i : EventTable.named(name)) {
            if (i.enter() == enter && !i.isUnused() && !i.isOldVersion() && i.id() <= EventTable.lastOracleId()) {
                best = i;
            }
        }
        if (best == null) {
            for (EventInfo i : EventTable.named(name)) {
                if (i.enter() == enter && !i.isUnused() && i.id() > EventTable.lastOracleId()) {
                    best = i;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no event " + name + (enter ? " enter" : " exit"));
        }
        return best;
    }

    static Event enter(long ts, long tid, String name, Map<String, ?> params) {
        return build(ts, tid, info(name, true), params);
    }

    static Event exit(long ts, long tid, String name, Map<String, ?> params) {
        return build(ts, tid, info(name, false), params);
    }

    static Event build(long ts, long tid, EventInfo info, Map<String, ?> params) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<ParamInfo> layout = info.params();
        int[] offsets = new int[layout.size()];
        int[] lengths = new int[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            ParamInfo p = layout.get(i);
            Object v = params.get(p.name());
            byte[] encoded = encode(p, v);
            offsets[i] = data.size();
            lengths[i] = encoded.length;
            data.writeBytes(encoded);
        }
        return new Event(ts, tid, 0, info.id(), data.toByteArray(), offsets, lengths);
    }

    private static byte[] encode(ParamInfo p, Object v) {
        int size = p.type().size();
        if (size > 0) {
            long n = v == null ? 0 : ((Number) v).longValue();
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = (byte) (n >>> (8 * i));
            }
            return out;
        }
        if (v == null) {
            return p.type().name().startsWith("CHARBUF") || p.type().name().startsWith("FS") ? new byte[] {0} : new byte[0];
        }
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof List<?> list) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Object item : list) {
                out.writeBytes(item.toString().getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
            return out.toByteArray();
        }
        byte[] s = v.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[s.length + 1];
        System.arraycopy(s, 0, out, 0, s.length);
        return out;
    }

    /** A sockaddr/socktuple for IPv4: family, source ip and port, destination ip and port. */
    static byte[] ipv4Tuple(int[] sip, int sport, int[] dip, int dport) {
        byte[] b = new byte[13];
        b[0] = 2;
        for (int i = 0; i < 4; i++) {
            b[1 + i] = (byte) sip[i];
            b[7 + i] = (byte) dip[i];
        }
        b[5] = (byte) sport;
        b[6] = (byte) (sport >>> 8);
        b[11] = (byte) dport;
        b[12] = (byte) (dport >>> 8);
        return b;
    }
}
