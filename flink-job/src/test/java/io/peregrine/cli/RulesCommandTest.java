package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.rules.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code peregrine rules check} and {@code rules push}. */
class RulesCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return RulesCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void checkAcceptsTheStableRulesetAndPrintsCounts() {
        Path rules = Corpus.root().resolve("rules/falcosecurity-rules-HEAD/falco_rules.yaml");
        assertEquals(0, run("check", rules.toString()));
        assertTrue(out.toString().contains("falco_rules.yaml: Ok"), out.toString());
        assertTrue(out.toString().contains("49 lists, 87 macros, 25 rules loaded; 25 rules compiled"), out.toString());
    }

    @Test
    void checkFailsWithTheErrorLocated(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type = open and proc.nobody = 1\n  output: o\n  priority: INFO\n");
        assertEquals(1, run("check", bad.toString()));
        assertTrue(out.toString().contains("bad.yaml:3:14: error: rule 'R': filter_check called with nonexistent field "
                + "proc.nobody"), out.toString());
        assertTrue(out.toString().contains("1 errors, 0 warnings"), out.toString());
    }

    @Test
    void checkAsFalco032StopsAtTheFirstErrorQuotingTheItem(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("a.yaml"), "- macro: m\n  condition: evt.type=execve\n");
        Path bad = Files.writeString(dir.resolve("b.yaml"), "- macro: m\n  condition: foo\n  append: true\n");
        Path never = Files.writeString(dir.resolve("c.yaml"), "- list: l\n  items: [a]\n");
        assertEquals(1, run("check", "--falco-compat=0.32.0", good.toString(), bad.toString(), never.toString()));
        assertEquals(good + ": Ok\n" + bad + ": 1 errors:\nCompilation error when compiling \"evt.type=execve foo\": 17: "
                + "unexpected token after 'execve', expecting 'or', 'and'\n---\n- macro: m\n  condition: evt.type=execve\n\n"
                + "- macro: m\n  condition: foo\n  append: true\n---\n", out.toString());
        assertTrue(err.toString().startsWith("Error: " + bad + ": 1 errors:"), err.toString());
    }

    @Test
    void checkAsFalco031PrintsOkWithoutPrefixForOneFile(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("a.yaml"), "- macro: m\n  condition: evt.type=execve\n");
        assertEquals(0, run("check", "--falco-compat=0.31.1", good.toString()));
        assertEquals("Ok\n", out.toString());
        assertEquals(1, run("check", "--falco-compat=zero", good.toString()));
        assertTrue(err.toString().contains("falco_compat: expected 'latest' or a Falco version"), err.toString());
    }

    @Test
    void checkReadsDirectoriesInNameOrderAndReportsSkippedSources(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.yaml"), "- rule: R\n  enabled: false\n");
        Files.writeString(dir.resolve("a.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n"
                        + "- rule: K\n  desc: d\n  condition: ka.verb = create\n  output: o\n  priority: INFO\n"
                        + "  source: k8s_audit\n");
        Files.writeString(dir.resolve("notes.txt"), "not rules");
        assertEquals(0, run("check", "--events", dir.toString()));
        String text = out.toString();
        assertTrue(text.indexOf("a.yaml: Ok") < text.indexOf("b.yaml: Ok"), text);
        assertTrue(text.contains("1 rules skipped: unknown source k8s_audit"), text);
        assertTrue(text.contains("Unknown source k8s_audit, skipping (LOAD_UNKNOWN_SOURCE)"), text);
    }

    @Test
    void listPrintsEachRuleWithItsEventTypes(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("r.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type in (open, openat)\n  output: o\n  priority: notice\n");
        assertEquals(0, run("check", "--list", f.toString()));
        assertTrue(out.toString().contains("rule 'R': Notice, enabled, evt.type [open, openat]"), out.toString());
    }

    @Test
    void jsonOutputFollowsFalcosValidateShape(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("r.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type = open\n  output: seen %no.such\n  priority: INFO\n");
        assertEquals(1, run("check", "--json", f.toString()));
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        var file = root.get("falco_load_results").get(0);
        assertEquals(false, file.get("successful").asBoolean());
        var error = file.get("errors").get(0);
        assertEquals("LOAD_ERR_COMPILE_OUTPUT", error.get("code").asText());
        assertEquals("invalid formatting token no.such", error.get("message").asText());
        var location = error.get("context").get("locations").get(0);
        assertEquals("R", location.get("item_name").asText());
        assertEquals(4, location.get("position").get("line").asInt());
    }

    @Test
    void checkOfAMissingFileFails() {
        assertEquals(1, run("check", "/no/such/rules.yaml"));
        assertTrue(err.toString().contains("LOAD_ERR_FILE_READ"));
    }

    @Test
    void checkOfANonUtf8FileNamesIt(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("latin1.yaml"), new byte[] {'-', ' ', (byte) 0xff, (byte) 0xfe});
        assertEquals(1, run("check", f.toString()));
        assertTrue(err.toString().contains("latin1.yaml: error: not UTF-8 text (LOAD_ERR_FILE_READ)"), err.toString());
    }

    @Test
    void pushRejectsAnInvalidRulesetWithoutPublishing(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type = open and proc.nobody = 1\n  output: o\n  priority: INFO\n");
        // No broker listens on this port: an invalid ruleset must be refused before any connection.
        assertEquals(1, run("push", "--bootstrap-servers", "127.0.0.1:1", bad.toString()));
        assertTrue(err.toString().contains("has errors; nothing published"), err.toString());
        assertTrue(err.toString().contains("proc.nobody"), err.toString());
    }

    @Test
    void pushDryRunValidatesAndSummarisesTheRecord(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"),
                "- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n");
        assertEquals(0, run("push", "--dry-run", good.toString()));
        assertTrue(out.toString().contains("1 files"), out.toString());
    }
}
