package io.peregrine.rules.load;

import io.peregrine.output.Priority;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.event.EventTable;
import io.peregrine.rules.testkit.MapEvalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Selecting rules and matching events against the event-type index. */
class RuleMatcherTest {

    private static final CompiledRuleset SET = Rules.ok("""
            - rule: open_dev_null
              desc: d
              condition: evt.type = open and fd.name = /dev/null
              output: o
              priority: INFO
              tags: [filesystem]
            - rule: dev_null
              desc: d
              condition: fd.name = /dev/null
              output: o
              priority: WARNING
              tags: [catchall]
              warn_evttypes: false
            - rule: exec_shell
              desc: d
              condition: evt.type in (execve, execveat) and proc.name = bash
              output: o
              priority: CRITICAL
              tags: [process, filesystem]
            - rule: disabled_one
              desc: d
              condition: evt.type = open
              output: o
              priority: EMERGENCY
              enabled: false
            """);

    private static final EventTypeUniverse EVENTS = EventTypeUniverse.fromEventTable();
    // Current versions only: like Falco, rules do not see ids flagged old-version or unused.
    private static final int OPEN_X = EVENTS.ids("open")[1];
    private static final int EXECVE = EVENTS.ids("execve")[0];
    private static final int CLOSE = EVENTS.ids("close")[0];
    private static final MapEvalContext OPEN_DEV_NULL = MapEvalContext.of("evt.type", "open", "fd.name", "/dev/null");

    private static RuleMatcher matcher(RuleSelection selection, boolean indexed) {
        return new RuleMatcher(SET, selection, EVENTS, indexed);
    }

    private static List<String> all(RuleMatcher m, int type, MapEvalContext ctx) {
        List<String> names = new ArrayList<>();
        m.match(type, ctx, r -> names.add(r.name()));
        return names;
    }

    @Test
    void firstMatchingRuleInLoadOrderWins() {
        RuleMatcher m = matcher(RuleSelection.DEFAULT, true);
        assertEquals("open_dev_null", m.first(OPEN_X, OPEN_DEV_NULL).name());
        assertEquals(List.of("open_dev_null"), all(m, OPEN_X, OPEN_DEV_NULL));
    }

    @Test
    void allMatchingReportsEveryRule() {
        RuleMatcher m = matcher(RuleSelection.DEFAULT.withMatching(RuleSelection.Matching.ALL), true);
        assertEquals(List.of("open_dev_null", "dev_null"), all(m, OPEN_X, OPEN_DEV_NULL));
    }

    @Test
    void anEventOnlyMeetsRulesForItsType() {
        RuleMatcher m = matcher(RuleSelection.DEFAULT, true);
        List<String> close = List.of(m.candidates(CLOSE)).stream().map(CompiledRule::name).toList();
        assertEquals(List.of("dev_null"), close);
        List<String> exec = List.of(m.candidates(EXECVE)).stream().map(CompiledRule::name).toList();
        assertEquals(List.of("dev_null", "exec_shell"), exec);
    }

    @Test
    void indexOnAndOffGiveTheSameMatches() {
        RuleMatcher on = matcher(RuleSelection.DEFAULT.withMatching(RuleSelection.Matching.ALL), true);
        RuleMatcher off = matcher(RuleSelection.DEFAULT.withMatching(RuleSelection.Matching.ALL), false);
        for (MapEvalContext ctx : List.of(OPEN_DEV_NULL, MapEvalContext.of("evt.type", "execve", "proc.name", "bash"),
                MapEvalContext.of("evt.type", "close", "fd.name", "/dev/null"))) {
            for (int type : new int[] {OPEN_X, EXECVE, CLOSE}) {
                String name = EventTable.get(type).name();
                if (name.equals(ctx.get("evt.type"))) {
                    assertEquals(all(off, type, ctx), all(on, type, ctx), ctx.toString());
                }
            }
        }
    }

    @Test
    void disabledRulesNeverRun() {
        assertTrue(matcher(RuleSelection.DEFAULT, true).rules().stream().noneMatch(r -> r.name().equals("disabled_one")));
    }

    @Test
    void minimumPriorityDropsLessSevereRules() {
        RuleMatcher m = matcher(new RuleSelection(Priority.WARNING, Set.of(), Set.of(), List.of(),
                RuleSelection.Matching.FIRST), true);
        assertEquals(List.of("dev_null", "exec_shell"), m.rules().stream().map(CompiledRule::name).toList());
    }

    @Test
    void tagsSelectAndExclude() {
        RuleMatcher only = matcher(new RuleSelection(Priority.DEBUG, Set.of("filesystem"), Set.of(), List.of(),
                RuleSelection.Matching.FIRST), true);
        assertEquals(List.of("open_dev_null", "exec_shell"), only.rules().stream().map(CompiledRule::name).toList());
        RuleMatcher without = matcher(new RuleSelection(Priority.DEBUG, Set.of(), Set.of("process"), List.of(),
                RuleSelection.Matching.FIRST), true);
        assertEquals(List.of("open_dev_null", "dev_null"), without.rules().stream().map(CompiledRule::name).toList());
    }

    @Test
    void disablingByNameMatchesSubstringsAsFalcoDoes() {
        RuleMatcher m = matcher(new RuleSelection(Priority.DEBUG, Set.of(), Set.of(), List.of("dev_null"),
                RuleSelection.Matching.FIRST), true);
        assertEquals(List.of("exec_shell"), m.rules().stream().map(CompiledRule::name).toList());
        assertNull(m.first(OPEN_X, OPEN_DEV_NULL));
    }

    @Test
    void enablingAndDisablingTogetherIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RuleSelection(
                Priority.DEBUG, Set.of("a"), Set.of("a"), List.of(), RuleSelection.Matching.FIRST));
        assertEquals("You can not specify both disabled (-D/-T) and enabled (-t) rules", e.getMessage());
    }

    @Test
    void exposesTheEventTypesTheRulesNeed() {
        RuleMatcher m = matcher(new RuleSelection(Priority.DEBUG, Set.of(), Set.of("catchall"), List.of(),
                RuleSelection.Matching.FIRST), true);
        assertEquals(Set.of("execve", "execveat", "open"), m.eventTypeNames());
        int[] ids = m.eventTypeIds().stream().toArray();
        int[] expected = java.util.stream.Stream.of("open", "execve", "execveat")
                .flatMap(n -> java.util.Arrays.stream(EVENTS.ids(n)).boxed()).mapToInt(Integer::intValue).sorted().toArray();
        assertArrayEquals(expected, ids);
    }

    @Test
    void unknownEventNamesAreMatchedThroughGenericSyscallEvents() {
        CompiledRuleset set = Rules.load(Rules.rule("madvise", "evt.type = madvise")).ruleset();
        RuleMatcher m = new RuleMatcher(set, RuleSelection.DEFAULT, EVENTS, true);
        int generic = EVENTS.ids("syscall")[1];
        assertEquals("madvise", m.first(generic, MapEvalContext.of("evt.type", "madvise")).name());
    }
}
