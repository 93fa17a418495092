package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code replay}'s options mean what they mean in the tool each mode imitates. */
class ReplayCommandOptionsTest {

    private static ReplayCommand parse(String... args) {
        ReplayCommand command = new ReplayCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void dashDIsSysdigsInternalEventsFlagWithP() {
        ReplayCommand c = parse("-p", "%evt.num", "-D", "cap.scap", "evt.type=open");
        assertTrue(c.internal);
        assertTrue(c.disabledRules.isEmpty());
        assertEquals(Path.of("cap.scap"), c.capture);
        assertEquals(List.of("evt.type=open"), c.filter);
    }

    @Test
    void dashDDisablesRulesByNameWithR() {
        ReplayCommand before = parse("-r", "rules.yaml", "-D", "open", "-D", "write", "cap.scap");
        assertEquals(List.of("open", "write"), before.disabledRules);
        assertFalse(before.internal);
        assertEquals(Path.of("cap.scap"), before.capture);

        ReplayCommand after = parse("-D", "open", "-r", "rules.yaml", "cap.scap");
        assertEquals(List.of("open"), after.disabledRules, "-r later on the line still makes -D take a name");
    }

    @Test
    void falcosRulesOptionsAreRepeatable() {
        ReplayCommand c = parse("-r", "a.yaml", "-r", "dir", "-t", "x", "-T", "y", "-A", "-c", "falco.yaml",
                "-o", "json_output=true", "-o", "priority=warning", "--engine", "local", "cap.scap");
        assertEquals(List.of(Path.of("a.yaml"), Path.of("dir")), c.rules);
        assertEquals(List.of("x"), c.onlyTags);
        assertEquals(List.of("y"), c.notTags);
        assertTrue(c.allEvents);
        assertEquals(Path.of("falco.yaml"), c.configFile);
        assertEquals(List.of("json_output=true", "priority=warning"), c.overrides);
        assertEquals(RulesReplay.Engine.LOCAL, RulesReplay.Engine.parse(c.engine));
    }

    @Test
    void validateTakesRulesFilesWithoutCapture() {
        ReplayCommand c = parse("-V", "a.yaml", "-V", "b.yaml");
        assertEquals(List.of(Path.of("a.yaml"), Path.of("b.yaml")), c.validate);
        assertEquals(null, c.capture);
    }
}
