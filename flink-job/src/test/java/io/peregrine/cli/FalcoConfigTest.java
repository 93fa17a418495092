package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code -o key=value} overrides as Falco applies them to its configuration. */
class FalcoConfigTest {

    @Test
    void topLevelNestedAndIndexedKeys() {
        FalcoConfig c = FalcoConfig.empty();
        c.override("json_output=true");
        c.override("file_output.enabled=true");
        c.override("file_output.filename=/tmp/x.txt");
        c.override("plugins[1].open_params=a=b");

        assertEquals("true", c.string("json_output", null));
        assertEquals(Map.of("enabled", "true", "filename", "/tmp/x.txt"), c.section("file_output"));
        List<?> plugins = (List<?>) c.asMap().get("plugins");
        assertEquals(2, plugins.size());
        assertEquals(Map.of("open_params", "a=b"), plugins.get(1), "only the first '=' separates key and value");
    }

    @Test
    void laterOverridesWin() {
        FalcoConfig c = FalcoConfig.empty();
        c.override("priority=debug");
        c.override("priority=warning");
        assertEquals("warning", c.string("priority", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"json_output", "=true", ""})
    void rejectsAssignmentsWithoutKeyOrEquals(String bad) {
        assertThrows(IllegalArgumentException.class, () -> FalcoConfig.empty().override(bad));
    }
}
