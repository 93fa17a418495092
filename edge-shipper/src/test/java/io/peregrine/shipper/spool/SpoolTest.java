package io.peregrine.shipper.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void replaysRecordsInTheOrderTheyWereAppendedAcrossSegments() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 256, false)) {
            for (int i = 0; i < 100; i++) {
                assertThat(s.append(bytes("k"), bytes("batch-" + i))).isTrue();
            }
            assertThat(drain(s)).containsExactlyElementsOf(numbered(0, 100));
            assertThat(s.isEmpty()).isTrue();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".spool")).count()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void refusesWhatExceedsItsBoundAndStaysWithinIt() throws Exception {
        try (Spool s = new Spool(dir, 1000, 300, false)) {
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                if (s.append(bytes("key"), new byte[40])) {
                    accepted++;
                } else {
                    refused++;
                }
                assertThat(s.bytes()).isLessThanOrEqualTo(1000);
            }
            assertThat(accepted).isEqualTo(1000 / (10 + 3 + 40));
            assertThat(refused).isEqualTo(100 - accepted);
            s.peek();
            s.ack();
            assertThat(s.append(bytes("key"), new byte[40])).isTrue(); // room again once replayed
        }
    }

    @Test
    void survivesARestartWithoutLosingOrRepeatingRecords() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 200, true)) {
            for (int i = 0; i < 50; i++) {
                s.append(bytes("k"), bytes("batch-" + i));
            }
            for (int i = 0; i < 20; i++) {
                s.peek();
                s.ack();
            }
        }
        try (Spool s = new Spool(dir, 1 << 20, 200, true)) {
            assertThat(s.size()).isEqualTo(30);
            s.append(bytes("k"), bytes("batch-50"));
            assertThat(drain(s)).containsExactlyElementsOf(numbered(20, 51));
        }
    }

    @Test
    void cutsATornRecordLeftByACrash() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 1 << 20, true)) {
            s.append(bytes("k"), bytes("batch-0"));
            s.append(bytes("k"), bytes("batch-1"));
        }
        Path seg;
        try (var files = Files.list(dir)) {
            seg = files.filter(p -> p.toString().endsWith(".spool")).findFirst().orElseThrow();
        }
        Files.write(seg, new byte[] {50, 0, 0, 0, 1, 2}, StandardOpenOption.APPEND);
        try (Spool s = new Spool(dir, 1 << 20, 1 << 20, true)) {
            assertThat(s.size()).isEqualTo(2);
            s.append(bytes("k"), bytes("batch-2"));
            assertThat(drain(s)).containsExactly("batch-0", "batch-1", "batch-2");
        }
    }

    private static List<String> drain(Spool s) throws Exception {
        List<String> out = new ArrayList<>();
        for (Spool.Entry e; (e = s.peek()) != null; ) {
            out.add(new String(e.value(), StandardCharsets.UTF_8));
            s.ack();
        }
        return out;
    }

    private static List<String> numbered(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("batch-" + i);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
