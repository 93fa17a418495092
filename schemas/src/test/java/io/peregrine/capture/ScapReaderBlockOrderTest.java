package io.peregrine.capture;

import static io.peregrine.capture.ScapWriterReaderTest.openExit;
import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocks in any order: header blocks between events, unknown blocks, concatenated captures. */
class ScapReaderBlockOrderTest {

    static final int SHB_LENGTH = 28;

    static ScapProcess thread(long tid, String comm) {
        return ScapProcess.builder().tid(tid).pid(tid).ptid(1).comm(comm).exe(comm)
                .fds(List.of(ScapFd.named(3, 0, FdType.FILE, "/tmp/" + comm))).build();
    }

    /** A capture with {@code threads} and one event, as ScapWriter writes it. */
    static byte[] capture(List<ScapProcess> threads, int events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ScapWriter w = new ScapWriter(out)) {
            w.processes(threads);
            for (int i = 0; i < events; i++) {
                w.write(openExit());
            }
        }
        return out.toByteArray();
    }

    static byte[] withoutSectionHeader(byte[] capture) {
        return Arrays.copyOfRange(capture, SHB_LENGTH, capture.length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] block(int type, int bodyLength) {
        LittleEndianBuffer b = new LittleEndianBuffer();
        b.u32(type).u32(12L + bodyLength);
        for (int i = 0; i < bodyLength; i++) {
            b.u8(0xab);
        }
        b.u32(12L + bodyLength);
        return Arrays.copyOf(b.array(), b.size());
    }

    static ScapReader read(byte[] bytes) throws CaptureFormatException {
        return ScapReader.open(new ByteArrayInputStream(bytes), "order.scap");
    }

    @Test
    void headerBlocksBetweenEventsExtendTheTables() throws Exception {
        byte[] bytes = concat(capture(List.of(thread(10, "first")), 1),
                withoutSectionHeader(capture(List.of(thread(20, "second")), 1)));
        try (ScapReader r = read(bytes)) {
            assertThat(r.processes()).extracting(ScapProcess::tid).containsExactly(10L);
            assertThat(r.next()).isNotNull();
            Event second = r.next();
            assertThat(second).isNotNull();
            assertThat(r.processes()).extracting(ScapProcess::tid).containsExactly(10L, 20L);
            assertThat(r.process(20).fds()).extracting(ScapFd::name).containsExactly("/tmp/second");
            assertThat(r.next()).isNull();
            assertThat(r.eventCount()).isEqualTo(2);
        }
    }

    @Test
    void unknownBlocksAreSkippedWherever() throws Exception {
        byte[] one = capture(List.of(thread(10, "first")), 2);
        byte[] header = capture(List.of(thread(10, "first")), 0);
        byte[] events = Arrays.copyOfRange(one, header.length, one.length);
        byte[] bytes = concat(Arrays.copyOf(header, SHB_LENGTH), block(0x7777, 5), withoutSectionHeader(header),
                block(0x8888_0001, 0), events, block(0x7777, 64));
        try (ScapReader r = read(bytes)) {
            assertThat(r.process(10)).isNotNull();
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNull();
            assertThat(r.blockCounts()).containsKeys(0x7777, 0x8888_0001);
        }
    }

    @Test
    void aSecondSectionHeaderStartsAFreshCaptureLikeConcatenatedFiles() throws Exception {
        byte[] bytes = concat(capture(List.of(thread(10, "first")), 1), capture(List.of(thread(20, "second")), 1));
        try (ScapReader r = read(bytes)) {
            assertThat(r.next()).isNotNull();
            assertThat(r.sectionCount()).isEqualTo(1);
            assertThat(r.next()).isNotNull();
            assertThat(r.sectionCount()).isEqualTo(2);
            assertThat(r.processes()).extracting(ScapProcess::tid).containsExactly(20L);
        }
    }

    @Test
    void aCaptureWithoutEventsHasItsTablesAndNoEvents() throws Exception {
        try (ScapReader r = read(capture(List.of(thread(10, "only")), 0))) {
            assertThat(r.process(10)).isNotNull();
            assertThat(r.next()).isNull();
        }
    }
}
