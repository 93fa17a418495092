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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The items and keys of a rules file, each on its own. */
class RulesFileSyntaxTest {

    @Test
    void listsAndMacrosExpandIntoRuleConditions() {
        CompiledRuleset set = ok("""
                - list: shells
                  items: [bash, "sh"]
                - list: more_shells
                  items: [shells, zsh]
                - macro: spawned
                  condition: evt.type = execve
                - rule: Shell
                  desc: a shell runs
                  condition: spawned and proc.name in (more_shells, fish)
                  output: shell %proc.name
                  priority: WARNING
                """);
        assertTrue(matches(set, "Shell", "evt.type", "execve", "proc.name", "zsh"));
        assertTrue(matches(set, "Shell", "evt.type", "execve", "proc.name", "fish"));
        assertTrue(matches(set, "Shell", "evt.type", "execve", "proc.name", "sh"));
        assertFalse(matches(set, "Shell", "evt.type", "execve", "proc.name", "shells"));
        assertEquals("((evt.type = execve and proc.name in (\"bash\", \"sh\", \"zsh\", fish)))".replace("((", "(").replace("))", ")"),
                rule(set, "Shell").resolvedCondition());
    }

    @Test
    void aListNameAfterInNeedsNoParentheses() {
        CompiledRuleset set = ok("- list: l\n  items: [a, b]\n" + Rules.rule("R", "proc.name in l"));
        assertTrue(matches(set, "R", "proc.name", "b"));
    }

    @Test
    void listItemsWithBlanksStayOneValue() {
        CompiledRuleset set = ok("- list: l\n  items: ['\"with blank\"', plain]\n" + Rules.rule("R", "proc.cmdline in (l)"));
        assertTrue(matches(set, "R", "proc.cmdline", "with blank"));
    }

    @Test
    void aOneItemListStandsForASingleValue() {
        CompiledRuleset set = ok("- list: cats\n  items: [cat]\n" + Rules.rule("R", "proc.name= cats"));
        assertTrue(matches(set, "R", "proc.name", "cat"));
    }

    @Test
    void aLongerListCannotStandForASingleValue() {
        RulesLoader.Result r = Rules.load("- list: l\n  items: [a, b]\n" + Rules.rule("R", "proc.name = l"));
        assertTrue(r.errors().get(0).message().contains("list 'l' has 2 items and cannot be used as a single value"));
    }

    @Test
    void aQuotedValueNeverNamesAList() {
        CompiledRuleset set = ok("- list: l\n  items: [a]\n" + Rules.rule("R", "proc.name in (\"l\")"));
        assertTrue(matches(set, "R", "proc.name", "l"));
        assertFalse(matches(set, "R", "proc.name", "a"));
    }

    @Test
    void ruleDefaults() {
        CompiledRule r = rule(ok(Rules.rule("R", "evt.type = open")), "R");
        assertEquals("syscall", r.source());
        assertTrue(r.enabled());
        assertEquals(Set.of(), r.tags());
        assertEquals(Priority.INFORMATIONAL, r.priority());
    }

    @ParameterizedTest
    @CsvSource({"EMERGENCY,EMERGENCY", "alert,ALERT", "Critical,CRITICAL", "ERROR,ERROR", "warning,WARNING",
        "Notice,NOTICE", "informational,INFORMATIONAL", "INFO,INFORMATIONAL", "info,INFORMATIONAL", "DEBUG,DEBUG"})
    void prioritiesAreCaseInsensitiveWithInfoAlias(String written, Priority expected) {
        CompiledRuleset set = ok(Rules.rule("R", "evt.type = open").replace("INFO", written));
        assertEquals(expected, rule(set, "R").priority());
    }

    @Test
    void tagsSourceEnabledAndDescAreKept() {
        CompiledRule r = rule(ok("""
                - rule: R
                  desc: the description
                  condition: evt.type = open
                  output: o
                  priority: NOTICE
                  tags: [filesystem, mitre_persistence]
                  source: syscall
                  enabled: false
                """), "R");
        assertEquals(Set.of("filesystem", "mitre_persistence"), r.tags());
        assertFalse(r.enabled());
        assertEquals("the description", r.desc());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "9", "17", "0.31.0", "0.57.0"})
    void acceptsRequiredEngineVersionsUpToOurs(String version) {
        ok("- required_engine_version: " + version + "\n" + Rules.rule("R", "evt.type = open"));
    }

    @Test
    void readsRequiredPluginVersions() {
        CompiledRuleset set = ok("""
                - required_plugin_versions:
                  - name: k8saudit
                    version: 0.1.0
                    alternatives:
                      - name: k8saudit-eks
                        version: 0.2.0
                """);
        assertEquals("k8saudit", set.pluginRequirements().get(0).name());
        assertEquals("k8saudit-eks", set.pluginRequirements().get(0).alternatives().get(0).name());
    }

    @Test
    void severalYamlDocumentsInOneFile() {
        CompiledRuleset set = ok("- macro: m\n  condition: evt.type = open\n---\n" + Rules.rule("R", "m"));
        assertTrue(matches(set, "R", "evt.type", "open"));
    }

    @Test
    void emptyFilesAndEmptyItemsAreFine() {
        ok("", "# only a comment\n", "-\n" + Rules.rule("R", "evt.type = open"));
    }

    @Test
    void fieldArgumentsInConditions() {
        CompiledRuleset set = ok(Rules.rule("R",
                "evt.type = open and proc.aname[2] = bash and evt.arg.name = /etc and evt.arg[0] = 3"));
        assertTrue(matches(set, "R", "evt.type", "open", "proc.aname[2]", "bash", "evt.arg[name]", "/etc",
                "evt.arg[0]", "3"));
    }

    @Test
    void appendedOutputAndMultilineConditions() {
        CompiledRuleset set = ok("""
                - rule: R
                  desc: d
                  condition: >
                    evt.type = open
                    and proc.name = cat
                  output: >
                    opened (file=%fd.name
                    cmd=%proc.cmdline)
                  priority: INFO
                """);
        assertTrue(matches(set, "R", "evt.type", "open", "proc.name", "cat"));
        assertEquals(List.of("fd.name", "proc.cmdline"), rule(set, "R").output().fieldNames());
    }
}
