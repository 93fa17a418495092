package io.peregrine.rules.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peregrine.event.EventInfo;
import io.peregrine.fields.extract.SyscallFields;
import io.peregrine.replay.CaptureReplay;
import io.peregrine.rules.Corpus;
import io.peregrine.rules.load.CompiledRule;
import io.peregrine.rules.load.EventTypeUniverse;
import io.peregrine.rules.load.LoaderConfig;
import io.peregrine.rules.load.OutputFormat;
import io.peregrine.output.Priority;
import io.peregrine.rules.load.RuleMatcher;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A preview of the [replay] issue: the detection cases of Falco's regression suites whose
 * capture and rules are in the corpus, run through the state engine, the real field extractors
 * and this rules engine, counting alerts per rule. It reports pass/total and never fails: exact
 * agreement is the replay issue's acceptance bar, this only shows where the loader and compiler
 * already stand.
 */
class FalcoDetectionPreviewTest {

    @Test
    void previewDetectCounts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        EventTypeUniverse universe = EventTypeUniverse.fromEventTable();
        LoaderConfig config = new LoaderConfig(Map.of("syscall", SyscallFields.catalog()), universe,
                OutputFormat.DEFAULT_CONTAINER_INFO);
        int total = 0;
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Map<String, String> row : FalcoRegressionLoadTest.rows()) {
            if (row.get("detect").isEmpty() || row.get("category").contains("load")
                    || !row.get("trace_in_corpus").startsWith("scap/") || row.get("rules_files_in_corpus").isEmpty()
                    || row.get("rules_files_in_corpus").startsWith("N/A")) {
                continue;
            }
            Path capture = Corpus.root().resolve(row.get("trace_in_corpus"));
            if (!Files.exists(capture)) {
                continue;
            }
            total++;
            List<Path> paths = new ArrayList<>();
            for (String f : row.get("rules_files_in_corpus").split(";")) {
                paths.add(Corpus.root().resolve(f));
            }
            List<RulesSource> sources = new ArrayList<>();
            for (Path p : RulesSource.expand(paths)) {
                sources.add(RulesSource.read(p));
            }
            RulesLoader.Result loaded = new RulesLoader(config).load(sources);
            Priority min = row.get("priority").isEmpty() ? Priority.DEBUG : Priority.parse(row.get("priority"));
            RuleSelection selection = new RuleSelection(min, words(row.get("run_tags")), words(row.get("disable_tags")),
                    List.copyOf(words(row.get("disabled_rules"))), RuleSelection.Matching.FIRST);
            RuleMatcher matcher = new RuleMatcher(loaded.ruleset(), selection, universe, true);
            boolean allEvents = "True".equalsIgnoreCase(row.get("all_events")) || !dropsSimpleConsumerEvents(row);
            Map<String, Integer> counts = new TreeMap<>();
            try {
                CaptureReplay.run(capture, false, false, ctx -> {
                    EventInfo info = ctx.info();
                    if (info == null || (!allEvents && info.hasFlag(EventInfo.EF_DROP_SIMPLE_CONS))) {
                        return;
                    }
                    CompiledRule r = matcher.first(ctx.event().type(), ctx);
                    if (r != null) {
                        counts.merge(r.name(), 1, Integer::sum);
                    }
                });
            } catch (Exception | Error e) {
                failures.add(row.get("suite_version") + " " + row.get("test_name") + ": " + e);
                continue;
            }
            boolean ok = true;
            StringBuilder diff = new StringBuilder();
            boolean detected = !counts.isEmpty();
            if (detected != "True".equalsIgnoreCase(row.get("detect"))) {
                ok = false;
                diff.append("detect: expected ").append(row.get("detect")).append(", got ").append(counts).append("; ");
            }
            JsonNode expected = row.get("detect_counts_json").isEmpty() ? json.readTree("{}")
                    : json.readTree(row.get("detect_counts_json"));
            for (var it = expected.fields(); it.hasNext(); ) {
                var e = it.next();
                int ours = counts.getOrDefault(e.getKey(), 0);
                if (ours != e.getValue().asInt()) {
                    ok = false;
                    diff.append(e.getKey()).append(": expected ").append(e.getValue().asInt()).append(", got ")
                            .append(ours).append("; ");
                }
            }
            if (ok) {
                passed++;
            } else {
                failures.add(row.get("suite_version") + " " + row.get("test_name") + " (" + row.get("trace_in_corpus")
                        + "): " + diff);
            }
        }
        failures.forEach(f -> System.out.println("  detect preview: " + f));
        System.out.printf("Falco regression, detection preview (replay through state + rules; detect and detect_counts): %d/%d%n",
                passed, total);
    }

    /**
     * Falco 0.31 and 0.32 skip events flagged EF_DROP_SIMPLE_CONS unless run with -A; the 2023
     * suite's expectations (catchall_order: dev_null 6) show that later Falco evaluates them.
     */
    private static boolean dropsSimpleConsumerEvents(Map<String, String> row) {
        return row.get("suite_version").equals("falco-0.31.1") || row.get("suite_version").equals("falco-0.32.0");
    }

    private static Set<String> words(String cell) {
        if (cell.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(cell.replaceAll("[\\[\\]\"]", "").split("[,;]")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
