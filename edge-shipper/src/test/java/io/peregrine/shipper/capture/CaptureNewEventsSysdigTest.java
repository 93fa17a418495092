package io.peregrine.shipper.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peregrine.capture.ScapReader;
import io.peregrine.event.Event;
import io.peregrine.event.EventTable;
import io.peregrine.shipper.probe.ProbeBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events newer than sysdig 0.29.3's table (chown, init_module...) in live captures: by default
 * written as the generic syscall events sysdig 0.29.3's own driver records, which sysdig reads and
 * names; with {@code --full-events} kept whole, with every parameter, as the live path ships them.
 */
class CaptureNewEventsSysdigTest {

    private static final List<String> TYPES = List.of("chown", "fchownat", "init_module", "execve", "procexit");

    @TempDir
    static Path dir;
    private static Path compatible;
    private static Path full;
    private static Path owned;

    @BeforeAll
    static void captureChownsBothWays() throws Exception {
        assumeTrue(ProbeBinary.canRunLive(), "needs root, BTF and make -C probe");
        owned = Files.writeString(dir.resolve("owned"), "x");
        compatible = capture("compatible.scap", false);
        full = capture("full.scap", true);
    }

    private static Path capture(String name, boolean fullEvents) throws Exception {
        Path file = dir.resolve(name);
        LiveCapture live = new LiveCapture(ProbeBinary.require(), 16).fullEvents(fullEvents);
        List<Object> result = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                result.add(live.run(file, TYPES, 0, Duration.ofSeconds(60)));
            } catch (Exception e) {
                result.add(e);
            }
        });
        t.start();
        assertThat(live.awaitReady(Duration.ofSeconds(20))).isTrue();
        Process p = new ProcessBuilder("perl", "-e", "chown 7, 8, $ARGV[0] or die; my ($img, $args) = ('bogus', '');"
                + " syscall(175, $img, length($img), $args);", owned.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Process c = new ProcessBuilder("chown", "9:10", owned.toString()).redirectErrorStream(true).start();
        assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(c.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
        live.stop();
        t.join(30_000);
        if (result.get(0) instanceof Exception e) {
            throw e;
        }
        return file;
    }

    @Test
    void sysdigReadsTheCompatibleCaptureAndNamesTheGenericEvents() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sysdig")), "needs sysdig");
        List<String> lines = sysdig(compatible, "*%proc.name %evt.type %evt.dir",
                "evt.type in (chown, fchownat, init_module)");
        assertThat(lines).contains("perl chown >", "perl chown <", "perl init_module >", "perl init_module <",
                "chown fchownat >", "chown fchownat <");
    }

    @Test
    void ourReaderSeesTheGenericFormInTheCompatibleCapture() throws Exception {
        List<Event> events = read(compatible);
        assertThat(events).noneMatch(e -> e.type() > EventTable.lastOracleId());
        assertThat(events).anyMatch(e -> e.type() == EventTable.id("PPME_GENERIC_E")
                && e.paramLong(0, false) == 132 && e.paramLong(1, false) == 92); // PPM_SC_CHOWN, x86_64 chown
        assertThat(events).anyMatch(e -> e.type() == EventTable.id("PPME_GENERIC_X") && e.paramLong(0, false) == 200);
    }

    @Test
    void theFullCaptureKeepsEveryParameter() throws Exception {
        List<Event> events = read(full);
        Event chown = events.stream().filter(e -> e.type() == EventTable.id("PPME_SYSCALL_CHOWN_X")).findFirst()
                .orElseThrow();
        assertThat(chown.paramString(1)).isEqualTo(owned.toString());
        assertThat(chown.paramLong(2, false)).isEqualTo(7);
        Event fchownat = events.stream().filter(e -> e.type() == EventTable.id("PPME_SYSCALL_FCHOWNAT_X")
                && owned.toString().equals(e.paramString(2))).findFirst().orElseThrow();
        assertThat(fchownat.paramLong(3, false)).isEqualTo(9);
        Event init = events.stream().filter(e -> e.type() == EventTable.id("PPME_SYSCALL_INIT_MODULE_X")).findFirst()
                .orElseThrow();
        assertThat(init.paramLong(2, false)).isEqualTo(5);
    }

    private static List<Event> read(Path capture) throws Exception {
        List<Event> events = new ArrayList<>();
        try (ScapReader r = ScapReader.open(capture)) {
            for (Event e; (e = r.next()) != null; ) {
                events.add(e);
            }
        }
        return events;
    }

    private static List<String> sysdig(Path capture, String format, String filter) throws Exception {
        Process p = new ProcessBuilder("sysdig", "-r", capture.toString(), "-p", format, filter)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(String::trim).toList();
        assertThat(p.waitFor()).isZero();
        return lines;
    }
}
