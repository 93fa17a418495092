package io.peregrine.capture;

import static io.peregrine.capture.ScapReaderBlockOrderTest.block;
import static io.peregrine.capture.ScapReaderBlockOrderTest.capture;
import static io.peregrine.capture.ScapReaderBlockOrderTest.concat;
import static io.peregrine.capture.ScapReaderBlockOrderTest.thread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad captures fail with CaptureFormatException, naming the file and the byte where it went wrong. */
class ScapReaderErrorTest {

    static void drain(byte[] bytes) throws CaptureFormatException {
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(bytes), "bad.scap")) {
            while (r.next() != null) {
                // read everything
            }
        }
    }

    static byte[] good() throws Exception {
        return capture(List.of(thread(10, "a")), 2);
    }

    @Test
    void anEmptyInputIsNotACapture() {
        assertThatThrownBy(() -> drain(new byte[0])).isInstanceOf(CaptureFormatException.class)
                .hasMessage("bad.scap: empty capture at byte 0");
    }

    @Test
    void textIsNotACapture() {
        byte[] text = "hello, this is not a capture at all".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> drain(text)).isInstanceOf(CaptureFormatException.class)
                .hasMessage("bad.scap: not a capture: first block type 0x6c6c6568 is not a section header at byte 0");
    }

    @Test
    void aTruncatedCaptureNamesWhereItEnds() throws Exception {
        byte[] bytes = good();
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);
        assertThatThrownBy(() -> drain(cut)).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("truncated").hasMessageEndingWith("at byte " + cut.length);
    }

    @Test
    void aBlockLengthBelowTheMinimumIsRejectedAtItsOffset() throws Exception {
        byte[] bytes = good();
        // the second block (machine info is absent: the process list) starts after the 28-byte SHB
        bytes[28 + 4] = 4;
        bytes[28 + 5] = 0;
        bytes[28 + 6] = 0;
        bytes[28 + 7] = 0;
        assertThatThrownBy(() -> drain(bytes)).isInstanceOf(CaptureFormatException.class)
                .hasMessage("bad.scap: bad block length 0x4 at byte 32");
    }

    @Test
    void aHugeDeclaredLengthFailsAsTruncationWithoutAllocatingIt() throws Exception {
        byte[] bytes = concat(good(), new byte[] {0x16, 0x02, 0, 0, 0, 0, 0, 0x70});
        assertThatThrownBy(() -> drain(bytes)).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("truncated block");
    }

    @Test
    void aTrailerThatDisagreesWithItsHeaderIsRejected() throws Exception {
        byte[] bytes = concat(Arrays.copyOf(good(), 28), block(0x7777, 4));
        bytes[bytes.length - 4] = 99;
        assertThatThrownBy(() -> drain(bytes)).isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("trailer length 0x63 differs from header length 0x10");
    }

    @Test
    void corruptGzipIsACaptureFormatExceptionToo() {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5};
        assertThatThrownBy(() -> drain(gzip)).isInstanceOf(CaptureFormatException.class)
                .hasMessageStartingWith("bad.scap: cannot read");
    }

    @Test
    void anEventWhoseParametersOverrunItIsRejected() throws Exception {
        byte[] bytes = good();
        long lastEvent;
        try (ScapReader r = ScapReader.open(new ByteArrayInputStream(bytes), "good.scap")) {
            r.next();
            r.next();
            lastEvent = r.eventOffset();
        }
        // block header (8), cpu (2), EVF flags (4: the event has flags), event header (26), then
        // the first parameter's 2-byte length
        int firstLength = (int) lastEvent + 8 + 2 + 4 + 26;
        bytes[firstLength] = (byte) 0xff;
        bytes[firstLength + 1] = (byte) 0xff;
        assertThatThrownBy(() -> drain(bytes)).isInstanceOf(CaptureFormatException.class)
                .hasMessage("bad.scap: parameter 0 of event type 3 (65535 bytes) runs past the event's end at byte "
                        + firstLength);
        assertThat(lastEvent).isPositive();
    }
}
