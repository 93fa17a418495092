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
 * runnable with the reason. Prints pass/total per category.
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
    private static final List<String> KNOWN_FAILING = new ArrayList<>();

    /**
     * Rows that fail for a reason understood and recorded here (by test name, or "suite test" when
     * only one suite's row is concerned). They are reported, not failed, so that a new failure
     * stands out; a known row that starts passing simply counts as passed.
     */
    private static final Map<String, String> KNOWN = new HashMap<>();

    static {
        String validateFormat = "falco -V prints '<file>: Ok' / 'N errors:' with the offending YAML; replay -V prints "
                + "'rules check' diagnostics (exit status matches)";
        for (String t : List.of("invalid_append_macro", "invalid_append_rule", "invalid_append_rule_multiple_docs",
                "invalid_overwrite_macro", "invalid_overwrite_rule")) {
            KNOWN.put(t, validateFormat);
        }
        KNOWN.put("falco-0.32.0 no_plugins_unknown_source_macro", "rules loader: Falco 0.32 accepted 'source' on a "
                + "macro and skipped macros of unknown sources; the loader warns 'unknown key source' instead");
        String errFormat = "Falco 0.31/0.32 error text '<Type> <name>: error <message>' followed by the item's YAML; "
                + "ours names file:line:col and the code (exit status matches)";
        KNOWN.put("skip_unknown_error", errFormat);
        KNOWN.put("skip_unknown_unspec_error", errFormat);
        KNOWN.put("falco-2583ea9-2023-08-02-last catchall_order", "Falco >= 0.34 evaluates EF_DROP_SIMPLE_CONS "
                + "events (fstat, read, close) of trace files without -A; 0.31/0.32 rows of the same test expect them "
                + "skipped, which is the semantics kept (LANGUAGE_NOTES 4)");
        String optionsError = "2023 wording 'Error: You can not specify...' vs 0.31/0.32 'Runtime error: ... Exiting.' "
                + "(the latter is printed; exit status matches)";
        KNOWN.put("falco-2583ea9-2023-08-02-last disabled_and_enabled_rules_1", optionsError);
        KNOWN.put("falco-2583ea9-2023-08-02-last disabled_and_enabled_rules_2", optionsError);
    }

    static String knownReason(Map<String, String> row) {
        String specific = KNOWN.get(row.get("suite_version") + " " + row.get("test_name"));
        return specific != null ? specific : KNOWN.get(row.get("test_name"));
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
        String rules = row.get("rules_files_in_corpus");
        if (rules.isEmpty() || rules.startsWith("N/A") || rules.contains("MISSING")) {
            return "rules not in the corpus: " + row.get("rules_files");
        }
        return null;
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
        String known = knownReason(row);
        if (!problems.isEmpty() && known != null) {
            synchronized (FAILURES) {
                KNOWN_FAILING.add(name + " [" + category + "]: " + known);
            }
            abort("known divergence: " + known);
        }
        if (!problems.isEmpty()) {
            synchronized (FAILURES) {
                FAILURES.add(name + " [" + category + "]: " + String.join("; ", problems));
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
        for (String f : row.get("rules_files_in_corpus").split(";")) {
            (row.get("validate_rules_files").isEmpty() ? rules : validate).add(corpus.resolve(f));
        }
        String conf = row.get("conf_file");
        Path confFile = conf.isEmpty() || conf.startsWith("/etc/falco/") ? suite.resolve("falco.yaml")
                : suite.resolve("test").resolve(conf);
        List<String> overrides = new ArrayList<>();
        overrides.add("priority=" + (row.get("priority").isEmpty() ? "debug" : row.get("priority")));
        overrides.add("stdout_output.enabled=true");
        String other = row.get("other_params_json");
        if (!other.isEmpty()) {
            JsonNode o = JSON.readTree(other);
            overrides.add("json_output=" + o.path("json_output").asBoolean(false));
            if (o.path("time_iso_8601").asBoolean(false)) {
                overrides.add("time_format_iso_8601=true");
            }
        } else {
            overrides.add("json_output=false");
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
        for (String pattern : patterns(row.get("expected_stderr_contains"))) {
            if (!Pattern.compile(pattern).matcher(run.err).find()) {
                problems.add("stderr lacks /" + pattern + "/");
            }
        }
        for (String pattern : patterns(row.get("expected_stdout_contains"))) {
            if (!Pattern.compile(pattern, Pattern.MULTILINE).matcher(run.out).find()) {
                problems.add("stdout lacks /" + pattern + "/");
            }
        }
        if (expectedStatus != 0 || !row.get("validate_rules_files").isEmpty()) {
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
        s.append("Known divergences (rows, reported not failed):\n");
        KNOWN_FAILING.stream().sorted().forEach(f -> s.append("  ").append(f).append('\n'));
        s.append("Failing rows:\n");
        FAILURES.stream().sorted().forEach(f -> s.append("  ").append(f).append('\n'));
        System.out.println(s);
    }
}
