package io.peregrine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.peregrine.output.Alert;
import io.peregrine.rules.Corpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.peregrine.state.SyntheticCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys split a host's process tree; the whole-host batcher must make up for it. On every corpus
 * capture, the keyed detection (one state engine per host+container, fed the batcher's batches)
 * raises the same alerts with the same field values as one state engine over the whole capture.
 * {@code ReplayJobITCase} checks the same through the Flink graph.
 */
class KeyedDetectionParityTest {

    static Stream<Path> captures() throws Exception {
        return ParityRules.captures(Corpus.root()).stream();
    }

    /** The state tests' synthetic capture: forks, execs, threads, sockets, a containerised process. */
    @Test
    void keyedEnginesSeeWhatTheWholeHostEngineSeesOnTheSyntheticCapture(@TempDir Path dir) throws Exception {
        Path capture = dir.resolve("synthetic.scap");
        SyntheticCapture.write(capture);
        keyedEnginesSeeWhatTheWholeHostEngineSees(capture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void keyedEnginesSeeWhatTheWholeHostEngineSees(Path capture) throws Exception {
        DetectionSettings settings = ParityRules.settings();
        DetectionRules rules = DetectionRules.load(settings);
        assertFalse(rules.hasErrors(), rules.loaded().errors().toString());

        List<Alert> whole = new ArrayList<>();
        WholeHostReplay.run(capture, rules, settings, whole::add);
        List<Alert> keyed = new ArrayList<>();
        new LocalReplay(rules, settings).run(capture, 64, keyed::add);

        assertEquals(whole.size(), keyed.size(), "alerts");
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).output(), keyed.get(i).output(), "alert " + i);
            assertEquals(whole.get(i).outputFields(), keyed.get(i).outputFields(), "alert " + i);
        }
    }
}
