package io.peregrine.sink;

import static io.peregrine.sink.SinkTestAlerts.TEXT_ISO;
import static io.peregrine.sink.SinkTestAlerts.numbered;
import static io.peregrine.sink.SinkTestAlerts.textLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {

    @TempDir
    Path dir;

    @Test
    void appendsOneLinePerAlertToWhatIsThere() throws Exception {
        Path file = dir.resolve("events.txt");
        Files.writeString(file, "earlier\n");
        try (FileSink sink = new FileSink(file, TEXT_ISO, false, false, 0, 0)) {
            sink.accept(numbered(1));
            sink.accept(numbered(2));
        }
        assertThat(Files.readAllLines(file)).containsExactly("earlier", textLine(1), textLine(2));
    }

    @Test
    void withoutKeepAliveFollowsAFileMovedAwayBetweenAlerts() throws Exception {
        Path file = dir.resolve("events.txt");
        try (FileSink sink = new FileSink(file, TEXT_ISO, false, false, 0, 0)) {
            sink.accept(numbered(1));
            Files.move(file, dir.resolve("moved.txt")); // logrotate
            sink.accept(numbered(2));
            assertThat(sink.counters().snapshot().sent()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(dir.resolve("moved.txt"))).containsExactly(textLine(1));
        assertThat(Files.readAllLines(file)).containsExactly(textLine(2));
    }

    @Test
    void withKeepAliveKeepsWritingToTheOpenFileUntilReopened() throws Exception {
        Path file = dir.resolve("events.txt");
        try (FileSink sink = new FileSink(file, TEXT_ISO, true, false, 0, 0)) {
            sink.accept(numbered(1));
            Files.move(file, dir.resolve("moved.txt"));
            sink.accept(numbered(2));
            sink.reopen();
            sink.accept(numbered(3));
        }
        assertThat(Files.readAllLines(dir.resolve("moved.txt"))).containsExactly(textLine(1), textLine(2));
        assertThat(Files.readAllLines(file)).containsExactly(textLine(3));
    }

    @Test
    void rotatesBySizeKeepingTheNewestFiles() throws Exception {
        Path file = dir.resolve("events.txt");
        long lineBytes = textLine(1).length() + 1;
        try (FileSink sink = new FileSink(file, TEXT_ISO, true, true, 2 * lineBytes, 2)) {
            for (int i = 1; i <= 7; i++) {
                sink.accept(numbered(i));
            }
            assertThat(sink.rotated(3)).doesNotExist();
        }
        assertThat(Files.readAllLines(file)).containsExactly(textLine(7));
        assertThat(Files.readAllLines(dir.resolve("events.txt.1"))).containsExactly(textLine(5), textLine(6));
        assertThat(Files.readAllLines(dir.resolve("events.txt.2"))).containsExactly(textLine(3), textLine(4));
        assertThat(dir.resolve("events.txt.3")).doesNotExist();
    }

    @Test
    void countsFailuresWithoutThrowingWhenTheFileCannotBeWritten() throws Exception {
        Path notADir = dir.resolve("plain");
        Files.writeString(notADir, "x");
        try (FileSink sink = new FileSink(notADir.resolve("events.txt"), TEXT_ISO, false, false, 0, 0)) {
            sink.accept(numbered(1));
            assertThat(sink.counters().snapshot().failed()).isEqualTo(1);
        }
    }
}
