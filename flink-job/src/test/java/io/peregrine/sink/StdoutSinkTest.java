package io.peregrine.sink;

import static io.peregrine.sink.SinkTestAlerts.TEXT_ISO;
import static io.peregrine.sink.SinkTestAlerts.numbered;
import static io.peregrine.sink.SinkTestAlerts.textLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.peregrine.output.AlertFormat;
import io.peregrine.output.AlertFormatter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);

    @Test
    void printsPlainLinesWhenNotATerminal() {
        try (StdoutSink sink = new StdoutSink(out, TEXT_ISO, false, false)) {
            sink.accept(numbered(1));
            sink.accept(numbered(2));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(textLine(1) + "\n" + textLine(2) + "\n");
    }

    @Test
    void coloursTextLinesByPriority() {
        try (StdoutSink sink = new StdoutSink(out, TEXT_ISO, true, false)) {
            sink.accept(numbered(1));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\u001b[33m" + textLine(1) + "\u001b[0m\n");
    }

    @Test
    void neverColoursJson() {
        AlertFormatter json = new AlertFormatter(AlertFormat.falcoDefaults().withJson(true));
        try (StdoutSink sink = new StdoutSink(out, json, true, false)) {
            sink.accept(numbered(1));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("{\"hostname\"").doesNotContain("\u001b");
    }
}
