package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.engine.CaptureBatches;
import io.peregrine.rules.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code replay -r} behaving as the Falco release {@code falco_compat} names. */
class RulesReplayCompatTest {

    /** One rule for opens of /dev/null, one for anything on it (fstat, read, close... included). */
    private static final String RULES = "- rule: open_dev_null\n  desc: d\n  condition: evt.type=open and fd.name=/dev/null\n"
            + "  output: o\n  priority: INFO\n- rule: dev_null\n  desc: d\n  condition: fd.name=/dev/null\n  output: o\n"
            + "  priority: INFO\n  warn_evttypes: false\n";

    private record Run(int status, String out, String err) {
    }

    private static Run replay(Path rules, List<String> onlyTags, List<String> notTags, boolean allEvents, String compat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new RulesReplay(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new RulesReplay.Options(List.of(rules), List.of(),
                Corpus.root().resolve("scap/falco/cat_write.scap"), onlyTags, notTags, List.of(), allEvents, null,
                List.of("falco_compat=" + compat), RulesReplay.Engine.LOCAL, CaptureBatches.DEFAULT_MAX_EVENTS));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "falco_compat={0}, -A={1}: dev_null fires {2} times")
    @CsvSource({"0.31.1, false, 0", "0.32.0, false, 0", "0.32.0, true, 6", "0.33.0, false, 6", "latest, false, 6"})
    void captureEventsTheSimpleConsumerDropsCountFrom033OrWithA(String compat, boolean allEvents, int devNull,
            @TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("catchall.yaml"), RULES);
        Run run = replay(rules, List.of(), List.of(), allEvents, compat);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("   open_dev_null: 1\n"), run.out());
        assertEquals(devNull > 0, run.out().contains("   dev_null: " + devNull + "\n"), run.out());
    }

    @ParameterizedTest(name = "falco_compat={0}")
    @CsvSource(delimiter = '|', value = {
        "0.32.0 | Runtime error: You can not specify both disabled (-D/-T) and enabled (-t) rules. Exiting.",
        "0.34.1 | Runtime error: You can not specify both disabled (-D/-T) and enabled (-t) rules. Exiting.",
        "0.35.0 | Error: You can not specify both disabled (-D/-T) and enabled (-t) rules",
        "latest | Error: You can not specify both disabled (-D/-T) and enabled (-t) rules"})
    void optionErrorsAreWordedAsTheRelease(String compat, String line, @TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yaml"), RULES);
        Run run = replay(rules, List.of("a"), List.of("a"), false, compat);
        assertEquals(1, run.status());
        assertEquals(line + "\n", run.err());
    }

    @Test
    void anUnknownReleaseIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("r.yaml"), RULES);
        Run run = replay(rules, List.of(), List.of(), false, "someday");
        assertEquals(1, run.status());
        assertTrue(run.err().contains("falco_compat: expected 'latest' or a Falco version"), run.err());
    }
}
