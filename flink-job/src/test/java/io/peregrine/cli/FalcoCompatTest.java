package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Falco release's behaviour each {@code falco_compat} value selects. */
class FalcoCompatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // version, skips simple-consumer events in captures, quotes items, Lua loader, run error, option error
        "0.31.1, true, true, true, 'Runtime error: x. Exiting.', 'Runtime error: x. Exiting.'",
        "0.32.0, true, true, false, 'Error: x', 'Runtime error: x. Exiting.'",
        "0.32, true, true, false, 'Error: x', 'Runtime error: x. Exiting.'",
        "0.33.0, false, false, false, 'Error: x', 'Runtime error: x. Exiting.'",
        "0.34.1, false, false, false, 'Error: x', 'Runtime error: x. Exiting.'",
        "0.35.0, false, false, false, 'Error: x', 'Error: x'",
        "1.0.0, false, false, false, 'Error: x', 'Error: x'",
        "latest, false, false, false, 'Error: x', 'Error: x'",
        "LATEST, false, false, false, 'Error: x', 'Error: x'",
    })
    void behavesAsTheRelease(String version, boolean skipsSimpleConsumer, boolean quotes, boolean lua, String runError,
            String optionError) {
        FalcoCompat c = FalcoCompat.parse(version);
        assertEquals(skipsSimpleConsumer, c.skipsSimpleConsumerEventsInCaptures());
        assertEquals(quotes, c.quotesItemOnLoadError());
        assertEquals(lua, c.luaRulesLoader());
        assertEquals(runError, c.runError("x"));
        assertEquals(optionError, c.optionError("x"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"newest", "0", "0.x", "v0.32.0", "0.32.0.1"})
    void rejectsWhatIsNotAVersion(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FalcoCompat.parse(text));
        assertEquals(true, e.getMessage().startsWith("falco_compat: "), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "  "})
    void emptyMeansLatest(String text) {
        assertEquals(FalcoCompat.LATEST, FalcoCompat.parse(text));
    }
}
