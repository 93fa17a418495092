package io.peregrine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.peregrine.output.Alert;
import io.peregrine.rules.Corpus;
import io.peregrine.output.Priority;
import io.peregrine.rules.load.RuleSelection;
import io.peregrine.rules.load.RulesSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The detection step's Falco semantics, on Falco's cat_write.scap (cat opens /dev/null and friends,
 * 4 opens, each an enter and an exit event).
 */
class DetectionStepTest {

    private static final Path CAT_WRITE = Corpus.root().resolve("scap/falco/cat_write.scap");

    private static final String OPEN_FROM_CAT = rule("open_from_cat", "evt.type=open and proc.name=cat");

    @Test
    void evaluatesEnterAndExitEvents() throws Exception {
        assertEquals(Map.of("open_from_cat", 8), counts(settings(OPEN_FROM_CAT)));
    }

    @Test
    void skipsTheTypesFalcoDropsForSimpleConsumersUnlessAllEvents() throws Exception {
        String closes = rule("close_from_cat", "evt.type=close and proc.name=cat");
        assertEquals(Map.of(), counts(settings(closes)));
        assertEquals(Map.of("close_from_cat", 12), counts(settings(closes).withAllEvents(true)));
    }

    @Test
    void theFirstMatchingRuleInLoadOrderWinsUnlessRuleMatchingIsAll() throws Exception {
        String both = OPEN_FROM_CAT + rule("any_open", "evt.type=open");
        assertEquals(Map.of("open_from_cat", 8), counts(settings(both)));
        DetectionSettings all = settings(both).withSelection(Priority.DEBUG, Set.of(), Set.of(), List.of(),
                RuleSelection.Matching.ALL);
        assertEquals(Map.of("open_from_cat", 8, "any_open", 8), counts(all));
    }

    @Test
    void stateIsUpdatedBeforeTheRulesSeeTheEvent() throws Exception {
        // The execve exit already shows the new program, as libsinsp parses before filters run.
        String exec = rule("exec_of_cat", "evt.type=execve and evt.dir=< and proc.name=cat and proc.cmdline=\"cat /dev/null\"");
        assertEquals(Map.of("exec_of_cat", 1), counts(settings(exec)));
    }

    @Test
    void alertsCarryTheRulesPriorityTagsSourceAndRenderedOutput() throws Exception {
        List<Alert> alerts = run(settings(OPEN_FROM_CAT).withHostname("h1"));
        Alert first = alerts.get(0);
        assertEquals("open_from_cat", first.rule());
        assertEquals(Priority.WARNING, first.priority());
        assertEquals("syscall", first.source());
        assertEquals("h1", first.hostname());
        assertEquals("cat /dev/null opened <NA>", first.output(), "the enter event has no fd yet");
        assertEquals("cat /dev/null", first.outputFields().get("proc.cmdline"));
        assertEquals(Set.of("t1"), first.tags());
    }

    private static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: test\n  condition: " + condition
                + "\n  output: \"%proc.cmdline opened %fd.name\"\n  priority: WARNING\n  tags: [t1]\n";
    }

    private static DetectionSettings settings(String rules) {
        return DetectionSettings.of(List.of(new RulesSource("test.yaml", rules)));
    }

    private static List<Alert> run(DetectionSettings settings) throws Exception {
        DetectionRules rules = DetectionRules.load(settings);
        assertFalse(rules.hasErrors(), rules.loaded().errors().toString());
        List<Alert> alerts = new ArrayList<>();
        WholeHostReplay.run(CAT_WRITE, rules, settings, alerts::add);
        return alerts;
    }

    private static Map<String, Integer> counts(DetectionSettings settings) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        run(settings).forEach(a -> counts.merge(a.rule(), 1, Integer::sum));
        return counts;
    }
}
