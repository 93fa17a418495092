package io.peregrine.rules.load;

import static io.peregrine.rules.load.Rules.matches;
import static io.peregrine.rules.load.Rules.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rule exceptions, in both forms, as Falco appends them to the condition. */
class ExceptionsTest {

    private static final String RULE = """
            - rule: R
              desc: d
              condition: evt.type = open
              output: o
              priority: INFO
              exceptions:
            """;

    @Test
    void fieldsListFormExceptsEventsMatchingAllFieldsOfOneValue() {
        CompiledRuleset set = ok(RULE + """
                    - name: proc_file
                      fields: [proc.name, fd.name]
                      values:
                        - [nginx, /tmp/foo]
                        - [apache, /tmp/bar]
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "nginx", "fd.name", "/tmp/foo"));
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "apache", "fd.name", "/tmp/bar"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "nginx", "fd.name", "/tmp/bar"));
        assertEquals("(evt.type = open and not ((proc.name = nginx and fd.name = /tmp/foo) or "
                + "(proc.name = apache and fd.name = /tmp/bar)))", Rules.rule(set, "R").resolvedCondition());
    }

    @Test
    void compsChooseTheOperatorPerField() {
        CompiledRuleset set = ok(RULE + """
                    - name: e
                      fields: [proc.name, fd.name]
                      comps: [in, startswith]
                      values:
                        - [[nginx, apache], /var/www]
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "apache", "fd.name", "/var/www/index"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "apache", "fd.name", "/etc/passwd"));
    }

    @Test
    void aListOperatorValueMayNameAList() {
        CompiledRuleset set = ok("- list: web\n  items: [nginx, apache]\n" + RULE + """
                    - name: e
                      fields: [proc.name]
                      comps: [in]
                      values:
                        - [web]
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "apache"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "cat"));
    }

    @Test
    void valuesWithBlanksStayWhole() {
        CompiledRuleset set = ok(RULE + """
                    - name: e
                      fields: [proc.cmdline]
                      values:
                        - ["cat /etc/passwd"]
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.cmdline", "cat /etc/passwd"));
    }

    @Test
    void valuesMayCarryTheirOwnQuotes() {
        CompiledRuleset set = ok(RULE + """
                    - name: e
                      fields: [proc.name, proc.cmdline]
                      values:
                        - [cat, '"cat /dev/null"']
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "cat", "proc.cmdline", "cat /dev/null"));
    }

    @Test
    void aListOperatorValueMayBeWrittenAsAConditionList() {
        CompiledRuleset set = ok("- list: cmds\n  items: [cat /dev/zero, \"cat /dev/null\"]\n" + RULE + """
                    - name: e
                      fields: [proc.name, proc.cmdline]
                      comps: [=, in]
                      values:
                        - [cat, (cmds)]
                        - [dog, '(woof, "bark loud")']
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "cat", "proc.cmdline", "cat /dev/null"));
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "dog", "proc.cmdline", "bark loud"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "cat", "proc.cmdline", "cat /etc/passwd"));
    }

    @Test
    void singleFieldFormComparesWithAllValuesAtOnce() {
        CompiledRuleset set = ok(RULE + """
                    - name: e
                      fields: proc.name
                      comps: in
                      values: [nginx, apache]
                    - name: p
                      fields: fd.name
                      comps: pmatch
                      values: [/var/log]
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "nginx", "fd.name", "/x"));
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "cat", "fd.name", "/var/log/syslog"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "cat", "fd.name", "/x"));
    }

    @Test
    void singleFieldFormDefaultsToIn() {
        CompiledRuleset set = ok(RULE + "    - name: e\n      fields: proc.name\n      values: [nginx]\n");
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "nginx"));
    }

    @Test
    void anExceptionWithoutValuesChangesNothing() {
        CompiledRuleset set = ok(RULE + "    - name: e\n      fields: [proc.name]\n");
        assertEquals("evt.type = open", Rules.rule(set, "R").resolvedCondition());
    }

    @Test
    void appendedValuesJoinTheNamedException() {
        CompiledRuleset set = ok(RULE + "    - name: e\n      fields: [proc.name]\n      values: [[a]]\n", """
                - rule: R
                  exceptions:
                    - name: e
                      values: [[b]]
                  append: true
                """);
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "a"));
        assertFalse(matches(set, "R", "evt.type", "open", "proc.name", "b"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "c"));
    }
}
