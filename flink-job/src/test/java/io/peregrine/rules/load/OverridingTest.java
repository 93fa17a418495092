package io.peregrine.rules.load;

import io.peregrine.output.Priority;
import static io.peregrine.rules.load.Rules.matches;
import static io.peregrine.rules.load.Rules.ok;
import static io.peregrine.rules.load.Rules.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Appending, overriding and redefining across items and files, and the order rules end up in. */
class OverridingTest {

    private static final String BASE = """
            - list: bins
              items: [cat]
            - macro: opens
              condition: evt.type = open
            - rule: A
              desc: first
              condition: opens and proc.name in (bins)
              output: base output
              priority: INFO
              tags: [t1]
              exceptions:
                - name: ex
                  fields: [fd.name]
                  values: [[/tmp/x]]
            - rule: B
              desc: second
              condition: evt.type = execve
              output: b
              priority: INFO
            """;

    @Test
    void appendingAListAddsItems() {
        CompiledRuleset set = ok(BASE, "- list: bins\n  items: [dog]\n  append: true\n");
        assertTrue(matches(set, "A", "evt.type", "open", "proc.name", "dog"));
        assertTrue(matches(set, "A", "evt.type", "open", "proc.name", "cat"));
    }

    @Test
    void appendingAMacroConcatenatesItsCondition() {
        CompiledRuleset set = ok(BASE, "- macro: opens\n  condition: or evt.type = openat\n  append: true\n");
        assertTrue(matches(set, "A", "evt.type", "openat", "proc.name", "cat"));
    }

    @Test
    void appendingARuleConcatenatesConditionAndMergesExceptions() {
        CompiledRuleset set = ok(BASE, """
                - rule: A
                  condition: and fd.name startswith /etc
                  exceptions:
                    - name: ex
                      values: [[/etc/skip]]
                    - name: ex2
                      fields: [proc.pname]
                      values: [[init]]
                  append: true
                """);
        assertTrue(matches(set, "A", "evt.type", "open", "proc.name", "cat", "fd.name", "/etc/passwd"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat", "fd.name", "/home/x"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat", "fd.name", "/etc/skip"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat", "fd.name", "/etc/a", "proc.pname", "init"));
    }

    @Test
    void redefinitionReplacesButKeepsThePlaceInLoadOrder() {
        CompiledRuleset set = ok(BASE, Rules.rule("A", "evt.type = close"));
        assertTrue(matches(set, "A", "evt.type", "close"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat"));
        assertEquals(List.of("A", "B"), set.rules().stream().map(CompiledRule::name).toList());
    }

    @Test
    void redefiningAListOrMacroReplacesIt() {
        CompiledRuleset set = ok(BASE, "- list: bins\n  items: [dog]\n- macro: opens\n  condition: evt.type = openat\n");
        assertTrue(matches(set, "A", "evt.type", "openat", "proc.name", "dog"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat"));
    }

    @Test
    void enabledAloneTogglesAnEarlierRule() {
        CompiledRuleset set = ok(BASE, "- rule: B\n  enabled: false\n");
        assertFalse(rule(set, "B").enabled());
        set = ok(BASE, "- rule: B\n  enabled: false\n", "- rule: B\n  enabled: true\n");
        assertTrue(rule(set, "B").enabled());
    }

    @Test
    void overrideBlockAppendsOrReplacesPerKey() {
        CompiledRuleset set = ok(BASE, """
                - rule: A
                  condition: and fd.name = /x
                  output: new output
                  tags: [t2]
                  priority: CRITICAL
                  override:
                    condition: append
                    output: replace
                    tags: append
                    priority: replace
                - list: bins
                  items: [dog]
                  override:
                    items: append
                - macro: opens
                  condition: evt.type = openat
                  override:
                    condition: replace
                """);
        CompiledRule a = rule(set, "A");
        assertEquals("new output", a.output().text());
        assertEquals(Set.of("t1", "t2"), a.tags());
        assertEquals(Priority.CRITICAL, a.priority());
        assertTrue(matches(set, "A", "evt.type", "openat", "proc.name", "dog", "fd.name", "/x"));
        assertFalse(matches(set, "A", "evt.type", "openat", "proc.name", "dog", "fd.name", "/y"));
        assertTrue(matches(set, "A", "evt.type", "openat", "proc.name", "cat", "fd.name", "/x"));
    }

    @Test
    void overrideCanReplaceExceptionsAndEnabled() {
        CompiledRuleset set = ok(BASE, """
                - rule: A
                  enabled: false
                  exceptions:
                    - name: other
                      fields: [proc.pname]
                      values: [[init]]
                  override:
                    enabled: replace
                    exceptions: replace
                """);
        assertFalse(rule(set, "A").enabled());
        assertTrue(matches(set, "A", "evt.type", "open", "proc.name", "cat", "fd.name", "/tmp/x"));
        assertFalse(matches(set, "A", "evt.type", "open", "proc.name", "cat", "proc.pname", "init"));
    }

    @Test
    void laterFilesOverrideEarlierOnesInOrder() {
        CompiledRuleset set = ok(BASE, Rules.rule("B", "evt.type = open"), Rules.rule("B", "evt.type = close"));
        assertTrue(matches(set, "B", "evt.type", "close"));
    }

    @Test
    void theRulesetVersionChangesWithAnyFile() {
        String v1 = Rules.load(BASE, Rules.rule("B", "evt.type = open")).version();
        assertEquals(v1, Rules.load(BASE, Rules.rule("B", "evt.type = open")).version());
        assertFalse(v1.equals(Rules.load(BASE, Rules.rule("B", "evt.type = close")).version()));
        assertEquals(64, v1.length());
    }

    @Test
    void aMacroSeesOnlyMacrosDefinedBeforeIt() {
        RulesLoader.Result r = Rules.load("""
                - macro: early
                  condition: late
                - macro: late
                  condition: evt.type = open
                """);
        assertEquals("Undefined macro 'late' used in filter.", r.errors().get(0).message());
    }

    @Test
    void aRedefinedMacroSeesMacrosDefinedBeforeTheRedefinition() {
        ok("""
                - macro: early
                  condition: evt.type = open
                - macro: late
                  condition: evt.type = close
                - macro: early
                  condition: late
                """ + Rules.rule("R", "early"));
    }

    @Test
    void rulesSeeEveryMacro() {
        ok(Rules.rule("R", "later") + "- macro: later\n  condition: evt.type = open\n");
    }

    @Test
    void aListSeesOnlyListsDefinedBeforeIt() {
        CompiledRuleset set = ok("""
                - list: outer
                  items: [inner]
                - list: inner
                  items: [x]
                """ + Rules.rule("R", "proc.name in (outer)"));
        assertTrue(matches(set, "R", "proc.name", "inner"));
        assertFalse(matches(set, "R", "proc.name", "x"));
    }
}
