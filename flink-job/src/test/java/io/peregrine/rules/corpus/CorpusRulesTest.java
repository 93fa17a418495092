package io.peregrine.rules.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.rules.Corpus;
import io.peregrine.rules.load.CompiledRuleset;
import io.peregrine.rules.load.Diagnostic;
import io.peregrine.rules.load.RulesItem;
import io.peregrine.rules.load.RulesReader;
import io.peregrine.rules.load.RulesLoader;
import io.peregrine.rules.load.RulesSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every upstream rules file of the corpus loads, alone or after its natural companions (local and
 * application rules after their falco_rules.yaml; incubating and sandbox after HEAD stable, as
 * upstream documents). Every rule compiles, or is skipped with its unknown source or unknown field
 * named. Prints the per-file table of counts.
 */
class CorpusRulesTest {

    private static final List<String> TABLE = new ArrayList<>();

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("falco-0.31.1/falco_rules.yaml", List.of()),
                Arguments.of("falco-0.31.1/falco_rules.local.yaml", List.of("falco-0.31.1/falco_rules.yaml")),
                Arguments.of("falco-0.31.1/application_rules.yaml", List.of("falco-0.31.1/falco_rules.yaml")),
                Arguments.of("falco-0.31.1/k8s_audit_rules.yaml", List.of()),
                Arguments.of("falco-0.31.1/aws_cloudtrail_rules.yaml", List.of()),
                Arguments.of("falco-0.32.0/falco_rules.yaml", List.of()),
                Arguments.of("falco-0.32.0/falco_rules.local.yaml", List.of("falco-0.32.0/falco_rules.yaml")),
                Arguments.of("falco-0.32.0/application_rules.yaml", List.of("falco-0.32.0/falco_rules.yaml")),
                Arguments.of("falco-rules-1.0.1/falco_rules.yaml", List.of()),
                Arguments.of("falco-rules-1.0.1/application_rules.yaml", List.of("falco-rules-1.0.1/falco_rules.yaml")),
                Arguments.of("falcosecurity-rules-HEAD/falco_rules.yaml", List.of()),
                Arguments.of("falcosecurity-rules-HEAD/falco-incubating_rules.yaml",
                        List.of("falcosecurity-rules-HEAD/falco_rules.yaml")),
                Arguments.of("falcosecurity-rules-HEAD/falco-sandbox_rules.yaml",
                        List.of("falcosecurity-rules-HEAD/falco_rules.yaml")),
                Arguments.of("falcosecurity-rules-HEAD/archive/falco-deprecated_rules.yaml",
                        List.of("falcosecurity-rules-HEAD/falco_rules.yaml")),
                Arguments.of("falcosecurity-rules-HEAD/archive/application_rules.yaml",
                        List.of("falcosecurity-rules-HEAD/falco_rules.yaml")),
                Arguments.of("k8saudit-rules-0.2.0/k8s_audit_rules.yaml", List.of()),
                Arguments.of("k8saudit-rules-0.6.0/k8s_audit_rules.yaml", List.of()),
                Arguments.of("k8saudit-rules-HEAD/k8s_audit_rules.yaml", List.of()),
                Arguments.of("cloudtrail-rules-0.4.0/aws_cloudtrail_rules.yaml", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void loadsWithOnlyUnknownFieldsReported(String file, List<String> companions) throws IOException {
        Path rules = Corpus.root().resolve("rules");
        List<RulesSource> sources = new ArrayList<>();
        for (String c : companions) {
            sources.add(RulesSource.read(rules.resolve(c)));
        }
        sources.add(RulesSource.read(rules.resolve(file)));
        RulesLoader.Result result = new RulesLoader(Corpus.config()).load(sources);
        Set<String> unknownFields = new TreeSet<>();
        List<Diagnostic> otherErrors = new ArrayList<>();
        for (Diagnostic d : result.errors()) {
            String field = unknownField(d);
            if (field != null) {
                unknownFields.add(field);
            } else {
                otherErrors.add(d);
            }
        }
        // Counts of this file's own items; compiled/skipped among the rules it defines.
        RulesSource own = sources.get(sources.size() - 1);
        List<RulesItem> items = RulesReader.read(own.name(), own.content()).items();
        long lists = items.stream().filter(i -> i instanceof RulesItem.ListDef).count();
        long macros = items.stream().filter(i -> i instanceof RulesItem.MacroDef).count();
        Set<String> ruleNames = new TreeSet<>();
        items.stream().filter(i -> i instanceof RulesItem.RuleDef).forEach(i -> ruleNames.add(((RulesItem.RuleDef) i).name()));
        CompiledRuleset set = result.ruleset();
        long compiled = set.rules().stream().filter(r -> ruleNames.contains(r.name())).count();
        long skipped = set.skipped().stream().filter(r -> ruleNames.contains(r.name())).count();
        String skippedSources = set.skipped().stream().filter(r -> ruleNames.contains(r.name()))
                .map(CompiledRuleset.Skipped::source).distinct().sorted().reduce((a, b) -> a + ", " + b).orElse("");
        TABLE.add(String.format("| %s | %s | %d | %d | %d | %d | %d%s | %d | %s |", file,
                companions.isEmpty() ? "" : String.join(" + ", companions), lists, macros, ruleNames.size(), compiled,
                skipped, skipped > 0 ? " (" + skippedSources + ")" : "", ruleNames.size() - compiled - skipped,
                unknownFields.isEmpty() ? "" : String.join(", ", unknownFields)));
        otherErrors.forEach(System.out::println);
        assertTrue(otherErrors.isEmpty(), "errors other than unknown fields: " + otherErrors);
    }

    /** The field named by an unknown-field error, or null for any other error. */
    static String unknownField(Diagnostic d) {
        String m = d.message();
        for (String prefix : List.of("filter_check called with nonexistent field ", "invalid formatting token ")) {
            if (m.startsWith(prefix)) {
                return m.substring(prefix.length()).split(" ")[0];
            }
        }
        return null;
    }

    @AfterAll
    static void printTable() {
        System.out.println("| file | loaded after | lists | macros | rules | compiled | skipped (source) "
                + "| not compiled | unknown fields |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        TABLE.forEach(System.out::println);
    }
}
