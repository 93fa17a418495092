package io.peregrine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code replay -p} prints every event, as {@code sysdig -p '*FORMAT'} does. */
class ReplayPrintTest {

    private static final Path CAT_WRITE = Path.of(System.getProperty("peregrine.corpus", "../../shared/corpus"),
            "scap/falco/cat_write.scap");

    private static String replay(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new ReplayCommand()).execute(args);
            assertThat(status).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eventsWithMissingFieldsArePrintedWithNaEvenWithoutALeadingStar() {
        Assumptions.assumeTrue(Files.exists(CAT_WRITE), "corpus capture missing: " + CAT_WRITE);
        String plain = replay("-p", "%evt.num %evt.dir %fd.name", CAT_WRITE.toString(), "evt.type=open");
        String starred = replay("-p", "*%evt.num %evt.dir %fd.name", CAT_WRITE.toString(), "evt.type=open");

        assertThat(plain).isEqualTo(starred);
        // open's enter event has no fd yet: sysdig prints it as <NA> under '*'.
        assertThat(plain.lines()).contains("140 > <NA>", "141 < /etc/ld.so.cache").hasSize(8);
    }
}
