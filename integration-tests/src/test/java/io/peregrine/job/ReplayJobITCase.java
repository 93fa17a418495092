package io.peregrine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.engine.DetectionRules;
import io.peregrine.engine.DetectionSettings;
import io.peregrine.engine.ParityRules;
import io.peregrine.engine.WholeHostReplay;
import io.peregrine.output.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real detection graph (capture source, keyBy host/container, keyed detection) on a local
 * MiniCluster: on every corpus capture with containers, field values through the keyed graph equal
 * those of one state engine over the whole capture — nothing is lost at key boundaries.
 */
class ReplayJobITCase {

    static Path corpus() {
        String prop = System.getProperty("peregrine.corpus");
        return prop != null && !prop.isEmpty() && !prop.contains("${") ? Path.of(prop) : Path.of("/work/shared/corpus");
    }

    /** Captures whose events include container ones (SCAP_TABLE.tsv's containers column). */
    static Stream<Path> capturesWithContainers() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus().resolve("SCAP_TABLE.tsv"))) {
            String[] cells = line.split("\t", -1);
            if (cells.length > 11 && cells[0].endsWith(".scap") && !cells[11].equals("none") && !cells[11].isEmpty()) {
                out.add(corpus().resolve(cells[0]));
            }
        }
        assertFalse(out.isEmpty(), "no capture with containers in " + corpus());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capturesWithContainers")
    void fieldValuesThroughTheKeyedGraphEqualTheWholeHostEngine(Path capture) throws Exception {
        DetectionSettings settings = ParityRules.settings();
        DetectionRules rules = DetectionRules.load(settings);
        List<Alert> whole = new ArrayList<>();
        WholeHostReplay.run(capture, rules, settings, whole::add);

        List<Alert> graph = new ArrayList<>();
        ReplayJob.run(capture, settings, 8, graph::add, dropped::add);

        assertTrue(whole.stream().anyMatch(a -> !"host".equals(a.outputFields().get("container.id"))),
                "the capture has container events");
        assertEquals(whole.size(), graph.size(), "alerts");
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).output(), graph.get(i).output(), "alert " + i);
            assertEquals(whole.get(i).outputFields(), graph.get(i).outputFields(), "alert " + i);
        }
    }
}
