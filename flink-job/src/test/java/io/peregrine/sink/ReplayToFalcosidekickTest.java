package io.peregrine.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.cli.RulesReplay;
import io.peregrine.engine.CaptureBatches;
import io.peregrine.rules.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sinks are wired from the configuration: a replay with {@code http_output} enabled posts every
 * alert to falcosidekick's {@code POST /}, and falcosidekick's input checks accept each one.
 */
class ReplayToFalcosidekickTest {

    @Test
    void everyReplayedAlertIsAcceptedByFalcosidekick() throws Exception {
        Path suite = Corpus.root().resolve("falco-tests/falco-0.32.0/test");
        try (FalcosidekickStub sidekick = new FalcosidekickStub()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = new RulesReplay(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .run(new RulesReplay.Options(List.of(suite.resolve("rules/single_rule_with_tags.yaml")), List.of(),
                            Corpus.root().resolve("scap/falco/cat_write.scap"), List.of(), List.of(), List.of(), false,
                            null, List.of("stdout_output.enabled=false", "json_output=true",
                                    "http_output.enabled=true", "http_output.url=" + sidekick.url()),
                            RulesReplay.Engine.LOCAL, CaptureBatches.DEFAULT_MAX_EVENTS));

            assertEquals(0, status);
            assertEquals(8, sidekick.received().size(), "one POST per alert");
            assertEquals(8, sidekick.accepted().size(), "falcosidekick accepts each");
            assertTrue(sidekick.accepted().get(0).body().contains("\"rule\":\"open_from_cat\""));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Events detected: 8"),
                    "the summary still goes to stdout");
        }
    }
}
