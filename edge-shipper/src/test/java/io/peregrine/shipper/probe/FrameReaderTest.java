package io.peregrine.shipper.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peregrine.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private static final byte[] HEADER = {'P', 'G', 'P', 'F', 1, 0, 0, 0};

    @Test
    void decodesAnEventFrameIntoItsLibscapParameters() throws Exception {
        byte[] evt = libscapEvent(3, 42L, new byte[][] {le64(5), "/etc/shadow\0".getBytes(StandardCharsets.UTF_8)});
        byte[] stream = concat(HEADER, frame(ProbeFrame.EVENT, concat(new byte[] {7, 0}, evt)));

        ProbeFrame.EventFrame f = (ProbeFrame.EventFrame) new FrameReader(new ByteArrayInputStream(stream)).next();

        Event e = f.event();
        assertThat(e.type()).isEqualTo(3);
        assertThat(e.threadId()).isEqualTo(42L);
        assertThat(e.cpu()).isEqualTo(7);
        assertThat(e.paramLong(0, true)).isEqualTo(5);
        assertThat(e.paramString(1)).isEqualTo("/etc/shadow");
        assertThat(f.raw()).isEqualTo(evt);
    }

    @Test
    void decodesStatsWithTheirNames() throws Exception {
        ByteBuffer p = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        p.putLong(99).putInt(1).putShort((short) 15).put("drops_ring_full".getBytes(StandardCharsets.UTF_8)).putLong(12);
        byte[] payload = java.util.Arrays.copyOf(p.array(), p.position());

        ProbeFrame.Stats s = (ProbeFrame.Stats) new FrameReader(
                new ByteArrayInputStream(concat(HEADER, frame(ProbeFrame.STATS, payload)))).next();

        assertThat(s.get("drops_ring_full")).isEqualTo(12);
        assertThat(s.kernelDrops()).isEqualTo(12);
    }

    @Test
    void skipsUnknownFrameKindsAndEndsCleanlyBetweenFrames() throws Exception {
        byte[] stream = concat(HEADER, frame(99, new byte[] {1, 2, 3}),
                frame(ProbeFrame.TYPES, "open,execve".getBytes(StandardCharsets.UTF_8)));
        FrameReader r = new FrameReader(new ByteArrayInputStream(stream));

        assertThat(((ProbeFrame.Types) r.next()).names()).containsExactly("open", "execve");
        assertThat(r.next()).isNull();
    }

    @Test
    void rejectsAStreamWithoutTheMagic() {
        byte[] stream = {'X', 'G', 'P', 'F', 1, 0, 0, 0};
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(stream)).next())
                .isInstanceOf(ProbeFormatException.class).hasMessageContaining("byte 0");
    }

    @Test
    void rejectsAFrameCutShortNamingWhereItStopped() {
        byte[] full = frame(ProbeFrame.TYPES, "open".getBytes(StandardCharsets.UTF_8));
        byte[] stream = concat(HEADER, java.util.Arrays.copyOf(full, full.length - 2));
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(stream)).next())
                .isInstanceOf(ProbeFormatException.class).hasMessageContaining("ends inside a frame");
    }

    @Test
    void rejectsAnEventWhoseParametersOverrunIt() {
        byte[] evt = libscapEvent(3, 1L, new byte[][] {le64(5)});
        evt[26] = 40; // first parameter claims 40 bytes
        byte[] stream = concat(HEADER, frame(ProbeFrame.EVENT, concat(new byte[2], evt)));
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(stream)).next())
                .isInstanceOf(ProbeFormatException.class).hasMessageContaining("byte 8");
    }

    static byte[] libscapEvent(int type, long tid, byte[][] params) {
        int len = 26 + 2 * params.length;
        for (byte[] p : params) {
            len += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1000).putLong(tid).putInt(len).putShort((short) type).putInt(params.length);
        for (byte[] p : params) {
            b.putShort((short) p.length);
        }
        for (byte[] p : params) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] frame(int kind, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(5 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(payload.length + 1).put((byte) kind).put(payload);
        return b.array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
