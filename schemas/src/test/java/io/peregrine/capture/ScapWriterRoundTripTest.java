package io.peregrine.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every capture sysdig reads, read by {@link ScapReader} and rewritten by {@link ScapWriter}, prints
 * the same in sysdig 0.29.3, line for line.
 *
 * <p>sysdig runs with {@code -D} so that the internal procinfo events (one per process of the
 * process list) are compared too, and the format adds process, user, container and fd fields so
 * that the rewritten header tables are checked, not only the events. {@code user.loginuid} is left
 * out: sysdig 0.29.3 misreads it from captures of libs >= 0.10 (sample.scap), which place two new
 * fields before it; we read those correctly and so write the true value.
 */
class ScapWriterRoundTripTest {

    static final String FORMAT = "*%evt.num %evt.rawtime %thread.tid %proc.name %evt.type %evt.dir %evt.args"
            + " %fd.name %fd.type %fd.sip %fd.sport %proc.exe %proc.cmdline %proc.pname %proc.cwd %proc.env"
            + " %proc.vpid %proc.loginshellid %user.name %group.name %container.id";

    @TempDir
    Path tmp;

    static List<Corpus.Capture> readable() {
        return Corpus.readableCaptures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void sysdigPrintsTheRewrittenCaptureLikeTheOriginal(Corpus.Capture capture) throws Exception {
        assumeTrue(Sysdig.available(), "sysdig not installed at " + Sysdig.BINARY + ": round trip not checked");
        Path rewritten = tmp.resolve(capture.name());
        try (ScapReader reader = ScapReader.open(capture.path()); ScapWriter writer = ScapWriter.create(rewritten)) {
            ScapWriter.copy(reader, writer);
        }
        assertThat(Files.size(rewritten)).isPositive();
        List<String> original = Sysdig.run(capture.path(), "-D", "-p", FORMAT);
        List<String> copy = Sysdig.run(rewritten, "-D", "-p", FORMAT);
        assertThat(copy).hasSameSizeAs(original);
        for (int i = 0; i < original.size(); i++) {
            assertThat(copy.get(i)).as("line %d", i + 1).isEqualTo(original.get(i));
        }
    }

    /** sysdig 0.29.3 cannot read curl_google_comments.scap (pcapng comments); rewritten, it can. */
    @Test
    void theCommentedCaptureSysdigRejectsBecomesReadableOnceRewritten() throws Exception {
        assumeTrue(Sysdig.available(), "sysdig not installed at " + Sysdig.BINARY);
        Path original = Corpus.dir().resolve("scap/libs/curl_google_comments.scap");
        assumeTrue(Files.exists(original), "corpus not found");
        Path rewritten = tmp.resolve("curl.scap");
        long events;
        try (ScapReader reader = ScapReader.open(original); ScapWriter writer = ScapWriter.create(rewritten)) {
            events = ScapWriter.copy(reader, writer);
        }
        assertThat(Sysdig.run(rewritten, "-D", "-p", "*%evt.num %evt.type")).hasSize((int) events);
    }
}
