package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.engine.CaptureBatches;
import io.peregrine.rules.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Falco's own expected output: {@code rules/single_rule_with_tags.yaml} over {@code cat_write.scap}
 * with json_output and time_format_iso_8601 prints exactly the lines of
 * {@code output_files/single_rule_with_cat_write.json} (text output: {@code .txt}), except the
 * {@code hostname} key, which names the machine.
 */
class FalcoJsonOutputTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"falco-0.31.1", "falco-0.32.0", "falco-2583ea9-2023-08-02-last"})
    void jsonAlertsEqualFalcosLineForLineExceptHostname(String suite) throws Exception {
        List<String> ours = alertLines(suite, true);
        List<String> falcos = Files.readAllLines(suiteDir(suite).resolve("output_files/single_rule_with_cat_write.json"));
        assertEquals(withoutHostname(falcos), withoutHostname(ours));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"falco-0.31.1", "falco-0.32.0", "falco-2583ea9-2023-08-02-last"})
    void textAlertsEqualFalcosLineForLine(String suite) throws Exception {
        List<String> falcos = Files.readAllLines(suiteDir(suite).resolve("output_files/single_rule_with_cat_write.txt"));
        assertEquals(falcos, alertLines(suite, false));
    }

    private static Path suiteDir(String suite) {
        return Corpus.root().resolve("falco-tests").resolve(suite).resolve("test");
    }

    /** The alert lines of the run (the closing summary left out). */
    private static List<String> alertLines(String suite, boolean json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int status = new RulesReplay(o, e).run(new RulesReplay.Options(
                List.of(suiteDir(suite).resolve("rules/single_rule_with_tags.yaml")), List.of(),
                Corpus.root().resolve("scap/falco/cat_write.scap"), List.of(), List.of(), List.of(), false, null,
                List.of("json_output=" + json, "time_format_iso_8601=true"), RulesReplay.Engine.LOCAL,
                CaptureBatches.DEFAULT_MAX_EVENTS));
        assertEquals(0, status);
        return out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> json ? l.startsWith("{") : l.matches("^\\d{4}-.*"))
                .toList();
    }

    private static List<String> withoutHostname(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("\"hostname\":\"[^\"]*\",", "")).toList();
    }
}
