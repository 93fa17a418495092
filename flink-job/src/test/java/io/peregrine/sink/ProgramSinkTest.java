package io.peregrine.sink;

import static io.peregrine.sink.SinkTestAlerts.TEXT_ISO;
import static io.peregrine.sink.SinkTestAlerts.numbered;
import static io.peregrine.sink.SinkTestAlerts.textLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramSinkTest {

    @TempDir
    Path dir;

    @Test
    void withoutKeepAliveRunsTheCommandOncePerAlert() throws Exception {
        Path out = dir.resolve("out.txt");
        String command = "cat >> '" + out + "'; echo run >> '" + dir.resolve("runs.txt") + "'";
        try (ProgramSink sink = new ProgramSink(command, TEXT_ISO, false)) {
            sink.accept(numbered(1));
            sink.accept(numbered(2));
            assertThat(sink.counters().snapshot().sent()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(out)).containsExactly(textLine(1), textLine(2));
        assertThat(Files.readAllLines(dir.resolve("runs.txt"))).hasSize(2);
    }

    @Test
    void withKeepAliveOneProcessTakesEveryLine() throws Exception {
        Path out = dir.resolve("out.txt");
        String command = "cat >> '" + out + "'; echo run >> '" + dir.resolve("runs.txt") + "'";
        try (ProgramSink sink = new ProgramSink(command, TEXT_ISO, true)) {
            for (int i = 1; i <= 3; i++) {
                sink.accept(numbered(i));
            }
        }
        assertThat(Files.readAllLines(out)).containsExactly(textLine(1), textLine(2), textLine(3));
        assertThat(Files.readAllLines(dir.resolve("runs.txt"))).hasSize(1);
    }

    @Test
    void withKeepAliveRestartsACommandThatDied() throws Exception {
        Path out = dir.resolve("out.txt");
        // Each process takes one line and exits, so every later alert finds it dead.
        String command = "head -n 1 >> '" + out + "'";
        try (ProgramSink sink = new ProgramSink(command, TEXT_ISO, true)) {
            for (int i = 1; i <= 3; i++) {
                sink.accept(numbered(i));
                waitUntilTheCommandHasExited();
            }
            assertThat(sink.counters().snapshot().restarts()).isEqualTo(2);
            assertThat(sink.counters().snapshot().sent()).isEqualTo(3);
        }
        assertThat(Files.readAllLines(out)).containsExactly(textLine(1), textLine(2), textLine(3));
    }

    @Test
    void rejectsAnEmptyCommand() {
        assertThatThrownBy(() -> new ProgramSink(" ", TEXT_ISO, false)).hasMessageContaining("program_output.program");
    }

    /**
     * A line written while a dying command is still alive is lost in its pipe (as with popen), so
     * the test lets each command finish before the next alert.
     */
    private static void waitUntilTheCommandHasExited() throws Exception {
        for (int i = 0; i < 1000 && ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(5);
        }
    }
}
