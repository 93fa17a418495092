package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Block versions the corpus lacks, built byte by byte from libscap's layouts: process lists V1..V4
 * (and their pre-release numbers), EVF V1 events, and large-payload events.
 */
class ScapReaderLegacyBlocksTest {

    static byte[] shb() {
        LittleEndianBuffer b = new LittleEndianBuffer();
        b.u32(BlockTypes.SHB).u32(28).u32(BlockTypes.SHB_MAGIC).u16(1).u16(0).u64(-1).u32(28);
        return Arrays.copyOf(b.array(), b.size());
    }

    static byte[] block(int type, LittleEndianBuffer body) {
        while (body.size() % 4 != 0) {
            body.u8(0);
        }
        LittleEndianBuffer b = new LittleEndianBuffer();
        b.u32(type).u32(body.size() + 12L).bytes(body.array(), 0, body.size()).u32(body.size() + 12L);
        return Arrays.copyOf(b.array(), b.size());
    }

    static byte[] nul(String... items) {
        return LittleEndianBuffer.joinNul(List.of(items));
    }

    /** One process entry as a V{@code version} block lays it out. */
    static LittleEndianBuffer entry(int version) {
        LittleEndianBuffer b = new LittleEndianBuffer();
        b.u64(100).u64(100).u64(1).lenString("nginx", 1024).lenString("/usr/sbin/nginx", 1024)
                .lenBytes(nul("-g", "daemon off;"), 4096).lenString("/", 1024).u64(1048576).u32(0).u32(33).u32(33);
        if (version >= 2) {
            b.u32(5000).u32(1200).u32(0).u64(7).u64(900);
        }
        if (version >= 3) {
            b.lenBytes(nul("PATH=/usr/bin"), 4096);
        }
        if (version >= 4) {
            b.u64(1).u64(1).lenBytes(nul("cpu=/docker/0123456789ab"), 4096);
        }
        return b;
    }

    @ParameterizedTest(name = "PL V{0} (block type {1})")
    @CsvSource({"1, 0x202", "1, 0x8000ABCD", "2, 0x207", "2, 0x8013ABCD", "3, 0x209", "3, 0x8014ABCD", "4, 0x210"})
    void readsOldProcessListVersions(int version, String blockType) throws Exception {
        int type = Integer.parseUnsignedInt(blockType.substring(2), 16);
        LittleEndianBuffer body = entry(version);
        LittleEndianBuffer twice = new LittleEndianBuffer();
        twice.bytes(body.array(), 0, body.size()).bytes(body.array(), 0, body.size());
        byte[] capture = ScapReaderBlockOrderTest.concat(shb(), block(type, twice));
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(capture), "old.scap")) {
            ScapProcess p = r.process(100);
            assertThat(r.processes()).hasSize(1); // the same tid twice: the later entry wins
            assertThat(p.comm()).isEqualTo("nginx");
            assertThat(p.exe()).isEqualTo("/usr/sbin/nginx");
            assertThat(p.args()).containsExactly("-g", "daemon off;");
            assertThat(p.cwd()).isEqualTo("/");
            assertThat(p.uid()).isEqualTo(33);
            assertThat(p.sid()).isEqualTo(-1); // V6+ only
            assertThat(p.vmsizeKb()).isEqualTo(version >= 2 ? 5000 : 0);
            assertThat(p.env()).isEqualTo(version >= 3 ? List.of("PATH=/usr/bin") : List.of());
            assertThat(p.vpid()).isEqualTo(version >= 4 ? 1 : -1);
            assertThat(p.cgroups()).isEqualTo(version >= 4 ? List.of("cpu=/docker/0123456789ab") : List.of());
            assertThat(p.blockType()).isEqualTo(type);
        }
    }

    @Test
    void readsEvfV1EventsWithTheirFlagsAndRecomputedParameterCount() throws Exception {
        int closeX = EventTable.id("PPME_SYSCALL_CLOSE_X");
        LittleEndianBuffer body = new LittleEndianBuffer();
        // cpu, flags, then a v1 header (ts, tid, len, type: no nparams) and one 8-byte parameter
        body.u16(1).u32(Event.FLAG_STATE_ONLY).u64(123).u64(100).u32(22 + 2 + 8).u16(closeX).u16(8).u64(0);
        byte[] capture = ScapReaderBlockOrderTest.concat(shb(), block(BlockTypes.EVF, body));
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(capture), "evf.scap")) {
            Event e = r.next();
            assertThat(e.type()).isEqualTo(closeX);
            assertThat(e.flags()).isEqualTo(Event.FLAG_STATE_ONLY);
            assertThat(e.cpu()).isEqualTo(1);
            assertThat(e.paramCount()).isEqualTo(1);
            assertThat(e.paramLong(0, true)).isZero();
        }
    }

    @Test
    void largePayloadEventsUseFourByteLengthsAndLargeBlocks() throws Exception {
        int containerJson2 = EventTable.id("PPME_CONTAINER_JSON_2_E");
        assertThat(EventTable.get(containerJson2).isLargePayload()).isTrue();
        byte[] json = new byte[100_000];
        Arrays.fill(json, (byte) 'x');
        json[json.length - 1] = 0;
        Event big = new Event(5, 0, 0, containerJson2, json, new int[] {0}, new int[] {json.length});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ScapWriter w = new ScapWriter(out)) {
            w.write(big);
        }
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(out.toByteArray()), "large.scap")) {
            Event e = r.next();
            assertThat(r.blockCounts()).containsKey(BlockTypes.EV_V2_LARGE);
            assertThat(e.paramLength(0)).isEqualTo(json.length);
            assertThat(e.paramString(0)).hasSize(json.length - 1).startsWith("xxx");
        }
        assertThat(new String(json, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("xxx");
    }
}
