package io.peregrine.capture;

import io.peregrine.event.Event;
import io.peregrine.event.EventInfo;
import io.peregrine.event.EventTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Rewrites events sysdig 0.29.3 cannot read (ids newer than its event table, e.g. libs 9.1.0's
 * chown or init_module events) as the generic {@code syscall} events its own driver records for
 * those syscalls: PPME_GENERIC_E (libscap syscall code, native x86_64 number) and PPME_GENERIC_X
 * (the code). Their parameters are lost, as in a capture sysdig's driver would have written.
 */
public final class SysdigCompatibility {

    /** An event name's libscap syscall code (PPM_SC_*, libs e5c53d64) and x86_64 syscall number. */
    private record Generic(int ppmSc, int nativeId) {
    }

    /** The newer events the probe emits; facts from libscap's syscall table at e5c53d64. */
    private static final Map<String, Generic> GENERIC = Map.of(
            "chown", new Generic(132, 92),
            "lchown", new Generic(118, 94),
            "fchown", new Generic(127, 93),
            "fchownat", new Generic(200, 260),
            "prctl", new Generic(106, 157),
            "init_module", new Generic(76, 175),
            "finit_module", new Generic(314, 313),
            "delete_module", new Generic(77, 176));

    private static final int GENERIC_E = EventTable.id("PPME_GENERIC_E");
    private static final int GENERIC_X = EventTable.id("PPME_GENERIC_X");

    private SysdigCompatibility() {
    }

    /** Whether sysdig 0.29.3 reads events of this type as they are. */
    public static boolean readable(int type) {
        return type <= EventTable.lastOracleId();
    }

    /**
     * The event as sysdig 0.29.3 can read it: itself when its type is old enough, its generic
     * syscall form when libscap has one, else null (no form sysdig reads: leave it out).
     */
    public static Event downgrade(Event e) {
        if (readable(e.type())) {
            return e;
        }
        EventInfo info = e.info();
        Generic g = info == null ? null : GENERIC.get(info.name());
        if (g == null) {
            return null;
        }
        boolean enter = info.enter();
        ByteBuffer data = ByteBuffer.allocate(enter ? 4 : 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) g.ppmSc());
        if (enter) {
            data.putShort((short) g.nativeId());
        }
        int[] offsets = enter ? new int[] {0, 2} : new int[] {0};
        int[] lengths = enter ? new int[] {2, 2} : new int[] {2};
        return new Event(e.timestampNs(), e.threadId(), e.cpu(), enter ? GENERIC_E : GENERIC_X, data.array(),
                offsets, lengths, e.flags());
    }
}
