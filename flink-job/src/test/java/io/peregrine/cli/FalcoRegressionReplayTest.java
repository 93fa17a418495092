package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peregrine.rules.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Falco's regression suites (EXPECTED.tsv: 0.31.1, 0.32.0 and 2023-08) replayed through
 * {@code replay -r} as Falco's harness judged them: the row's rules, capture, configuration and
 * flags; then the exit status, the errors expected on stderr, {@code detect} ("Events detected"),
 * {@code detect_level} ("LEVEL: N" lines) and {@code detect_counts} (the "Triggered rules by rule
 * name" block, a rule absent there counting 0). Rows whose inputs are not in the corpus
 * (k8s_audit/plugin sources, downloadable traces, generated PSP rules) are reported as not
 * runnable with the reason. Each suite runs with {@code falco_compat} set to the Falco release it was
 * written for ({@link FalcoCompat}). Prints pass/total per category, then every failing row with
 * its reasons on one line.
 *
 * <p>Runs the detection without the MiniCluster ({@code --engine local}: the same batches and
 * keyed detection as the job, without the Flink runtime); {@code ReplayJobITCase} covers the graph.
 * {@code -Dperegrine.replay.engine=job} runs every row through the job graph instead (minutes).
 */
class FalcoRegressionReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, int[]> BY_CATEGORY = new TreeMap<>();
    private static final Map<String, Integer> NOT_RUNNABLE = new TreeMap<>();
    private static final List<String> FAILURES = new ArrayList<>();

    private static final Pattern RELEASE_SUITE = Pattern.compile("falco-(\\d+\\.\\d+\\.\\d+)");

    /**
     * The Falco release a suite's expectations were written for: the version in its name
     * ({@code falco-0.32.0}), else (a suite taken at a commit) current Falco. Passed to replay as
     * {@code falco_compat}, as a user reproducing that release would.
     */
    static String compatOf(String suite) {
        Matcher m = RELEASE_SUITE.matcher(suite);
        return m.matches() ? m.group(1) : "latest";
    }

    static Stream<Arguments> rows() throws IOException {
        List<String> lines = Files.readAllLines(Corpus.root().resolve("EXPECTED.tsv"));
        String[] header = lines.get(0).split("\t", -1);
        List<Arguments> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "");
            }
            out.add(Arguments.of(row.get("suite_version") + " " + row.get("test_name"), row));
        }
        return out.stream();
    }

    /** Why a row cannot run here, or null. */
    static String notRunnable(Map<String, String> row) throws IOException {
        String trace = row.get("trace_in_corpus");
        if (trace.isEmpty()) {
            return "no trace file (plugin/k8s_audit input given through the configuration)";
        }
        if (trace.startsWith("MISSING")) {
            return "trace not in the corpus: " + trace;
        }
        if (trace.endsWith(".json")) {
            return "k8s_audit/plugin event source (JSON input), not syscall";
        }
        if (row.get("conf_file").contains("confs/plugins/")) {
            return "needs Falco plugins (" + row.get("conf_file") + ")";
        }
        String other = row.get("other_params_json");
        if (!other.isEmpty()) {
            JsonNode o = JSON.readTree(other);
            if (o.has("psp_file")) {
                return "rules generated from a PSP at test time (not in the corpus)";
            }
            if (o.has("grpc")) {
                return "gRPC output (not a Peregrine output)";
            }
            if (o.has("enable_source") || o.path("addl_cmdline_opts").asText().contains("plugins[")) {
                return "needs Falco plugins";
            }
        }
        if (rulesFiles(row) == null) {
            return "rules not in the corpus: " + row.get("rules_files");
        }
        return null;
    }

    /**
     * The row's rules files in the corpus, or null. The package suite's rows name {@code /rules/F}:
     * its Docker images copy the suite's test/rules/*.yaml to /rules (docker/tester runners), so
     * those are the suite's own files.
     */
    static List<Path> rulesFiles(Map<String, String> row) {
        Path corpus = Corpus.root();
        String mapped = row.get("rules_files_in_corpus");
        List<Path> files = new ArrayList<>();
        if (!mapped.isEmpty() && !mapped.startsWith("N/A") && !mapped.contains("MISSING")) {
            for (String f : mapped.split(";")) {
                files.add(corpus.resolve(f));
            }
            return files;
        }
        Path suiteRules = corpus.resolve("falco-tests").resolve(row.get("suite_version")).resolve("test").resolve("rules");
        for (String f : row.get("rules_files").split(";")) {
            if (!f.startsWith("/rules/") || !Files.isRegularFile(suiteRules.resolve(f.substring("/rules/".length())))) {
                return null;
            }
            files.add(suiteRules.resolve(f.substring("/rules/".length())));
        }
        return files.isEmpty() ? null : files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rowBehavesAsInFalco(String name, Map<String, String> row) throws Exception {
        String category = row.get("category");
        String reason = notRunnable(row);
        if (reason != null) {
            synchronized (NOT_RUNNABLE) {
                NOT_RUNNABLE.merge(category + " — " + reason, 1, Integer::sum);
            }
            abort("not runnable: " + reason);
        }
        int[] counts;
        synchronized (BY_CATEGORY) {
            counts = BY_CATEGORY.computeIfAbsent(category, k -> new int[2]);
            counts[1]++;
        }
        Run run = run(row);
        List<String> problems = judge(row, run);
        if (!problems.isEmpty()) {
            synchronized (FAILURES) {
                FAILURES.add(name + " [" + category + "]: " + String.join("; ", problems).replace("\n", "\\n"));
            }
        } else {
            synchronized (BY_CATEGORY) {
                counts[0]++;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nstdout:\n" + run.out + "\nstderr:\n" + run.err);
    }

    record Run(int status, String out, String err) {
    }

    static Run run(Map<String, String> row) throws IOException {
        Path corpus = Corpus.root();
        Path suite = corpus.resolve("falco-tests").resolve(row.get("suite_version"));
        List<Path> rules = new ArrayList<>();
        List<Path> validate = new ArrayList<>();
        (row.get("validate_rules_files").isEmpty() ? rules : validate).addAll(rulesFiles(row));
        String conf = row.get("conf_file");
        Path confFile = conf.isEmpty() || conf.startsWith("/etc/falco/") ? suite.resolve("falco.yaml")
                : suite.resolve("test").resolve(conf);
        List<String> overrides = new ArrayList<>();
        overrides.add("priority=" + (row.get("priority").isEmpty() ? "debug" : row.get("priority")));
        overrides.add("stdout_output.enabled=true");
        overrides.add(FalcoCompat.KEY + "=" + compatOf(row.get("suite_version")));
        // The 2023 harness validates with json_output and reads the load results as JSON.
        boolean validateJson = !row.get("validate_rules_files").isEmpty() && compatOf(row.get("suite_version")).equals("latest");
        String other = row.get("other_params_json");
        if (!other.isEmpty()) {
            JsonNode o = JSON.readTree(other);
            overrides.add("json_output=" + (validateJson || o.path("json_output").asBoolean(false)));
            // The harness always passed these two (default true).
            overrides.add("json_include_output_property=" + o.path("json_include_output_property").asBoolean(true));
            overrides.add("json_include_tags_property=" + o.path("json_include_tags_property").asBoolean(true));
            if (o.path("time_iso_8601").asBoolean(false)) {
                overrides.add("time_format_iso_8601=true");
            }
        } else {
            overrides.add("json_output=" + validateJson);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new RulesReplay(o, e).run(new RulesReplay.Options(rules, validate,
                    corpus.resolve(row.get("trace_in_corpus")), words(row.get("run_tags")),
                    words(row.get("disable_tags")), words(row.get("disabled_rules")),
                    row.get("all_events").equalsIgnoreCase("true"), confFile, overrides,
                    RulesReplay.Engine.parse(System.getProperty("peregrine.replay.engine", "local")),
                    io.peregrine.engine.CaptureBatches.DEFAULT_MAX_EVENTS));
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The harness's checks; each failed one as a sentence. */
    static List<String> judge(Map<String, String> row, Run run) throws IOException {
        List<String> problems = new ArrayList<>();
        int expectedStatus = row.get("exit_status").isEmpty() ? 0 : Integer.parseInt(row.get("exit_status"));
        if (run.status != expectedStatus) {
            problems.add("exit status " + run.status + ", expected " + expectedStatus);
        }
        // The harness searched with Python's re.search(pattern, text, re.DOTALL).
        for (String pattern : patterns(row.get("expected_stderr_contains"))) {
            if (!Pattern.compile(pattern, Pattern.DOTALL).matcher(run.err).find()) {
                problems.add("stderr lacks /" + pattern + "/");
            }
        }
        for (String pattern : patterns(row.get("expected_stdout_contains"))) {
            if (!Pattern.compile(pattern, Pattern.DOTALL).matcher(run.out).find()) {
                problems.add("stdout lacks /" + pattern + "/");
            }
        }
        String stdoutIs = row.get("expected_stdout_is");
        if (!stdoutIs.isEmpty()) {
            String expected = stdoutIs.startsWith("\"") ? JSON.readTree(stdoutIs).asText() : stdoutIs.replace("\\n", "\n");
            if (!expected.equals(run.out)) {
                problems.add("stdout is not exactly stdout_is: " + firstDifference(expected, run.out));
            }
        }
        problems.addAll(ValidateJson.check(row.get("validate_errors_json"), "errors", run.out));
        problems.addAll(ValidateJson.check(row.get("validate_warnings_json"), "warnings", run.out));
        if (expectedStatus != 0 || run.status != 0) {
            return problems;
        }
        if (!compatOf(row.get("suite_version")).equals("latest")) {
            problems.addAll(ruleWarnings(row, run.err));
        }
        if (!row.get("validate_rules_files").isEmpty()) {
            return problems;
        }
        long detected = number(run.out, "Events detected: (\\d+)");
        if (row.get("detect").equalsIgnoreCase("true")) {
            if (detected <= 0) {
                problems.add("expected detections, got " + detected);
            }
            for (String level : words(row.get("detect_level"))) {
                if (number(run.out, "(?i)" + Pattern.quote(level) + ": (\\d+)") <= 0) {
                    problems.add("no '" + level + ": N' line");
                }
            }
        } else if (detected != 0) {
            problems.add("expected no detection, got " + detected);
        }
        if (!row.get("detect_counts_json").isEmpty()) {
            Map<String, Long> byRule = triggered(run.out);
            Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(row.get("detect_counts_json")).fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                long got = byRule.getOrDefault(e.getKey(), 0L);
                if (got != e.getValue().asLong()) {
                    problems.add("rule '" + e.getKey() + "': " + got + " alerts, expected " + e.getValue().asLong());
                }
            }
        }
        return problems;
    }

    private static final Pattern RULE_WARNING = Pattern.compile("Rule ([^:]+): warning \\(([^)]+)\\):");

    /**
     * The 0.31/0.32 harness (check_rules_warnings): the rules named in {@code Rule NAME: warning
     * (KIND):} lines on stderr are exactly the row's {@code rules_warning} (none by default).
     */
    static List<String> ruleWarnings(Map<String, String> row, String stderr) throws IOException {
        java.util.Set<String> expected = new java.util.TreeSet<>();
        String other = row.get("other_params_json");
        if (!other.isEmpty()) {
            JSON.readTree(other).path("rules_warning").forEach(n -> expected.add(n.asText()));
        }
        java.util.Set<String> found = new java.util.TreeSet<>();
        Matcher m = RULE_WARNING.matcher(stderr);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found.equals(expected) ? List.of()
                : List.of("rules with warnings " + found + ", expected " + expected);
    }

    /** Where two texts part, as one line: the line number, the expected line and ours. */
    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) {
                return "line " + (i + 1) + " expected '" + el + "', got '" + al + "'";
            }
        }
        return "same lines";
    }

    /** A cell holding one regex (raw, or as a JSON string), or a JSON list of them. */
    static List<String> patterns(String cell) throws IOException {
        if (cell.isEmpty()) {
            return List.of();
        }
        if (cell.startsWith("\"")) {
            return List.of(JSON.readTree(cell).asText());
        }
        String text = cell.replace("\\n", "\n");
        if (cell.startsWith("[")) {
            List<String> out = new ArrayList<>();
            JSON.readTree(cell).forEach(n -> out.add(n.asText()));
            return out;
        }
        return List.of(text);
    }

    static List<String> words(String cell) {
        List<String> out = new ArrayList<>();
        for (String w : cell.replaceAll("[\\[\\]\"]", "").split("[,;]")) {
            if (!w.trim().isEmpty()) {
                out.add(w.trim());
            }
        }
        return out;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The "Triggered rules by rule name:" block. */
    static Map<String, Long> triggered(String out) {
        Map<String, Long> counts = new HashMap<>();
        int at = out.indexOf("Triggered rules by rule name:");
        if (at < 0) {
            return counts;
        }
        for (String line : out.substring(at).split("\n")) {
            Matcher m = Pattern.compile("^   (.+): (\\d+)$").matcher(line);
            if (m.find()) {
                counts.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return counts;
    }

    @AfterAll
    static void report() {
        StringBuilder s = new StringBuilder("\nFalco regression rows through replay -r (pass/total by category):\n");
        int pass = 0;
        int total = 0;
        for (Map.Entry<String, int[]> e : BY_CATEGORY.entrySet()) {
            s.append(String.format("  %-45s %3d/%3d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            pass += e.getValue()[0];
            total += e.getValue()[1];
        }
        s.append(String.format("  %-45s %3d/%3d%n", "ALL RUNNABLE", pass, total));
        s.append("Not runnable (rows):\n");
        NOT_RUNNABLE.forEach((k, v) -> s.append(String.format("  %3d  %s%n", v, k)));
        s.append("Failing rows:\n");
        FAILURES.stream().sorted().forEach(f -> s.append("  ").append(f).append('\n'));
        System.out.println(s);
    }
}
